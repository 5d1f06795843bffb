"""Incoming mail fetched from a real IMAP server over TLS: the Dovecot that .ci/dovecot.sh starts."""

import imaplib
import os
import ssl

import pytest

from klachtformulieren.intake import inbound
from klachtformulieren.models import InboundMailbox, InboundMessage
from tests.factories import ComplaintFactory, MunicipalityFactory
from tests.klachtformulieren.intake import inbound_mail

pytestmark = pytest.mark.django_db

ENVIRONMENT = ("HOST", "PORT", "USER", "PASSWORD", "CAFILE", "MAILDIR")
if not all(os.environ.get(f"KLACHTENPORTAAL_TEST_IMAP_{name}") for name in ENVIRONMENT):
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but no Dovecot: .ci/dovecot.sh exports KLACHTENPORTAAL_TEST_IMAP_*")
    pytest.skip("no IMAP server: run under .ci/dovecot.sh (KLACHTENPORTAAL_TEST_IMAP_*)", allow_module_level=True)


def imap(name):
    return os.environ[f"KLACHTENPORTAAL_TEST_IMAP_{name}"]


def empty_the_server_mailbox():
    """One Dovecot serves both CI passes (SQLite, then PostgreSQL): start from an empty INBOX."""
    with imaplib.IMAP4_SSL(imap("HOST"), int(imap("PORT")), ssl_context=trusting_the_test_certificate()) as server:
        server.login(imap("USER"), imap("PASSWORD"))
        _status, (count,) = server.select("INBOX")
        if int(count):
            server.store("1:*", "+FLAGS", "\\Deleted")
            server.expunge()


@pytest.fixture
def mailbox():
    empty_the_server_mailbox()
    return InboundMailbox.objects.create(
        municipality=MunicipalityFactory(slug="proefdorp"),
        protocol=InboundMailbox.Protocol.IMAP,
        host=imap("HOST"),
        port=int(imap("PORT")),
        username=imap("USER"),
        password_variable="KLACHTENPORTAAL_TEST_IMAP_PASSWORD",
    )


def trusting_the_test_certificate():
    return ssl.create_default_context(cafile=imap("CAFILE"))


def test_messages_delivered_to_dovecot_are_fetched_over_tls_once(mailbox):
    complaint = ComplaintFactory(municipality=mailbox.municipality)
    inbound_mail.maildir_with(
        imap("MAILDIR"), inbound_mail.reply_from_mail_client(complaint.reference), inbound_mail.forwarded_complaint()
    )
    first = inbound.fetch_mailbox(mailbox, ssl_context=trusting_the_test_certificate())
    assert mailbox.last_error == ""
    assert (first.imported, first.on_case, first.in_inbox) == (2, 1, 1)
    assert complaint.contact_moments.count() == 1
    assert InboundMessage.objects.get(state=InboundMessage.State.INBOX).attachments.count() == 2

    second = inbound.fetch_mailbox(mailbox, ssl_context=trusting_the_test_certificate())
    assert second.imported == 0
    assert InboundMessage.objects.count() == 2
    mailbox.refresh_from_db()
    assert mailbox.uidvalidity and mailbox.last_uid >= 2


def test_a_certificate_that_is_not_trusted_is_refused_and_the_run_goes_on(mailbox):
    run = inbound.fetch_mailbox(mailbox)  # the system's trust store does not know the test certificate
    assert run.imported == 0
    assert "SSL" in mailbox.last_error or "certificate" in mailbox.last_error
