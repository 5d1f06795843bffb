"""Registering a complaint: the acknowledgement cannot be turned into a way to mail strangers."""

import datetime

import pytest
import time_machine

from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.intake.services import register_complaint
from klachtformulieren.models import Complaint, Notification

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


def file(municipality, email="vreemde@example.org"):
    submission = ComplaintSubmission(
        name="Iemand", email=email, description="x" * 10_000, conduct_date=datetime.date(2026, 11, 30)
    )
    return register_complaint(submission, municipality=municipality).complaint


def acknowledgements(state):
    return Notification.objects.filter(kind=Notification.Kind.ACKNOWLEDGEMENT, state=state).count()


def acknowledgements_to_send():
    return Notification.objects.filter(
        kind=Notification.Kind.ACKNOWLEDGEMENT, state=Notification.State.PENDING, medium=Notification.Medium.EMAIL
    ).count()


@time_machine.travel(NOW, tick=False)
def test_awb_9_6_more_than_five_acknowledgements_a_day_to_one_address_wait_for_a_coordinator(municipality):
    for _ in range(7):
        file(municipality)

    assert Complaint.objects.count() == 7  # every complaint is registered
    assert acknowledgements_to_send() == 5
    held = Notification.objects.filter(kind=Notification.Kind.ACKNOWLEDGEMENT, state=Notification.State.FAILED)
    assert held.count() == 2
    assert "24" in held.first().last_error
    # The coordinators hear of every complaint all the same.
    assert Notification.objects.filter(kind=Notification.Kind.COORDINATOR_NOTICE).count() == 7


def test_the_limit_is_per_address_and_per_day(municipality):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            file(municipality, "VREEMDE@example.org")
        file(municipality, "ander@example.org")
    with time_machine.travel(NOW + datetime.timedelta(days=1, minutes=1), tick=False):
        file(municipality)

    assert acknowledgements(Notification.State.FAILED) == 0
