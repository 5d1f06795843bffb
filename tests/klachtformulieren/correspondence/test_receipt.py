"""The receipt of a web complaint (Wmebv): a PDF of exactly what was sent, on the thank-you page,
attached to the acknowledgement and kept on the case."""

import io

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from klachtformulieren.intake.pages import ComplaintFormField
from klachtformulieren.models import Complaint, SubmissionReceipt
from tests.factories import png_bytes

pytestmark = pytest.mark.django_db

TODAY = "2026-11-24 10:17:00+01:00"


def pdf_text(data):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def full_post(form_page, valid_post):
    ComplaintFormField.objects.create(
        page=form_page, label="Hoe wilt u contact?", field_type="radio", choices="Telefoon\nBrief"
    )
    return {
        **valid_post,
        "organisation_name": "Stichting Buurtkracht",
        "postal_address": "Dorpsstraat 1\n1234 AB Proefdorp",
        "phone": "0612345678",
        "representative_name": "Karin de Dochter",
        "representative_relation": "dochter",
        "conduct_involved": "De balie in het gemeentehuis",
        "desired_outcome": "Excuses van de medewerker",
        "vraag_hoe_wilt_u_contact": "Brief",
        "attachments": [SimpleUploadedFile("foto van balie.png", png_bytes(), content_type="image/png")],
    }


@time_machine.travel(TODAY, tick=False)
def test_wmebv_receipt_read_back_holds_every_answer_the_attachments_the_time_and_the_reference(
    file_complaint, client, form_page, full_post
):
    file_complaint(form_page, full_post)

    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    response = client.get(form_page.receipt_url(None))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)
    for answer in (
        "Jan de Klager",
        "jan@example.org",
        "Stichting Buurtkracht",
        "Dorpsstraat 1",
        "1234 AB Proefdorp",
        "0612345678",
        "Karin de Dochter",
        "dochter",
        "De medewerker aan de balie schreeuwde tegen mij.",
        "2 november 2026",
        "De balie in het gemeentehuis",
        "Excuses van de medewerker",
        "Hoe wilt u contact?",
        "Brief",
    ):
        assert answer in text, answer
    assert attachment.name in text
    assert f"{attachment.size} bytes" in text
    assert "24 november 2026, 10:17" in text
    assert "2026-000001" in text


@time_machine.travel(TODAY, tick=False)
def test_wmebv_the_thank_you_page_offers_the_receipt_and_the_acknowledgement_carries_the_same_pdf(
    file_complaint, client, form_page, valid_post
):
    file_complaint(form_page, valid_post)

    thank_you = client.get(form_page.thank_you_url(None)).content.decode()
    assert form_page.receipt_url(None) in thank_you
    kept = SubmissionReceipt.objects.get(complaint=Complaint.objects.get())
    acknowledgement = next(message for message in mail.outbox if message.to == ["jan@example.org"])
    [part] = acknowledgement.attachments
    assert (part.get_filename(), part.get_content_type()) == ("ontvangstbewijs-2026-000001.pdf", "application/pdf")
    content = part.get_payload(decode=True)
    with kept.pdf.open("rb") as pdf:
        assert content == pdf.read()
    assert client.get(form_page.receipt_url(None)).content == content


@time_machine.travel(TODAY, tick=False)
def test_wmebv_the_receipt_is_only_for_the_browser_that_filed_it(file_complaint, client, form_page, valid_post):
    file_complaint(form_page, valid_post)
    client.cookies.clear()

    assert client.get(form_page.receipt_url(None)).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_the_receipt_does_not_change_when_the_case_is_corrected(file_complaint, client, form_page, valid_post):
    file_complaint(form_page, valid_post)
    complaint = Complaint.objects.get()
    complaint.description = "Later gecorrigeerd door een medewerker."
    complaint.save()

    text = pdf_text(client.get(form_page.receipt_url(None)).content)
    assert "De medewerker aan de balie schreeuwde tegen mij." in text
    assert "gecorrigeerd" not in text
