"""Retry every mail in the outbox that has not been sent yet. Run it from cron (every few minutes)."""

from django.core.management.base import BaseCommand

from klachtformulieren.correspondence.delivery import deliver_pending


class Command(BaseCommand):
    help = "Deliver the pending mails in the outbox; failures stay pending with their error."

    def handle(self, *args, **options):
        sent, pending = deliver_pending()
        self.stdout.write(f"Sent {sent}; still pending {pending}.")
        if pending:
            # Non-zero, so cron and monitoring notice a mail server that stays down.
            raise SystemExit(1)
