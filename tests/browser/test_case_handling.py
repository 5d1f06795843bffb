"""A web complaint handled from receipt to closing in a real browser, by a coordinator.

A citizen files a complaint through the public form and keeps the status link; a coordinator
logs in to the admin, opens the case from the listing and takes every step of the formal
track through the step links and their forms; after the key steps the citizen's status page
(in the citizen's own browser) follows.

The steps' forms are used by their fields' ``name`` and the step links by their URL, not by
labels: those are being translated. The status page's step titles are long-standing Dutch.
"""

import datetime
import re

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from playwright.sync_api import expect

from klachtformulieren.cases.roles import COORDINATOR, HANDLER
from klachtformulieren.models import Channel, Complaint, Outcome, Status, Track
from tests.browser.conftest import guarded_context
from tests.factories import ComplaintFormPageFactory, ComplaintKindFactory, OrganisationUnitFactory, role_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # the UserFactory's password

# status.PUBLIC_STEPS' titles as the complainant reads them (klachtformulieren/locale/nl).
RECEIVED = "Wij hebben uw klacht ontvangen"
INTAKE = "Wij bekijken uw klacht"
HANDLING = "Uw klacht is in behandeling"
DECIDED = "Wij hebben een besluit genomen over uw klacht"
CLOSED = "Uw klacht is afgehandeld"


@pytest.fixture
def municipality(site):
    return site.municipalitysettings.municipality


@pytest.fixture
def form_page(home_page, municipality):
    return ComplaintFormPageFactory(parent=home_page, municipality=municipality)


@pytest.fixture
def citizen_page(browser, live_server, third_party_requests, page):
    """The complainant's own browser: a context of its own, as guarded as ``page``'s.

    It asks for ``page`` so that page's teardown, which checks ``third_party_requests``,
    runs after this context is closed.
    """
    context = guarded_context(browser, live_server, third_party_requests)
    tab = context.new_page()
    yield tab
    context.close()


def shown_as_on_status_page(day):
    """A date as status.html shows it (``date:"l j F Y"``, in Dutch)."""
    with translation.override("nl"):
        return date_filter(day, "l j F Y")


def local_input(moment):
    """A datetime as a datetime-local input takes it, in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")


def file_web_complaint(page, form_page):
    """The citizen fills in the public form; returns the status link from the thank-you page."""
    page.goto(form_page.url)
    form = page.locator("form.kp-form")
    form.locator("input[name=name]").fill("Fatima el Amrani")
    form.locator("input[name=email]").fill("fatima@example.org")
    form.locator("textarea[name=description]").fill("Ik ben drie keer niet teruggebeld over mijn aanvraag.")
    conduct_date = timezone.localdate() - datetime.timedelta(days=7)
    form.locator("input[name=conduct_date]").fill(conduct_date.strftime("%d-%m-%Y"))
    form.locator("button[type=submit]").press("Enter")
    page.wait_for_url(re.compile(r".*/bedankt/$"))
    status_url = page.locator(".kp-status-link a").get_attribute("href")
    assert status_url
    return status_url


def expect_status_page(tab, status_url, title):
    """The complainant reloads their status page and reads where the complaint stands."""
    response = tab.goto(status_url)
    assert response.status == 200
    expect(tab.locator("p.kp-lead")).to_have_text(title)


def log_in(page, user):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r".*/admin/$"))


def open_step(page, complaint, step):
    """Follow the step's link on the case file, with the keyboard."""
    link = page.locator(f'nav a[href$="/klachten/{complaint.pk}/stap/{step}/"]')
    expect(link).to_have_count(1)
    link.press("Enter")
    page.wait_for_url(re.compile(rf".*/admin/klachten/{complaint.pk}/stap/{step}/$"))
    return page.locator("form.kp-form")


def save_step(page, form, inspect_path):
    """Send the step's form; it leads back to the case file with a success message."""
    form.locator("button[type=submit]").press("Enter")
    page.wait_for_url(re.compile(rf".*{re.escape(inspect_path)}$"))
    expect(page.locator(".messages .success")).to_have_count(1)


def step_links(page, complaint):
    hrefs = page.locator(f'nav a[href*="/klachten/{complaint.pk}/stap/"]').evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs}


def test_coordinator_takes_a_web_complaint_to_closed_and_the_status_page_follows(
    page, citizen_page, form_page, municipality
):
    kind = ComplaintKindFactory(municipality=municipality, name="Bejegening")
    unit = OrganisationUnitFactory(municipality=municipality, name="Team Burgerzaken")
    ComplaintKindFactory(municipality=municipality, name="Bereikbaarheid")
    coordinator = role_user(COORDINATOR, municipalities=[municipality], first_name="Carla", last_name="Coördinator")
    handler = role_user(HANDLER, municipalities=[municipality], first_name="Henk", last_name="Behandelaar")

    # The citizen files the complaint on the website and keeps the status link.
    status_url = file_web_complaint(citizen_page, form_page)
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.WEB_FORM
    assert complaint.status == Status.RECEIVED
    assert complaint.municipality == municipality
    expect_status_page(citizen_page, status_url, RECEIVED)
    first_due = complaint.decision_due_on
    expect(citizen_page.locator(".kp-contact__list")).to_contain_text(shown_as_on_status_page(first_due))

    # The coordinator logs in and opens the case from the listing.
    log_in(page, coordinator)
    page.goto("/admin/klachten/zaken/")
    inspect_path = f"/admin/klachten/zaken/inspect/{complaint.pk}/"
    row = page.locator("tbody tr").filter(has_text=complaint.reference)
    expect(row).to_have_count(1)
    row.locator(f'a[href$="{inspect_path}"]').first.press("Enter")
    page.wait_for_url(re.compile(rf".*{re.escape(inspect_path)}$"))
    expect(page.locator("main")).to_contain_text(complaint.reference)
    assert {"record_intake", "not_handled", "refer"} <= step_links(page, complaint)
    assert "decide" not in step_links(page, complaint)

    # Intake: kind, unit, the first contact (between receipt and now) and the formal track.
    form = open_step(page, complaint, "record_intake")
    form.locator("select[name=kind]").select_option(str(kind.pk))
    form.locator("select[name=unit]").select_option(str(unit.pk))
    first_contact = timezone.now().replace(microsecond=0)
    assert first_contact >= complaint.received_at
    form.locator("input[name=first_contact_at]").fill(local_input(first_contact))
    form.locator("input[name=track][value=formal]").check()
    form.locator("input[name=reason]").fill("Gebeld met klager.")
    save_step(page, form, inspect_path)
    complaint.refresh_from_db()
    assert complaint.status == Status.INTAKE
    assert (complaint.kind, complaint.unit, complaint.track) == (kind, unit, Track.FORMAL)
    assert complaint.first_contact_at == first_contact
    expect_status_page(citizen_page, status_url, INTAKE)

    # Assign a handler (Awb 9:7): the case is now being handled.
    form = open_step(page, complaint, "assign_handler")
    form.locator("select[name=handler]").select_option(str(handler.pk))
    save_step(page, form, inspect_path)
    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING
    assert complaint.handler == handler
    expect_status_page(citizen_page, status_url, HANDLING)

    # Record the hearing held yesterday, then its report (Awb 9:10): a report waits for its hearing.
    hearing_at = (timezone.localtime() - datetime.timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    form = open_step(page, complaint, "plan_hearing")
    form.locator("input[name=planned_for]").fill(hearing_at.strftime("%Y-%m-%dT%H:%M"))
    save_step(page, form, inspect_path)
    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING
    assert complaint.hearing_planned_for == hearing_at

    form = open_step(page, complaint, "record_hearing_report")
    form.locator("textarea[name=report]").fill(
        "Klager en medewerker gehoord; beiden bevestigen de drie gemiste belafspraken."
    )
    save_step(page, form, inspect_path)
    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING
    assert complaint.hearing_report.startswith("Klager en medewerker gehoord")

    # Postpone by two weeks with reasons (Awb 9:11 lid 2): the due date moves on the status page.
    form = open_step(page, complaint, "postpone")
    form.locator("input[name=weeks]").fill("2")
    form.locator("textarea[name=reason]").fill("Wij wachten op het verslag van de teamleider.")
    save_step(page, form, inspect_path)
    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING
    assert complaint.postponed_weeks == 2
    new_due = first_due + datetime.timedelta(weeks=2)
    assert complaint.decision_due_on == new_due
    expect_status_page(citizen_page, status_url, HANDLING)
    dates = citizen_page.locator(".kp-contact__list")
    expect(dates).to_contain_text(shown_as_on_status_page(new_due))
    expect(dates).not_to_contain_text(shown_as_on_status_page(first_due))

    # Decide (Awb 9:12): well founded, with findings and reasons.
    form = open_step(page, complaint, "decide")
    form.locator(f"input[name=outcome][value={Outcome.WELL_FOUNDED}]").check()
    form.locator("textarea[name=findings]").fill("Er is drie keer niet teruggebeld.")
    form.locator("textarea[name=reasons]").fill("Terugbellen is toegezegd en niet gebeurd; de klacht is gegrond.")
    save_step(page, form, inspect_path)
    complaint.refresh_from_db()
    assert complaint.status == Status.DECIDED
    assert complaint.outcome == Outcome.WELL_FOUNDED
    assert complaint.decided_at is not None
    expect_status_page(citizen_page, status_url, DECIDED)
    expect(citizen_page.locator(".kp-contact__list")).not_to_contain_text(shown_as_on_status_page(new_due))

    # The satisfaction check, then closing.
    assert "close" in step_links(page, complaint)
    form = open_step(page, complaint, "close")
    form.locator("input[name=satisfied][value=no]").check()
    save_step(page, form, inspect_path)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.satisfied is False
    assert complaint.closed_at is not None
    assert "close" not in step_links(page, complaint)
    expect_status_page(citizen_page, status_url, CLOSED)

    # The case history names every step and who took it; the registration was the website's.
    registration, *steps = complaint.history.order_by("history_date")
    assert (registration.status, registration.history_user) == (Status.RECEIVED, None)
    assert [record.history_step for record in steps] == [
        "record_intake",
        "assign_handler",
        "plan_hearing",
        "record_hearing_report",
        "postpone",
        "decide",
        "close",
    ]
    assert {record.history_user_id for record in steps} == {coordinator.pk}
