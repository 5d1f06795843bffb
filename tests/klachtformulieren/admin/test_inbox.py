"""The intake inbox ("Binnengekomen e-mail"): a coordinator of the municipality handles its mail."""

import pytest
from django.urls import reverse

from klachtformulieren.admin.inbox import InboxAdmin
from klachtformulieren.cases import roles
from klachtformulieren.intake import inbound
from klachtformulieren.models import Channel, InboundMailbox, InboundMessage, Notification
from tests.factories import ComplaintFactory, MunicipalityFactory, role_user
from tests.klachtformulieren.intake import inbound_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(municipality, tmp_path):
    mailbox = InboundMailbox.objects.create(
        municipality=municipality, protocol=InboundMailbox.Protocol.MAILDIR, path=str(tmp_path / "Maildir")
    )
    inbound_mail.maildir_with(mailbox.path, inbound_mail.forwarded_complaint())
    inbound.fetch_mailbox(mailbox)
    return InboundMessage.objects.get()


@pytest.fixture
def coordinator(client, municipality):
    user = role_user(roles.COORDINATOR, municipalities=[municipality], username="coordinator")
    client.force_login(user)
    return user


def test_the_inbox_lists_the_municipalitys_mail_only(client, coordinator, message):
    other = MunicipalityFactory(slug="elders")
    mailbox = InboundMailbox.objects.create(municipality=other, protocol="maildir", path="/x")
    InboundMessage.objects.create(
        mailbox=mailbox, municipality=other, source_key="1", subject="Mail van elders", sent_at=message.sent_at
    )
    response = client.get(InboxAdmin().url_helper.index_url)
    assert response.status_code == 200
    assert "Klacht over de afvalinzameling" in response.text
    assert "Mail van elders" not in response.text


def test_another_municipalitys_message_is_not_found(client, message):
    client.force_login(role_user(roles.COORDINATOR, municipalities=[MunicipalityFactory(slug="elders")]))
    assert client.get(reverse("klachtformulieren_inbox_message", args=[message.pk])).status_code == 404


def test_coordinator_registers_the_message_as_a_complaint(
    client, coordinator, message, django_capture_on_commit_callbacks
):
    url = reverse("klachtformulieren_inbox_message", args=[message.pk])
    page = client.get(url)
    assert "piet.bakker@example.net" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "register",
                "name": "Piet Bakker",
                "email": "piet.bakker@example.net",
                "description": message.text,
                "conduct_date": "2026-11-20",
            },
        )
    assert response.status_code == 302, response.text
    message.refresh_from_db()
    complaint = message.complaint
    assert (complaint.channel, complaint.received_at) == (Channel.EMAIL, message.sent_at)
    assert complaint.notifications.filter(
        kind=Notification.Kind.ACKNOWLEDGEMENT, recipient="piet.bakker@example.net"
    ).exists()


def test_coordinator_marks_the_message_geen_klacht_with_a_reason(client, coordinator, message):
    url = reverse("klachtformulieren_inbox_message", args=[message.pk])
    response = client.post(url, {"action": "not_a_complaint", "reason": "Vraag over de afvalkalender"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.reason) == (InboundMessage.State.NOT_A_COMPLAINT, "Vraag over de afvalkalender")


def test_coordinator_adds_the_message_to_a_case_of_the_municipality_only(client, coordinator, message, municipality):
    url = reverse("klachtformulieren_inbox_message", args=[message.pk])
    elsewhere = ComplaintFactory(municipality=MunicipalityFactory(slug="elders"))
    refused = client.post(url, {"action": "add_to_case", "reference": elsewhere.reference})
    assert refused.status_code == 400
    own = ComplaintFactory(municipality=municipality)
    assert client.post(url, {"action": "add_to_case", "reference": own.reference}).status_code == 302
    message.refresh_from_db()
    assert message.complaint == own


def test_an_administrator_configures_a_mailbox_without_its_password(client, municipality):
    client.force_login(role_user(roles.ADMINISTRATOR))
    response = client.get(reverse("wagtailsnippets_klachtformulieren_inboundmailbox:add"))
    assert response.status_code == 200
    assert 'name="password_variable"' in response.text
    assert 'name="password"' not in response.text
