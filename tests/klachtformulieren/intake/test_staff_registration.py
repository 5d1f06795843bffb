"""Awb 9:2 at the counter: staff register a complaint that came in by phone, letter, email or at the
desk, with the scanned letter or saved email attached under the public form's own checks."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klachtformulieren.cases import roles
from klachtformulieren.models import Channel, Complaint, ComplaintAttachment
from tests.factories import MunicipalityFactory, UserFactory, role_user
from tests.klachtformulieren.intake.fake_clamd import FOUND, fake_clamds
from tests.klachtformulieren.intake.sample_files import pdf_bytes, pe_bytes, png_bytes

pytestmark = pytest.mark.django_db

REGISTER_URL = "klachtformulieren_cases:add"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def municipality():
    return MunicipalityFactory()


@pytest.fixture
def coordinator(client, municipality):
    user = role_user(roles.COORDINATOR, municipalities=[municipality])
    client.force_login(user)
    return user


def register(client, municipality, channel, name, *, files=(), **fields):
    return client.post(
        reverse(REGISTER_URL),
        {
            "municipality": municipality.pk,
            "channel": channel,
            "received_at": "2026-11-20T11:30",
            "name": name,
            "description": "Aan de telefoon werd steeds doorverbonden.",
            "conduct_date": "2026-11-19",
            "attachments": list(files),
            **fields,
        },
    )


def test_a_phone_complaint_without_address_is_registered_with_its_scanned_letter(client, coordinator, municipality):
    scan = SimpleUploadedFile("scan brief.pdf", pdf_bytes(), content_type="application/pdf")
    photo = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")

    response = register(client, municipality, Channel.PHONE, "Meneer Beller", files=[scan, photo])

    assert response.status_code == 302
    complaint = Complaint.objects.get(name="Meneer Beller")
    attachments = {attachment.name: attachment for attachment in complaint.attachments.all()}
    assert set(attachments) == {"scan-brief.pdf", "foto.png"}
    assert attachments["scan-brief.pdf"].content_type == "application/pdf"
    assert attachments["scan-brief.pdf"].scan == ComplaintAttachment.Scan.CLEAN
    assert attachments["scan-brief.pdf"].file.read() == pdf_bytes()
    assert not complaint.notifications.filter(kind="acknowledgement").exists()  # no address to send it to


def test_a_letter_complaint_with_its_scan_but_without_address_is_refused(client, coordinator, municipality):
    scan = SimpleUploadedFile("brief.pdf", pdf_bytes(), content_type="application/pdf")

    response = register(client, municipality, Channel.LETTER, "Mevrouw Brief", files=[scan])

    assert response.status_code == 400
    assert "Vul een postadres of een e-mailadres in (Awb 9:4)." in response.content.decode()
    assert not Complaint.objects.filter(name="Mevrouw Brief").exists()
    assert not ComplaintAttachment.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused_in_dutch_and_nothing_is_stored(client, coordinator, municipality):
    program = SimpleUploadedFile("brief.pdf", pe_bytes(), content_type="application/pdf")

    response = register(client, municipality, Channel.EMAIL, "Meneer Mail", email="mail@example.org", files=[program])

    html = response.content.decode()
    assert response.status_code == 400
    assert "“brief.pdf” is geen PDF-, JPEG-, PNG-, Word- of ODF-bestand." in html
    assert "Meneer Mail" in html  # what was typed is still there
    assert not Complaint.objects.filter(name="Meneer Mail").exists()
    assert not ComplaintAttachment.objects.exists()


def test_an_infected_file_is_refused_in_dutch_and_nothing_is_stored(client, coordinator, municipality, settings):
    scan = SimpleUploadedFile("scan.pdf", pdf_bytes(), content_type="application/pdf")

    with fake_clamds(settings) as start:
        start(FOUND)
        response = register(
            client, municipality, Channel.LETTER, "Mevrouw Virus", postal_address="Dorpsstraat 1", files=[scan]
        )

    html = response.content.decode()
    assert response.status_code == 400
    assert "“scan.pdf” bevat een virus en is geweigerd." in html
    assert not Complaint.objects.filter(name="Mevrouw Virus").exists()
    assert not ComplaintAttachment.objects.exists()


def test_too_many_files_are_refused(client, coordinator, municipality):
    files = [SimpleUploadedFile(f"scan{n}.png", png_bytes(), content_type="image/png") for n in range(11)]

    response = register(client, municipality, Channel.DESK, "Meneer Veel", files=files)

    assert response.status_code == 400
    assert "Stuur hooguit 10 bestanden." in response.content.decode()
    assert not ComplaintAttachment.objects.exists()


def test_the_only_municipality_a_coordinator_works_for_is_preselected(client, coordinator, municipality):
    form = client.get(reverse(REGISTER_URL)).context["form"]

    assert form["municipality"].value() == municipality.pk
    assert f'<option value="{municipality.pk}" selected>' in str(form["municipality"])


def test_an_administrator_who_works_for_one_municipality_gets_it_preselected(client, municipality):
    MunicipalityFactory()
    administrator = UserFactory(is_superuser=True, is_staff=True)
    municipality.staff.add(administrator)
    client.force_login(administrator)

    form = client.get(reverse(REGISTER_URL)).context["form"]

    assert form["municipality"].value() == municipality.pk


def test_with_several_municipalities_none_is_chosen_in_advance(client, municipality):
    other = MunicipalityFactory()
    client.force_login(role_user(roles.COORDINATOR, municipalities=[municipality, other]))

    form = client.get(reverse(REGISTER_URL)).context["form"]

    assert form["municipality"].value() is None


def test_the_register_form_takes_files(client, coordinator):
    html = client.get(reverse(REGISTER_URL)).content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="attachments"' in html
    assert "Gescande brief" in html
