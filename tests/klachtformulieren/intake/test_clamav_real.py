"""Against a real ClamAV: an upload carrying the EICAR test string is refused, a clean one goes in.

.ci/run starts clamd on a local socket with a signature database written at run time that
holds only the EICAR test signature (nothing downloaded), and names the socket in
KLACHTENPORTAAL_TEST_CLAMD_SOCKET. Without it these tests skip with a reason on a developer's
machine and fail in CI (CI=true), where the scanner must run.
"""

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf.generic import DecodedStreamObject, NameObject

from klachtformulieren.intake import uploads
from klachtformulieren.models import Complaint, ComplaintAttachment
from tests.factories import with_new_token
from tests.klachtformulieren.intake.sample_files import pdf_bytes, pdf_document

SOCKET_VARIABLE = "KLACHTENPORTAAL_TEST_CLAMD_SOCKET"
# The EICAR anti-virus test file (eicar.org): harmless, and every scanner's agreed test string.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MB = 1024 * 1024


@pytest.fixture
def real_clamd(settings):
    path = os.environ.get(SOCKET_VARIABLE)
    if not path:
        reason = f"no ClamAV here: set {SOCKET_VARIABLE} to a clamd socket (.ci/run starts one)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: the real virus scan must run)", pytrace=False)
        pytest.skip(reason)
    settings.KLACHTFORMULIEREN_CLAMD_SOCKET = path
    settings.KLACHTFORMULIEREN_CLAMD_HOST = None
    settings.KLACHTFORMULIEREN_CLAMD_TIMEOUT = 30
    return path


def pdf_carrying(text):
    """A valid PDF whose page content (uncompressed) carries ``text`` in a comment."""
    writer = pdf_document()
    contents = DecodedStreamObject()
    contents.set_data(b"% " + text + b"\n")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(contents)
    return pdf_bytes(writer)


def test_the_real_scanner_finds_the_eicar_test_file(real_clamd):
    result = uploads.clamd_scan(SimpleUploadedFile("eicar.com", EICAR))

    assert result.scan == ComplaintAttachment.Scan.INFECTED
    assert result.signature.startswith("Eicar-Test-Signature")  # ClamAV adds ".UNOFFICIAL": not its own database


def test_an_upload_carrying_eicar_is_refused_and_a_clean_one_is_accepted(real_clamd):
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        uploads.validate_upload(SimpleUploadedFile("brief.pdf", pdf_carrying(EICAR)), max_bytes=MB)
    clean = uploads.validate_upload(
        SimpleUploadedFile("brief.pdf", pdf_carrying(b"Geachte heer, mevrouw")), max_bytes=MB
    )

    assert [error.code for error in excinfo.value.error_list] == ["infected"]
    assert clean.scan == ComplaintAttachment.Scan.CLEAN


@pytest.mark.django_db
def test_through_the_public_form_eicar_is_refused_and_a_clean_file_filed(
    real_clamd, file_complaint, form_page, valid_post
):
    infected = SimpleUploadedFile("brief.pdf", pdf_carrying(EICAR), content_type="application/pdf")
    refused = file_complaint(form_page, {**with_new_token(valid_post), "attachments": [infected]})
    clean = SimpleUploadedFile("brief.pdf", pdf_carrying(b"Geachte heer, mevrouw"), content_type="application/pdf")
    filed = file_complaint(form_page, {**with_new_token(valid_post), "attachments": [clean]})

    with translation.override("nl"):
        refusal = str(uploads.MESSAGES["infected"]) % {"name": "brief.pdf"}
    assert refused.status_code == 200 and refusal in refused.content.decode()
    assert filed.status_code == 302
    attachment = Complaint.objects.get().attachments.get()
    assert attachment.scan == ComplaintAttachment.Scan.CLEAN
