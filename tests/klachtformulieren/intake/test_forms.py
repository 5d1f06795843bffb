"""The Awb 9:4 rules of the public form and of staff registration (Awb 9:2) are one rule."""

import pytest
from django.utils import timezone

from klachtformulieren.intake.forms import ComplaintForm, RegisterForm
from klachtformulieren.models import Channel, Municipality

pytestmark = pytest.mark.django_db


def public_form(**data):
    return ComplaintForm(
        data={"name": "A. Inwoner", "description": "Niet teruggebeld.", "conduct_date": "2026-10-01", **data}
    )


def staff_form(municipality, **data):
    base = {
        "municipality": municipality.pk,
        "channel": Channel.LETTER,  # a written complaint: Awb 9:4 asks an address
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "name": "A. Inwoner",
        "description": "Niet teruggebeld.",
        "conduct_date": "2026-10-01",
    }
    return RegisterForm(data={**base, **data}, municipalities=Municipality.objects.all())


@pytest.mark.parametrize(
    ("phone", "valid"),
    [("06 12345678", True), ("+31 (0)20-1234567", True), ("bel me", False), ("12345", False), ("0" * 41, False)],
)
def test_a_phone_number_is_checked_the_same_on_the_form_and_at_registration(municipality, phone, valid):
    public = public_form(email="a@example.org", phone=phone)
    staff = staff_form(municipality, email="a@example.org", phone=phone)

    assert ("phone" not in public.errors) is valid
    assert ("phone" not in staff.errors) is valid


@pytest.mark.parametrize(
    ("address", "has_address"),
    [({}, False), ({"email": "a@example.org"}, True), ({"postal_address": "Dorpsstraat 1"}, True)],
)
def test_art_9_4_an_address_to_answer_at_is_required_on_the_form_and_at_registration(
    municipality, address, has_address
):
    public = public_form(**address)
    staff = staff_form(municipality, **address)

    assert public.is_valid() is has_address
    assert staff.is_valid() is has_address
