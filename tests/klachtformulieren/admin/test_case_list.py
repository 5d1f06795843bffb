"""The case list's everyday tools: work queues, saved selections, search on name, e-mail and
phone, export of a selection, bulk actions (with their refusals) and the print of a selection."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core import cache as cache_module
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.permissions import policy_registry

from klachtformulieren.admin import audit, bulk_actions
from klachtformulieren.admin import cases as cases_admin
from klachtformulieren.admin.filters import queue_counts
from klachtformulieren.cases import roles, workflow
from klachtformulieren.correspondence import letters
from klachtformulieren.models import Complaint, SavedCaseFilter, Status
from tests.factories import (
    ComplaintFactory,
    ComplaintKindFactory,
    MunicipalityFactory,
    OrganisationUnitFactory,
    role_user,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)
INDEX = "klachtformulieren_cases:index"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator(municipality):
    return role_user(roles.COORDINATOR, municipalities=[municipality], first_name="Cor", last_name="Dinator")


@pytest.fixture
def handler(municipality):
    return role_user(roles.HANDLER, municipalities=[municipality], first_name="Hanna", last_name="de Behandelaar")


def received(days_ago):
    return NOW - datetime.timedelta(days=days_ago)


def bulk_url(action, cases):
    query = "&".join(f"id={case.pk}" for case in cases)
    return f"{reverse('wagtail_bulk_action', args=['klachtformulieren', 'complaint', action])}?{query}"


def listing(client, **params):
    return client.get(reverse(INDEX), params).content.decode()


# --- Work queues --------------------------------------------------------------------------


def test_each_work_queue_counts_the_cases_it_opens(client, coordinator, handler, municipality):
    new = ComplaintFactory(municipality=municipality, received_at=received(1))
    mine = ComplaintFactory(municipality=municipality, received_at=received(3), status=Status.HANDLING, handler=handler)
    overdue = ComplaintFactory(municipality=municipality, received_at=received(50), status=Status.HANDLING)
    due_this_week = ComplaintFactory(municipality=municipality, received_at=received(38), status=Status.HANDLING)
    waiting = ComplaintFactory(municipality=municipality, received_at=received(10), status=Status.HANDLING)
    workflow.ask_complainant(waiting, coordinator, question="Kunt u de brief van 3 november sturen?")
    closed_overdue = ComplaintFactory(
        municipality=municipality, received_at=received(60), outcome="well_founded", decided_at=received(20)
    )
    client.force_login(handler)

    counts = {queue.slug: count for queue, count in queue_counts(handler, NOW.date())}

    assert counts == dict.fromkeys(counts, 0) | {"mijn-zaken": 1}
    # The handler sees only their own cases; the coordinator sees all of the municipality's.
    coordinator_counts = {queue.slug: count for queue, count in queue_counts(coordinator, NOW.date())}
    assert coordinator_counts == {
        "mijn-zaken": 0,
        "nieuw": 1,
        "deze-week": 1,
        "verlopen": 1,
        "wacht-op-klager": 1,
        "brief-niet-verstuurd": 0,
    }
    client.force_login(coordinator)
    expected = {
        "nieuw": {new},
        "deze-week": {due_this_week},
        "verlopen": {overdue},
        "wacht-op-klager": {waiting},
    }
    everyone = {new, mine, overdue, due_this_week, waiting, closed_overdue}
    for slug, cases in expected.items():
        html = listing(client, wachtrij=slug)
        for case in everyone:
            assert (case.reference in html) == (case in cases), (slug, case)


def test_the_case_list_shows_the_queues_with_their_counts(client, coordinator, municipality):
    ComplaintFactory.create_batch(2, municipality=municipality, received_at=received(1))
    client.force_login(coordinator)

    html = listing(client)

    assert "Nieuw binnengekomen" in html and "Wacht op klager" in html and "Termijn verloopt deze week" in html
    queue = '<a class="kp-queue" href="/admin/klachten/zaken/?wachtrij=nieuw">Nieuw binnengekomen'
    assert f'{queue} <span class="kp-queue-count">2</span>' in html


def test_waiting_for_the_complainant_ends_when_they_answer(coordinator, municipality):
    complaint = ComplaintFactory(municipality=municipality, status=Status.HANDLING, received_at=received(5))

    workflow.ask_complainant(complaint, coordinator, question="Welke datum was het gesprek?")
    with pytest.raises(workflow.StepNotAllowed):
        workflow.ask_complainant(complaint, coordinator, question="Nog een vraag")
    assert Complaint.objects.awaiting_complainant().get() == complaint
    workflow.complainant_answered(complaint, coordinator, answer="Op 2 november.")

    assert not Complaint.objects.awaiting_complainant().exists()
    with pytest.raises(workflow.StepNotAllowed):
        workflow.complainant_answered(complaint, coordinator, answer="Nogmaals")


# --- Saved selections ----------------------------------------------------------------------


def test_a_user_saves_a_selection_and_gets_it_back(client, coordinator, municipality):
    client.force_login(coordinator)

    response = client.post(
        reverse("klachtformulieren_saved_filter_add"),
        {"name": "Verlopen bij mij", "query": "termijn=verlopen&p=3&export=csv"},
    )

    saved = SavedCaseFilter.objects.get(user=coordinator)
    assert saved.name == "Verlopen bij mij"
    assert saved.query == "termijn=verlopen"  # no page, no export
    assert response.status_code == 302 and response["Location"].endswith("?termijn=verlopen")
    html = listing(client)
    assert "Verlopen bij mij" in html and 'href="/admin/klachten/zaken/?termijn=verlopen"' in html


def test_saving_a_selection_without_name_or_filters_says_why_and_saves_nothing(client, coordinator):
    client.force_login(coordinator)

    without_name = client.post(reverse("klachtformulieren_saved_filter_add"), {"name": "", "query": "status=intake"})
    without_filters = client.post(reverse("klachtformulieren_saved_filter_add"), {"name": "Leeg", "query": "p=2"})

    assert not SavedCaseFilter.objects.exists()
    messages = [str(message) for message in without_name.wsgi_request._messages] + [
        str(message) for message in without_filters.wsgi_request._messages
    ]
    assert "Geef de selectie een naam." in messages
    assert "Kies eerst een of meer filters of een zoekterm; sla ze daarna op." in messages


def test_a_saved_selection_is_its_owners_alone(client, coordinator, handler):
    saved = SavedCaseFilter.objects.create(user=coordinator, name="Van Cor", query="status=intake")
    client.force_login(handler)

    assert "Van Cor" not in listing(client)
    response = client.post(reverse("klachtformulieren_saved_filter_delete", args=[saved.pk]))

    assert response.status_code == 404
    assert SavedCaseFilter.objects.filter(pk=saved.pk).exists()


# --- Search ----------------------------------------------------------------------------------


def test_search_finds_an_email_address_and_a_phone_number_however_typed(client, coordinator, municipality):
    by_mail = ComplaintFactory(municipality=municipality, email="p.pietersen@voorbeeld.example")
    by_phone = ComplaintFactory(municipality=municipality, email="", phone="06-1234 5678")
    abroad = ComplaintFactory(municipality=municipality, email="", phone="+31 6 12345678")
    other = ComplaintFactory(municipality=municipality, email="iemand@voorbeeld.example", phone="020 555 1234")
    client.force_login(coordinator)

    mail_hits = listing(client, q="P.Pietersen@voorbeeld.example")
    phone_hits = listing(client, q="0612345678")

    assert by_mail.reference in mail_hits and other.reference not in mail_hits
    assert by_phone.reference in phone_hits and abroad.reference in phone_hits
    assert other.reference not in phone_hits and by_mail.reference not in phone_hits


def test_a_search_is_in_the_audit_log(client, coordinator, municipality):
    ComplaintFactory(municipality=municipality)
    client.force_login(coordinator)

    listing(client, q="Pietersen")

    assert ModelLogEntry.objects.filter(action=audit.SEARCH_CASES, data__query="Pietersen").exists()


# --- Export and print of a selection ---------------------------------------------------------


def test_the_export_of_a_selection_holds_those_cases_only(client, coordinator, municipality):
    chosen = ComplaintFactory.create_batch(2, municipality=municipality)
    left_out = ComplaintFactory(municipality=municipality)
    client.force_login(coordinator)

    confirm = client.post(bulk_url("export", chosen), {"format": "xlsx"})
    export = client.get(confirm["Location"])

    content = b"".join(export.streaming_content) if export.streaming else export.content
    sheet = openpyxl.load_workbook(io.BytesIO(content))
    references = {row[0] for row in sheet.active.iter_rows(min_row=2, values_only=True)}
    assert references == {case.reference for case in chosen}
    assert left_out.reference not in references
    assert ModelLogEntry.objects.filter(action=audit.EXPORT_CASES, data__cases=2).exists()


def test_the_print_of_a_selection_shows_each_case_file(client, coordinator, municipality):
    chosen = ComplaintFactory.create_batch(2, municipality=municipality, description="De bus kwam niet.")
    client.force_login(coordinator)

    confirm = client.post(bulk_url("print", chosen), {})
    html = client.get(confirm["Location"]).content.decode()

    assert all(case.reference in html for case in chosen)
    assert html.count("De bus kwam niet.") == 2


def test_printing_a_case_of_another_municipality_is_not_found(client, coordinator, municipality):
    mine = ComplaintFactory(municipality=municipality)
    theirs = ComplaintFactory(municipality=MunicipalityFactory())
    client.force_login(coordinator)

    response = client.get(f"{reverse('klachtformulieren_cases:print')}?id={mine.pk}&id={theirs.pk}")

    assert response.status_code == 404


# --- Bulk actions ----------------------------------------------------------------------------


def test_a_coordinator_assigns_three_cases_in_one_bulk_action(client, coordinator, handler, municipality):
    cases = ComplaintFactory.create_batch(3, municipality=municipality, status=Status.INTAKE)
    client.force_login(coordinator)

    response = client.post(bulk_url("assign_handler", cases), {"handler": handler.pk})

    assert response.status_code == 302
    for case in Complaint.objects.filter(pk__in=[case.pk for case in cases]):
        assert case.handler == handler and case.status == Status.HANDLING
        assert case.history.first().history_step == "assign_handler"


def test_a_bulk_action_by_a_handler_on_cases_not_theirs_is_refused(client, handler, municipality):
    theirs = ComplaintFactory(municipality=municipality, status=Status.HANDLING, handler=handler)
    not_theirs = ComplaintFactory(municipality=municipality, status=Status.INTAKE)
    client.force_login(handler)

    # A case they may not see: not found, and nothing changes.
    assert client.post(bulk_url("assign_handler", [theirs, not_theirs]), {"handler": handler.pk}).status_code == 404
    assert client.post(bulk_url("export", [not_theirs]), {"format": "csv"}).status_code == 404
    # Their own case, but setting its unit is a coordinator's step: listed as refused, left alone.
    unit = OrganisationUnitFactory(municipality=municipality, name="Team Elders")
    confirm = client.get(bulk_url("classify", [theirs]))
    assert "Dit mag u nu niet met deze zaak doen" in confirm.content.decode()
    client.post(bulk_url("classify", [theirs]), {"unit": unit.pk})
    theirs.refresh_from_db()
    not_theirs.refresh_from_db()
    assert theirs.unit is None
    assert not_theirs.handler is None and not_theirs.status == Status.INTAKE


def test_a_bulk_assignment_the_rules_refuse_changes_no_case(client, coordinator, municipality):
    person = role_user(roles.HANDLER, municipalities=[municipality], first_name="Piet")
    fine = ComplaintFactory(municipality=municipality, status=Status.INTAKE)
    about_piet = ComplaintFactory(municipality=municipality, status=Status.INTAKE, person_complained_about_user=person)
    client.force_login(coordinator)

    response = client.post(bulk_url("assign_handler", [fine, about_piet]), {"handler": person.pk})

    assert response.status_code == 400
    assert "Awb 9:7" in response.content.decode()
    assert not Complaint.objects.filter(handler=person).exists()  # not even the first case


def test_a_bulk_classification_sets_kind_and_unit_and_keeps_what_is_left_empty(client, coordinator, municipality):
    old_kind = ComplaintKindFactory(municipality=municipality, name="Oud")
    new_unit = OrganisationUnitFactory(municipality=municipality, name="Team Nieuw")
    cases = ComplaintFactory.create_batch(2, municipality=municipality, kind=old_kind)
    client.force_login(coordinator)

    empty = client.post(bulk_url("classify", cases), {"kind": "", "unit": ""})
    client.post(bulk_url("classify", cases), {"kind": "", "unit": new_unit.pk})

    assert empty.status_code == 400 and "Kies een soort, een afdeling of allebei." in empty.content.decode()
    for case in Complaint.objects.filter(pk__in=[case.pk for case in cases]):
        assert case.kind == old_kind and case.unit == new_unit


def test_select_all_in_the_list_exports_the_whole_filtered_list(client, coordinator, municipality):
    wanted = ComplaintFactory.create_batch(3, municipality=municipality, name="Mevrouw Zoekbaar")
    other = ComplaintFactory(municipality=municipality, name="Iemand Anders")
    client.force_login(coordinator)
    url = reverse("wagtail_bulk_action", args=["klachtformulieren", "complaint", "export"])

    confirm = client.get(url, {"q": "Zoekbaar", "id": "all"})
    response = client.post(f"{url}?q=Zoekbaar&id=all", {"format": "csv"})
    export = client.get(response["Location"])

    assert all(case.reference in confirm.content.decode() for case in wanted)
    assert other.reference not in confirm.content.decode()
    content = b"".join(export.streaming_content).decode()
    assert all(case.reference in content for case in wanted) and other.reference not in content


def test_a_long_whole_lists_total_is_counted_once_a_minute_and_a_filtered_list_always(
    client, coordinator, municipality, monkeypatch
):
    monkeypatch.setattr(cases_admin, "WHOLE_LIST_COUNT_KEPT_FROM", 2)
    kept = []
    real_set = cache_module.cache.set
    monkeypatch.setattr(
        cases_admin.cache,
        "set",
        # Only the case list's own entries; the page cache keeps its generation here too.
        lambda key, value, timeout=None, version=None: (
            (None if key.startswith("page-cache:") else kept.append((key, timeout)))
            or real_set(key, value, timeout, version=version)
        ),
    )
    ComplaintFactory.create_batch(2, municipality=municipality)
    client.force_login(coordinator)
    listing(client)  # counted: 2, kept a minute
    ((key, timeout),) = kept
    assert timeout == cases_admin.WHOLE_LIST_COUNT_SECONDS == 60

    ComplaintFactory(municipality=municipality, status=Status.INTAKE)
    whole = client.get(reverse(INDEX))
    filtered = client.get(reverse(INDEX), {"status": "received"})
    cache_module.cache.delete(key)  # the minute has passed (each cache backend keeps its own clock)
    a_minute_later = client.get(reverse(INDEX))

    assert whole.context["paginator"].count == 2  # the total of a minute ago
    assert len(whole.context["object_list"]) == 3  # the rows themselves are always current
    assert filtered.context["paginator"].count == 2  # exact: the two received cases
    assert a_minute_later.context["paginator"].count == 3


def test_a_short_whole_list_is_always_counted_exactly(client, coordinator, municipality):
    ComplaintFactory.create_batch(2, municipality=municipality)
    client.force_login(coordinator)
    listing(client)

    ComplaintFactory(municipality=municipality)

    assert client.get(reverse(INDEX)).context["paginator"].count == 3


def test_art_9_7_the_person_complained_about_cannot_correct_the_case_even_as_coordinator(client, municipality):
    person = role_user(roles.COORDINATOR, municipalities=[municipality], first_name="Betrokken")
    complaint = ComplaintFactory(
        municipality=municipality, person_complained_about_user=person, description="Origineel"
    )
    client.force_login(person)
    url = reverse("klachtformulieren_cases:edit", args=[complaint.pk])

    get = client.get(url)
    post = client.post(url, {"name": "X", "description": "Herschreven", "person_complained_about_user": ""})

    for response in (get, post):
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")  # refused
    complaint.refresh_from_db()
    assert complaint.description == "Origineel" and complaint.person_complained_about_user == person


def test_a_destroyed_case_cannot_be_filled_in_again(client, coordinator, municipality):
    complaint = ComplaintFactory(municipality=municipality, name="", email="", description="")
    Complaint.objects.filter(pk=complaint.pk).update(destroyed_at=NOW)
    client.force_login(coordinator)

    response = client.post(
        reverse("klachtformulieren_cases:edit", args=[complaint.pk]), {"name": "Weer terug", "description": "Tekst"}
    )

    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    complaint.refresh_from_db()
    assert complaint.name == ""


def test_the_case_permission_policy_is_the_one_wagtail_asks(coordinator, handler, municipality):
    complaint = ComplaintFactory(municipality=municipality)
    policy = policy_registry.get_by_type(Complaint)

    assert isinstance(policy, cases_admin.CasePermissionPolicy)
    assert policy.user_has_permission_for_instance(coordinator, "change", complaint)
    assert not policy.user_has_permission_for_instance(handler, "change", complaint)
    assert not policy.user_has_permission(coordinator, "delete")


def test_a_selection_that_is_not_case_numbers_selects_nothing_and_is_no_error(client, coordinator, municipality):
    case = ComplaintFactory(municipality=municipality)
    client.force_login(coordinator)

    response = client.get(reverse(INDEX), {"zaak": "abc,1"})
    export = client.get(reverse(INDEX), {"zaak": "abc", "export": "csv"})

    assert response.status_code == 200 and case.reference not in response.content.decode()
    assert case.reference not in b"".join(export.streaming_content).decode()


def test_select_all_changes_at_most_the_limit_and_says_so(client, coordinator, handler, municipality, monkeypatch):
    monkeypatch.setattr(bulk_actions, "MAX_SELECTION", 2)
    ComplaintFactory.create_batch(3, municipality=municipality, status=Status.INTAKE)
    client.force_login(coordinator)
    url = reverse("wagtail_bulk_action", args=["klachtformulieren", "complaint", "assign_handler"])

    response = client.post(f"{url}?id=all", {"handler": handler.pk})

    assert response.status_code == 400
    assert "Kies hoogstens 2 zaken tegelijk" in response.content.decode()
    assert not Complaint.objects.filter(handler=handler).exists()


def test_a_case_whose_letter_is_not_sent_is_in_its_queue_until_it_goes(client, coordinator, municipality):
    complaint = ComplaintFactory(municipality=municipality, status=Status.HANDLING, received_at=received(10))
    complaint.hearing_waived_reason = "Kennelijk ongegrond."
    complaint.save()
    workflow.decide(complaint, coordinator, outcome="unfounded", findings="Bevinding", reasons="Oordeel")
    client.force_login(coordinator)

    counts = {queue.slug: count for queue, count in queue_counts(coordinator, NOW.date())}
    assert counts["brief-niet-verstuurd"] == 1
    assert complaint.reference in listing(client, wachtrij="brief-niet-verstuurd")

    letters.send_off(complaint.notifications.get(kind="decision"), coordinator)

    counts = {queue.slug: count for queue, count in queue_counts(coordinator, NOW.date())}
    assert counts["brief-niet-verstuurd"] == 0
    assert complaint.reference not in listing(client, wachtrij="brief-niet-verstuurd")
