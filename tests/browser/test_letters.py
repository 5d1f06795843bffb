"""A decision letter in a real browser at 1280 by 800: the handler decides and checks the draft
(as mail, as printed letter), a coordinator approves it (four eyes) and sends it, and the PDF
downloads from the case file with the reference, the judgement and the ombudsman in it.

Forms are used by their fields' ``name`` and the buttons by their form's action, not by labels."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from klachtformulieren.cases import workflow
from klachtformulieren.cases.links import case_inspect_url
from klachtformulieren.cases.roles import COORDINATOR, HANDLER
from klachtformulieren.models import Notification, Outcome, Track
from tests.browser.conftest import guarded_context
from tests.browser.test_case_handling import log_in
from tests.factories import ComplaintFactory, ComplaintKindFactory, OrganisationUnitFactory, role_user

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORT = {"width": 1280, "height": 800}
JUDGEMENT = "Terugbellen is toegezegd en niet gebeurd; de klacht is gegrond."


@pytest.fixture
def municipality(site):
    municipality = site.municipalitysettings.municipality
    municipality.letters_need_approval = True
    municipality.save()
    return municipality


@pytest.fixture
def coordinator_page(browser, live_server, third_party_requests, page):
    """The approving coordinator's own browser, as guarded as ``page``'s (whose teardown checks it)."""
    context = guarded_context(browser, live_server, third_party_requests)
    tab = context.new_page()
    tab.set_viewport_size(VIEWPORT)
    yield tab
    context.close()


def test_a_decision_letter_drafted_previewed_approved_by_a_second_person_sent_and_its_pdf_downloaded(
    page, coordinator_page, municipality
):
    page.set_viewport_size(VIEWPORT)
    coordinator = role_user(COORDINATOR, municipalities=[municipality], first_name="Carla", last_name="Coördinator")
    handler = role_user(HANDLER, municipalities=[municipality], first_name="Henk", last_name="Behandelaar")
    complaint = ComplaintFactory(
        municipality=municipality,
        received_at=timezone.now() - datetime.timedelta(days=10),
        name="Fatima el Amrani",
        email="fatima@example.org",
    )
    workflow.record_intake(
        complaint,
        coordinator,
        kind=ComplaintKindFactory(municipality=municipality),
        unit=OrganisationUnitFactory(municipality=municipality),
        first_contact_at=timezone.now() - datetime.timedelta(days=9),
        track=Track.FORMAL,
    )
    workflow.assign_handler(complaint, coordinator, handler=handler)
    workflow.waive_hearing(complaint, handler, reason="Klager ziet af van horen.")
    inspect_path = case_inspect_url(complaint.pk)

    # The handler decides: the decision letter is a draft, not sent.
    log_in(page, handler)
    page.goto(reverse("klachtformulieren_step", args=[complaint.pk, "decide"]))
    form = page.locator("form.kp-form")
    form.locator(f"input[name=outcome][value={Outcome.WELL_FOUNDED}]").check()
    form.locator("textarea[name=findings]").fill("Er is drie keer niet teruggebeld.")
    form.locator("textarea[name=reasons]").fill(JUDGEMENT)
    form.locator("button[type=submit]").press("Enter")
    page.wait_for_url(re.compile(rf".*{re.escape(inspect_path)}$"))
    expect(page.locator(".messages .warning")).to_have_count(1)
    letter = Notification.objects.get(complaint=complaint, kind=Notification.Kind.DECISION)
    assert letter.state == Notification.State.DRAFT
    assert not [message for message in mail.outbox if "fatima@example.org" in message.to]

    # From the case file to the draft; the handler adds a sentence and previews it as mail.
    draft_path = reverse("klachtformulieren_letter_draft", args=[letter.pk])
    page.locator(f'a[href="{draft_path}"]').first.click()
    page.wait_for_url(re.compile(rf".*{re.escape(draft_path)}$"))
    body = page.locator("textarea[name=body]")
    body.fill(body.input_value().replace("Met vriendelijke groet", "Onze excuses daarvoor.\n\nMet vriendelijke groet"))
    page.locator("form.kp-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*{re.escape(draft_path)}$"))
    expect(page.locator(".kp-mail-body")).to_contain_text("Onze excuses daarvoor.")
    expect(page.locator(".kp-mail-preview")).to_contain_text("fatima@example.org")
    # The writer cannot approve their own letter, nor send it unapproved.
    approve_form = f'form[action="{reverse("klachtformulieren_letter_approve", args=[letter.pk])}"]'
    send_form = f'form[action="{reverse("klachtformulieren_letter_send", args=[letter.pk])}"]'
    expect(page.locator(approve_form)).to_have_count(0)
    expect(page.locator(send_form)).to_have_count(0)
    expect(page.locator(".kp-send-refusal")).to_be_visible()
    # And as the printed letter.
    page.goto(reverse("klachtformulieren_letter", args=[letter.pk]))
    expect(page.locator(".letter-body")).to_contain_text("Onze excuses daarvoor.")
    expect(page.locator(".letterhead")).to_contain_text(municipality.name)

    # A second person, a coordinator, approves and sends it.
    log_in(coordinator_page, coordinator)
    coordinator_page.goto(draft_path)
    coordinator_page.locator(f"{approve_form} button").click()
    expect(coordinator_page.locator(".kp-approved")).to_be_visible()
    coordinator_page.locator(f"{send_form} button").click()
    coordinator_page.wait_for_url(re.compile(rf".*{re.escape(inspect_path)}#brieven$"))
    expect(coordinator_page.locator(".messages .success")).to_have_count(1)
    letter.refresh_from_db()
    assert (letter.approved_by, letter.dispatched_by) == (coordinator, coordinator)
    assert letter.state == Notification.State.SENT
    (sent,) = [message for message in mail.outbox if "fatima@example.org" in message.to]
    assert "Onze excuses daarvoor." in sent.body
    assert [part.get_content_type() for part in sent.attachments] == ["application/pdf"]

    # The PDF downloads from the case file.
    pdf_path = reverse("klachtformulieren_letter_pdf", args=[letter.pk])
    with coordinator_page.expect_download() as download_info:
        coordinator_page.locator(f'#brieven ~ ul a[href="{pdf_path}"]').first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as downloaded:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(downloaded.read())).pages)
    assert complaint.reference in text
    assert "Terugbellen is toegezegd" in text
    assert municipality.ombudsman_name in text
    assert "Onze excuses daarvoor." in text
