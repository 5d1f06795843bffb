"""The intake inbox in a real browser: a coordinator opens an e-mail that named no case, turns
it into a complaint, and the acknowledgement goes to the sender."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from klachtformulieren.admin.inbox import InboxAdmin
from klachtformulieren.cases.roles import COORDINATOR
from klachtformulieren.intake import inbound
from klachtformulieren.models import Channel, InboundMailbox, InboundMessage
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_case_handling import log_in
from tests.factories import role_user
from tests.klachtformulieren.intake import inbound_mail

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_turns_an_inbox_message_into_a_complaint_and_the_sender_gets_the_acknowledgement(
    page, site, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 800})
    municipality = site.municipalitysettings.municipality
    mailbox = InboundMailbox.objects.create(
        municipality=municipality, protocol=InboundMailbox.Protocol.MAILDIR, path=str(tmp_path / "Maildir")
    )
    inbound_mail.maildir_with(mailbox.path, inbound_mail.forwarded_complaint())
    inbound.fetch_mailbox(mailbox)
    message = InboundMessage.objects.get()
    coordinator = role_user(COORDINATOR, municipalities=[municipality])

    log_in(page, coordinator)
    page.goto(InboxAdmin().url_helper.index_url)
    page.get_by_role("link", name="Fwd: Klacht over de afvalinzameling").click()
    page.wait_for_url(re.compile(rf".*{re.escape(reverse('klachtformulieren_inbox_message', args=[message.pk]))}$"))
    assert_no_axe_violations(page)
    form = page.locator("form:has(input[name=action][value=register])")
    expect(form.locator("input[name=email]")).to_have_value("piet.bakker@example.net")
    expect(form.locator("textarea[name=description]")).to_contain_text("drie weken niet geleegd")
    form.locator("input[name=conduct_date]").fill("2026-11-20")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/admin/.*"))
    expect(page.locator(".messages .success")).to_have_count(1)

    message.refresh_from_db()
    complaint = message.complaint
    assert complaint.channel == Channel.EMAIL
    assert complaint.received_at == message.sent_at
    (acknowledgement,) = [sent for sent in mail.outbox if sent.to == ["piet.bakker@example.net"]]
    assert f"[{complaint.reference}]" in acknowledgement.subject
