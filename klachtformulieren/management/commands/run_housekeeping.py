"""Run the task worker's periodic jobs once: for cron, where no worker runs, or to catch up by hand."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from klachtformulieren.worker.jobs import run_due_jobs


class Command(BaseCommand):
    @property
    def help(self):
        return _("Run the periodic jobs that are due: due mails, temporary files, deadline reminders.")

    def handle(self, *args, **options):
        ran = run_due_jobs()
        self.stdout.write(_("Ran: %(jobs)s.") % {"jobs": ", ".join(ran) or _("nothing was due")})
