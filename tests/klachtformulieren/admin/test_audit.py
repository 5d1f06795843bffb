"""Who read what: every read and export of a case lands in Wagtail's audit log (Site history)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from klachtformulieren.admin import audit
from klachtformulieren.cases import roles
from klachtformulieren.cases.links import case_index_url, case_inspect_url
from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.models import ComplaintAttachment, Notification
from tests.factories import ComplaintFactory, role_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, municipality):
    user = role_user(roles.COORDINATOR, municipalities=[municipality], username="coordinator")
    client.force_login(user)
    return user


@pytest.fixture
def complaint(municipality):
    return ComplaintFactory(municipality=municipality)


def entries(action):
    return ModelLogEntry.objects.filter(action=action)


def test_opening_a_case_file_is_logged_with_user_and_address(client, coordinator, complaint):
    client.get(case_inspect_url(complaint.pk), REMOTE_ADDR="192.0.2.10")

    entry = entries(audit.VIEW_CASE).get()
    assert entry.user == coordinator
    assert entry.object_id == str(complaint.pk) and entry.label == complaint.reference
    assert entry.data["address"] == "192.0.2.10"


def test_downloading_an_attachment_is_logged(client, coordinator, complaint):
    attachment = ComplaintAttachment(complaint=complaint, name="foto.png", content_type="image/png", size=3, sha256="x")
    attachment.file.save("foto.png", ContentFile(b"png"), save=True)

    client.get(reverse("klachtformulieren_attachment", args=[attachment.pk]))

    assert entries(audit.DOWNLOAD_ATTACHMENT).get().data["attachment"] == attachment.pk


def test_viewing_a_letter_is_logged(client, coordinator, complaint):
    letter = queue_notification(complaint, Notification.Kind.DECISION, recipient="", values={}, medium="post")

    client.get(reverse("klachtformulieren_letter", args=[letter.pk]))

    assert entries(audit.VIEW_LETTER).get().data["letter"] == letter.pk


def test_a_search_in_the_cases_is_logged_with_what_was_searched(client, coordinator, complaint):
    client.get(case_index_url(), {"q": "Jansen"})

    assert entries(audit.SEARCH_CASES).get().data["query"] == "Jansen"


def test_viewing_and_exporting_the_annual_report_are_logged(client, coordinator, municipality, complaint):
    url = reverse("klachtformulieren_annual_report")
    client.get(url)
    client.get(url, {"export": "csv"})

    assert entries(audit.VIEW_REPORT).count() == 1
    export = entries(audit.EXPORT_REPORT).get()
    assert export.data["format"] == "csv" and export.label == municipality.name


def test_the_entries_show_in_site_history_with_their_own_filter(client, municipality, complaint):
    administrator = role_user(roles.ADMINISTRATOR, is_superuser=True)
    client.force_login(administrator)
    client.get(case_inspect_url(complaint.pk))

    history = client.get(reverse("wagtailadmin_reports:site_history"), {"action": audit.VIEW_CASE})

    assert history.status_code == 200
    html = history.content.decode()
    assert complaint.reference in html
    assert audit.VIEW_CASE in html  # the action is one of the filter's choices
