"""Read the municipalities' incoming mailboxes once. The task worker does this by itself every
few minutes; ``--maildir PATH --municipality SLUG`` imports one Maildir once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from klachtformulieren.intake import inbound
from klachtformulieren.models import InboundMailbox, Municipality


class Command(BaseCommand):
    @property
    def help(self):
        return _("Fetch new incoming e-mail: replies land on their case, other mail in the intake inbox.")

    def add_arguments(self, parser):
        parser.add_argument("--maildir", help=_("Import this Maildir once instead of the configured mailboxes."))
        parser.add_argument("--municipality", help=_("The slug of the municipality the Maildir belongs to."))

    def handle(self, *args, maildir=None, municipality=None, **options):
        if maildir:
            if not municipality:
                raise CommandError(_("--maildir needs --municipality."))
            found = Municipality.objects.filter(slug=municipality).first()
            if found is None:
                raise CommandError(_("No municipality with slug %(slug)s.") % {"slug": municipality})
            mailbox, _created = InboundMailbox.objects.get_or_create(
                municipality=found, protocol=InboundMailbox.Protocol.MAILDIR, path=maildir
            )
            run = inbound.fetch_mailbox(mailbox)
            if mailbox.last_error:
                raise CommandError(mailbox.last_error)
        else:
            run = inbound.fetch_all()
        self.stdout.write(
            _(
                "Imported %(imported)d: on a case %(on_case)d, in the inbox %(in_inbox)d, filed %(filed)d, "
                "set aside %(set_aside)d; read before %(skipped)d."
            )
            % run.__dict__
        )
