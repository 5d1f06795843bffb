"""The case panels on the admin dashboard: which cases each role sees, and what it costs."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from klachtformulieren.admin.dashboard import ROWS_PER_PANEL, case_panels_for
from klachtformulieren.cases import roles
from klachtformulieren.cases.case_file import days_left_text
from klachtformulieren.models import Outcome, Status
from tests.factories import ComplaintFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = datetime.date(2026, 12, 15)  # a Tuesday, clear of the Christmas holidays
NOW = datetime.datetime(2026, 12, 15, 12, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def groups():
    return roles.ensure_roles()


def user_with_role(groups, role, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(groups[role])
    return user


@pytest.fixture
def coordinator(groups, municipality):
    user = user_with_role(groups, roles.COORDINATOR, username="coordinator")
    municipality.staff.add(user)
    return user


@pytest.fixture
def handler(groups):
    return user_with_role(groups, roles.HANDLER, username="handler", first_name="Hanna", last_name="Handel")


@pytest.fixture
def editor(groups):
    return user_with_role(groups, roles.EDITOR, username="editor")


def nl(text):
    """What the admin shows once translated (the site speaks Dutch)."""
    with translation.override("nl"):
        return translation.gettext(text)


def days_left_shown(days):
    with translation.override("nl"):
        return days_left_text(days)


def received(day, month, year=2026):
    return datetime.datetime(year, month, day, 10, 0, tzinfo=AMSTERDAM)


def case(municipality, received_at, **kwargs):
    """A case; unless said otherwise assigned, in handling, and with first contact made."""
    kwargs.setdefault("status", Status.HANDLING)
    kwargs.setdefault("first_contact_at", received_at + datetime.timedelta(days=1))
    return ComplaintFactory(municipality=municipality, received_at=received_at, **kwargs)


@pytest.fixture
def cases(municipality, handler):
    """One case for each situation a panel is about, named after it. Decision due is 6 weeks on."""
    other_handler = UserFactory(username="colleague")
    made = {
        "overdue": case(municipality, received(2, 11), handler=handler),  # due Mon 14 Dec
        "due_today": case(municipality, received(3, 11), handler=other_handler),  # due Tue 15 Dec
        "due_in_7_days": case(municipality, received(10, 11), handler=handler),  # due Tue 22 Dec
        "due_in_8_days": case(municipality, received(11, 11), handler=handler),  # due Wed 23 Dec
        # First contact due Tue 8 Dec, not made; decision due 12 Jan 2027.
        "first_contact_overdue": case(municipality, received(1, 12), first_contact_at=None, handler=other_handler),
        # First contact due Mon 21 Dec: not late yet.
        "new_unassigned": case(municipality, received(14, 12), status=Status.RECEIVED, first_contact_at=None),
        "closed_overdue": case(
            municipality,
            received(2, 11),
            outcome=Outcome.RESOLVED_INFORMALLY,
            closed_at=received(4, 11),
            handler=handler,
        ),
        "other_municipality_overdue": case(MunicipalityFactory(), received(2, 11), handler=handler),
    }
    assert made["overdue"].decision_due_on == datetime.date(2026, 12, 14)
    assert made["due_in_7_days"].decision_due_on == datetime.date(2026, 12, 22)
    assert made["first_contact_overdue"].first_contact_due_on == datetime.date(2026, 12, 8)
    return made


def panel_references(user):
    """{panel name: [references in the order shown]} for this user's dashboard."""
    return {
        panel.name: [row.complaint.reference for row in panel.get_context_data()["rows"]]
        for panel in case_panels_for(user, TODAY)
    }


def refs(cases, *names):
    return [cases[name].reference for name in names]


def test_each_panel_lists_the_right_cases_for_a_coordinator(coordinator, cases):
    panels = panel_references(coordinator)

    assert panels["my-open-cases"] == []
    assert panels["overdue"] == refs(cases, "overdue")
    assert panels["due-soon"] == refs(cases, "due_today", "due_in_7_days")
    assert panels["first-contact-overdue"] == refs(cases, "first_contact_overdue")
    assert panels["new-unassigned"] == refs(cases, "new_unassigned")


def test_a_handler_sees_only_their_own_cases_and_no_unassigned_queue(handler, cases):
    panels = panel_references(handler)

    assert panels["my-open-cases"] == refs(
        cases, "overdue", "other_municipality_overdue", "due_in_7_days", "due_in_8_days"
    )
    assert panels["overdue"] == refs(cases, "overdue", "other_municipality_overdue")
    assert panels["due-soon"] == refs(cases, "due_in_7_days")
    assert panels["first-contact-overdue"] == []
    assert "new-unassigned" not in panels


def test_an_editor_sees_no_case_panels(client, editor, cases):
    assert case_panels_for(editor, TODAY) == []

    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "klachten-overdue" not in html
    assert cases["overdue"].reference not in html


def test_a_row_says_overdue_in_words_and_links_to_the_case(client, coordinator, cases):
    client.force_login(coordinator)
    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    html = response.content.decode()
    for panel_id in ("my-open-cases", "overdue", "due-soon", "first-contact-overdue", "new-unassigned"):
        assert f'id="klachten-{panel_id}-section"' in html
    assert nl("No open cases are assigned to you.") in html
    assert days_left_shown(-1) in html  # "Overdue by 1 day": in words, not only in red
    assert days_left_shown(0) in html  # "Due today"
    assert days_left_shown(7) in html
    assert '<th scope="col">' in html and "<caption" in html
    assert '<th scope="row">' in html
    assert cases["closed_overdue"].reference not in html
    assert cases["other_municipality_overdue"].reference not in html
    try:
        inspect_url = reverse("klachtformulieren_cases:inspect", args=[cases["overdue"].pk])
    except NoReverseMatch:  # the case admin is not installed yet: the reference is shown without a link
        return
    assert f'href="{inspect_url}"' in html


def test_a_panel_shows_at_most_ten_cases_and_says_how_many_there_are(coordinator, municipality):
    for _ in range(ROWS_PER_PANEL + 3):
        case(municipality, received(2, 11))

    (overdue,) = [panel for panel in case_panels_for(coordinator, TODAY) if panel.name == "overdue"]
    context = overdue.get_context_data()

    assert len(context["rows"]) == ROWS_PER_PANEL
    assert context["total"] == ROWS_PER_PANEL + 3
    assert "10" in context["caption"] and "13" in context["caption"]


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["coordinator", "handler"])
def test_the_dashboard_does_not_run_more_queries_for_more_cases(client, request, role, municipality):
    user = request.getfixturevalue(role)
    client.force_login(user)

    def add_cases(count):
        for number in range(count):
            case(municipality, received(2 + number % 20, 11), handler=user, first_contact_at=None)

    add_cases(5)
    with_five = dashboard_queries(client)
    add_cases(45)
    with_fifty = dashboard_queries(client)

    assert with_fifty == with_five
