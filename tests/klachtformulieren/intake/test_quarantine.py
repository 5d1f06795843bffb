"""When the virus scanner is configured but down, the complaint still goes in and its files
wait in quarantine: kept, shown as such, and not downloadable by anyone."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from klachtformulieren.cases import roles
from klachtformulieren.cases.links import case_inspect_url
from klachtformulieren.intake import uploads
from klachtformulieren.models import Complaint, ComplaintAttachment
from tests.factories import png_bytes, role_user, with_new_token
from tests.klachtformulieren.intake.fake_clamd import FOUND, OK, fake_clamds, unreachable_clamd

pytestmark = pytest.mark.django_db

Scan = ComplaintAttachment.Scan


@pytest.fixture
def fake_clamd(settings):
    with fake_clamds(settings) as start:
        yield start


@pytest.fixture
def scanner_down(settings, tmp_path):
    unreachable_clamd(settings, tmp_path)


def file_with_photo(file_complaint, form_page, valid_post):
    upload = SimpleUploadedFile("foto van de balie.png", png_bytes(), content_type="image/png")
    return file_complaint(form_page, {**with_new_token(valid_post), "attachments": [upload]})


def png_size():
    with translation.override("nl"):
        return filesizeformat(len(png_bytes()))


def download_url(attachment):
    return f"/admin/klachten/bijlagen/{attachment.pk}/"


def test_with_the_scanner_down_the_complaint_is_filed_and_its_file_quarantined(
    scanner_down, file_complaint, form_page, valid_post
):
    response = file_with_photo(file_complaint, form_page, valid_post)

    assert response.status_code == 302  # to the thank-you page: nothing refused
    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    assert attachment.scan == Scan.QUARANTINED
    assert attachment.file.read() == png_bytes()  # kept, for the rescan


def test_a_clean_scan_stores_the_file_as_checked(fake_clamd, file_complaint, form_page, valid_post):
    fake_clamd(OK)

    file_with_photo(file_complaint, form_page, valid_post)

    assert ComplaintAttachment.objects.get().scan == Scan.CLEAN


def test_an_infected_file_is_still_refused_and_nothing_is_filed(fake_clamd, file_complaint, form_page, valid_post):
    fake_clamd(FOUND)

    response = file_with_photo(file_complaint, form_page, valid_post)

    assert response.status_code == 200
    with translation.override("nl"):
        refusal = str(uploads.MESSAGES["infected"]) % {"name": "foto van de balie.png"}
    assert refusal in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("state", [Scan.QUARANTINED, Scan.INFECTED])
def test_nobody_downloads_a_file_that_is_not_checked_clean(
    client, scanner_down, file_complaint, form_page, valid_post, state
):
    file_with_photo(file_complaint, form_page, valid_post)
    attachment = ComplaintAttachment.objects.get()
    ComplaintAttachment.objects.filter(pk=attachment.pk).update(scan=state)
    client.force_login(role_user(roles.COORDINATOR, municipalities=[attachment.complaint.municipality]))

    response = client.get(download_url(attachment))

    assert response.status_code == 302
    assert response["Location"] == case_inspect_url(attachment.complaint_id)
    assert not hasattr(response, "streaming_content")
    (message,) = [str(message) for message in get_messages(response.wsgi_request)]
    assert "foto-van-de-balie.png" in message


def test_the_case_file_shows_the_quarantine_instead_of_a_link(
    client, scanner_down, file_complaint, form_page, valid_post
):
    file_with_photo(file_complaint, form_page, valid_post)
    attachment = ComplaintAttachment.objects.get()
    client.force_login(role_user(roles.COORDINATOR, municipalities=[attachment.complaint.municipality]))

    html = client.get(case_inspect_url(attachment.complaint_id)).content.decode()

    with translation.override("nl"):
        state, timeline = str(Scan.QUARANTINED.label), str(translation.gettext("Timeline"))
    attachments_section = html[: html.index(timeline)]
    assert f"foto-van-de-balie.png ({png_size()}): <strong>{state}</strong>" in attachments_section
    assert download_url(attachment) not in html  # nowhere: not in the timeline either


def test_a_checked_file_is_linked_and_downloads(client, fake_clamd, file_complaint, form_page, valid_post):
    fake_clamd(OK)
    file_with_photo(file_complaint, form_page, valid_post)
    attachment = ComplaintAttachment.objects.get()
    client.force_login(role_user(roles.COORDINATOR, municipalities=[attachment.complaint.municipality]))

    html = client.get(case_inspect_url(attachment.complaint_id)).content.decode()
    response = client.get(download_url(attachment))

    assert f'<a href="{download_url(attachment)}">' in html
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
