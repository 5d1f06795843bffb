"""Word to whoever must act: the handler a case is assigned to, the coordinators of a new
complaint, and the parties invited to the hearing (Awb 9:10) with an .ics."""

import datetime

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.core import mail

from klachtformulieren.cases import forms, roles, workflow
from klachtformulieren.cases.links import case_inspect_url
from klachtformulieren.cases.workflow import StepNotAllowed
from klachtformulieren.models import Complaint, Notification, Track
from tests.factories import ComplaintFactory, ComplaintKindFactory, OrganisationUnitFactory, UserFactory, role_user

pytestmark = pytest.mark.django_db

RECEIVED = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)
HEARING = datetime.datetime(2026, 12, 3, 13, 30, tzinfo=datetime.UTC)  # 14:30 in Amsterdam


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator(municipality):
    return role_user(roles.COORDINATOR, municipalities=[municipality], username="carla", first_name="Carla")


@pytest.fixture
def handler(municipality):
    return role_user(
        roles.HANDLER, municipalities=[municipality], username="henk", first_name="Henk", email="henk@proefdorp.example"
    )


@pytest.fixture
def complaint(municipality, coordinator):
    complaint = ComplaintFactory(
        municipality=municipality,
        received_at=RECEIVED,
        email="jan@example.org",
        person_complained_about="Bea Balie",
        person_complained_about_user=UserFactory(email="bea@proefdorp.example", first_name="Bea"),
    )
    workflow.record_intake(
        complaint,
        coordinator,
        kind=ComplaintKindFactory(municipality=municipality),
        unit=OrganisationUnitFactory(municipality=municipality),
        first_contact_at=RECEIVED + datetime.timedelta(days=1),
        track=Track.FORMAL,
    )
    return complaint


def test_the_assigned_handler_gets_a_mail_with_the_link_to_the_case(
    complaint, coordinator, handler, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "https://klachten.proefdorp.example"

    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign_handler(complaint, coordinator, handler=handler)

    (message,) = mail.outbox
    assert message.to == ["henk@proefdorp.example"]
    assert complaint.reference in message.subject
    assert f"https://klachten.proefdorp.example{case_inspect_url(complaint.pk)}" in message.body
    assert "Beste Henk" in message.body


def test_a_coordinator_who_takes_the_case_themselves_gets_no_mail(complaint, coordinator):
    workflow.assign_handler(complaint, coordinator, handler=coordinator)

    assert not complaint.notifications.filter(kind=Notification.Kind.HANDLER_ASSIGNED).exists()


def test_the_coordinators_notice_links_to_the_new_case(form_page, valid_post, file_complaint):
    file_complaint(form_page, valid_post)

    complaint = Complaint.objects.get()
    notice = complaint.notifications.get(kind=Notification.Kind.COORDINATOR_NOTICE)
    # At the admin's own address, not the public host the form was sent to.
    assert f"{settings.WAGTAILADMIN_BASE_URL}{case_inspect_url(complaint.pk)}" in notice.body


@pytest.fixture
def handled(complaint, coordinator, handler):
    return workflow.assign_handler(complaint, coordinator, handler=handler)


def plan(complaint, user, **overrides):
    arguments = {
        "planned_for": HEARING,
        "duration_minutes": 90,
        "location": "Stadhuis Proefdorp, Markt 1, kamer 2.14",
        "video_link": "https://video.proefdorp.example/hoorzitting-42",
        "attendees": "Jan de Klager\nBea Balie\nHenk Hoorder (voorzitter)",
        **overrides,
    }
    return workflow.plan_hearing(complaint, user, **arguments)


def calendar_of(message):
    (part,) = [part for part in message.attachments if part.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


def test_a_hearing_invitation_with_a_valid_ics_goes_to_both_parties(
    complaint, coordinator, handler, django_capture_on_commit_callbacks
):
    workflow.assign_handler(complaint, coordinator, handler=handler)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        plan(complaint, handler)

    assert sorted(message.to[0] for message in mail.outbox) == ["bea@proefdorp.example", "jan@example.org"]
    uids = set()
    for message in mail.outbox:
        assert "donderdag 3 december 2026, 14:30 - 16:00" in message.body
        assert "kamer 2.14" in message.body and "Henk Hoorder" in message.body
        calendar = calendar_of(message)
        assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0" and calendar["PRODID"]
        (event,) = calendar.walk("VEVENT")
        assert event.decoded("DTSTART") == HEARING
        assert event.decoded("DTEND") == HEARING + datetime.timedelta(minutes=90)
        assert complaint.reference in str(event["SUMMARY"])
        assert "kamer 2.14" in str(event["LOCATION"])
        assert "https://video.proefdorp.example/hoorzitting-42" in str(event["DESCRIPTION"])
        assert str(event["ATTENDEE"]) == f"mailto:{message.to[0]}"
        assert event["DTSTAMP"] and event["ORGANIZER"]
        uids.add(str(event["UID"]))
    assert len(uids) == 1  # one event per case: a new plan moves it


def test_planning_the_hearing_again_raises_the_sequence(handled, coordinator, django_capture_on_commit_callbacks):
    plan(handled, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        plan(handled, coordinator, planned_for=HEARING + datetime.timedelta(days=1))

    sequences = sorted(
        calendar_of(message).walk("VEVENT")[0]["SEQUENCE"] for message in mail.outbox if message.attachments
    )
    assert sequences[-1] == 1


def test_a_hearing_already_held_is_recorded_without_an_invitation(handled, coordinator):
    plan(handled, coordinator, planned_for=NOW - datetime.timedelta(days=1), location="", video_link="")

    assert not handled.notifications.filter(kind=Notification.Kind.HEARING_INVITATION).exists()


def test_a_hearing_to_come_needs_a_place_or_a_link(handled, coordinator):
    with pytest.raises(StepNotAllowed, match="plaats van de hoorzitting"):
        plan(handled, coordinator, location="", video_link="")

    handled.refresh_from_db()
    assert handled.hearing_planned_for is None


def test_the_hearing_report_cannot_be_dated_before_the_hearing(handled, coordinator):
    plan(handled, coordinator)

    with pytest.raises(StepNotAllowed, match="na het horen"):
        workflow.record_hearing_report(handled, coordinator, report="Gehoord.")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("video_link", "niet een link", "hele link van het videogesprek"),
        ("duration_minutes", "anderhalf uur", "hele minuten"),
        ("duration_minutes", "5", "minstens 15 minuten"),
        ("planned_for", "morgen", "datum"),
    ],
)
def test_the_plan_hearing_form_explains_bad_input_in_dutch(complaint, coordinator, field, value, message):
    data = {"planned_for": "2026-12-03T14:30", "location": "Stadhuis", field: value}

    form = forms.PlanHearingForm(data, complaint=complaint, user=coordinator)

    assert not form.is_valid()
    assert message in " ".join(form.errors[field]).lower()
