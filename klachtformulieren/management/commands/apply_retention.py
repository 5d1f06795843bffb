"""Destroy the personal data of every case past its retention date (the worker runs it daily)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from klachtformulieren.cases.retention import apply_retention


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Destroy the personal data of every closed case past its retention date (selection list), keeping "
            "the anonymous facts the reports count. With --dry-run: only list them."
        )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("List the cases; change nothing."))

    def handle(self, *args, dry_run=False, **options):
        due, _record = apply_retention(dry_run=dry_run)
        for complaint, selection, until in due:
            self.stdout.write(f"{complaint.reference}\t{selection}\t{until.isoformat()}")
        if dry_run:
            message = _("%(count)d cases are past their retention date; nothing changed.")
            self.stdout.write(message % {"count": len(due)})
        else:
            self.stdout.write(_("%(count)d cases destroyed.") % {"count": len(due)})
