"""Mail handlers about open cases close to their decision date. Run it from cron once every working day."""

import argparse
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachtformulieren.correspondence.reminders import DEFAULT_WITHIN_WORKING_DAYS, send_deadline_reminders


def _iso_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(_("use YYYY-MM-DD, e.g. 2026-11-20")) from error


class Command(BaseCommand):
    @property
    def help(self):
        # A property, not a lazy string: argparse cannot format lazy strings.
        return _(
            "Queue a reminder to the handler of every open case due within a few working days or overdue "
            "(to the coordinators when the case has no handler); at most one per case per day."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--within",
            type=int,
            default=DEFAULT_WITHIN_WORKING_DAYS,
            help=_("Remind about cases due within this many working days (default %(default)s)."),
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "WAGTAILADMIN_BASE_URL", ""),
            help=_("Start of the links to the admin in the mails (default: the WAGTAILADMIN_BASE_URL setting)."),
        )
        parser.add_argument(
            "--date",
            dest="today",
            metavar="YYYY-MM-DD",
            type=_iso_date,
            default=None,
            help=_("Pick the cases as if today were this date, YYYY-MM-DD (default: today)."),
        )

    def handle(self, *args, within, base_url, today, **options):
        if within < 0:
            raise CommandError(_("--within must not be negative."))
        run = send_deadline_reminders(today, within=within, base_url=base_url or "")
        for complaint in run.without_address:
            self.stderr.write(
                _("Not reminded, no email address for %(reference)s (handler: %(handler)s).")
                % {"reference": complaint.reference, "handler": complaint.handler or _("none, the coordinators")}
            )
        queued, skipped = len(run.queued), len(run.already_reminded)
        self.stdout.write(
            ngettext("Queued %(count)d deadline reminder.", "Queued %(count)d deadline reminders.", queued)
            % {"count": queued}
        )
        if skipped:
            self.stdout.write(
                ngettext(
                    "%(count)d case was already reminded today.",
                    "%(count)d cases were already reminded today.",
                    skipped,
                )
                % {"count": skipped}
            )
