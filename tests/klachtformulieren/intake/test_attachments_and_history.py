"""Attachments stay private; every case keeps its change history."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from klachtformulieren.cases import roles
from klachtformulieren.models import Complaint, ComplaintAttachment
from tests.factories import UserFactory, png_bytes, role_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(file_complaint, form_page, valid_post):
    upload = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
    file_complaint(form_page, {**valid_post, "attachments": [upload]})
    return ComplaintAttachment.objects.get()


def staff_user(*permissions):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_attachments_are_not_reachable_under_the_public_media_url(client, attachment, settings):
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_anonymous_visitors_cannot_download_an_attachment(client, attachment):
    response = client.get(f"/admin/klachten/bijlagen/{attachment.pk}/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_the_right_to_see_cases_cannot_download(client, attachment):
    client.force_login(staff_user())

    response = client.get(f"/admin/klachten/bijlagen/{attachment.pk}/")

    # Not found rather than refused: nobody learns that the case exists.
    assert response.status_code == 404


def test_staff_who_may_see_cases_download_it_as_an_attachment(client, attachment):
    client.force_login(role_user(roles.COORDINATOR, municipalities=[attachment.complaint.municipality]))

    response = client.get(f"/admin/klachten/bijlagen/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="foto.png"')
    assert b"".join(response.streaming_content) == png_bytes()
    assert "sandbox" in response["Content-Security-Policy"]


def test_registration_leaves_a_history_record(file_complaint, form_page, valid_post):
    file_complaint(form_page, valid_post)

    complaint = Complaint.objects.get()
    records = complaint.history.all()
    assert records.count() == 1
    assert records.get().history_type == "+"
    assert not hasattr(records.get(), "status_token_hash")  # the link's hash is not copied into history


def test_history_records_the_acting_user(client, file_complaint, form_page, valid_post):
    file_complaint(form_page, valid_post)
    complaint = Complaint.objects.get()
    coordinator = UserFactory()

    complaint._history_user = coordinator
    complaint.status = "intake"
    complaint.save()

    assert complaint.history.first().history_user == coordinator
