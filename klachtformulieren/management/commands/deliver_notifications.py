"""Try every mail in the outbox that is due now. The task worker does this by itself; run this
to deliver at once, or from cron where no worker runs."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from klachtformulieren.correspondence.delivery import deliver_due


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Deliver the mails in the outbox that are due. Exits with 1 while a due mail could not be "
            "delivered (it is tried again later); mails that can never go are marked not sent."
        )

    def handle(self, *args, **options):
        run = deliver_due()
        self.stdout.write(
            _("Sent %(sent)d; to try again later %(retrying)d; not sent %(failed)d.")
            % {"sent": run.sent, "retrying": run.retrying, "failed": run.failed}
        )
        if run.retrying:
            # Non-zero while mails are due and undelivered, so monitoring notices a mail
            # server that stays down; zero once every due mail was sent or given up.
            raise SystemExit(1)
