"""A mail that was not sent shows to the coordinators, who send it again or by post."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from klachtformulieren.cases import roles
from klachtformulieren.cases.links import case_inspect_url
from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.models import Notification
from tests.factories import ComplaintFactory, MunicipalityFactory, role_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(municipality):
    return role_user(roles.COORDINATOR, municipalities=[municipality], username="coordinator")


@pytest.fixture
def refused(municipality):
    """An acknowledgement the mail server refused for good (550)."""
    complaint = ComplaintFactory(municipality=municipality)
    notification = queue_notification(
        complaint, Notification.Kind.ACKNOWLEDGEMENT, recipient="jan@example.org", values={"reference": "x"}
    )
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.FAILED, last_error="550 5.1.1 User unknown"
    )
    return Notification.objects.get(pk=notification.pk)


def dutch(text):
    with translation.override("nl"):
        return str(translation.gettext(text))


def test_the_dashboard_lists_mails_not_sent_with_their_reason(client, coordinator, refused):
    client.force_login(coordinator)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'id="klachten-niet-verstuurd-section"' in html
    assert refused.complaint.reference in html
    assert "550 5.1.1 User unknown" in html
    assert f'href="{case_inspect_url(refused.complaint_id)}#tijdlijn"' in html


def test_the_dashboard_says_nothing_when_every_mail_went(client, coordinator, municipality):
    ComplaintFactory(municipality=municipality)
    client.force_login(coordinator)

    assert "klachten-niet-verstuurd" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_another_municipalitys_failures_stay_out_of_sight(client, refused):
    other = role_user(roles.COORDINATOR, municipalities=[MunicipalityFactory(name="Elders", slug="elders")])
    client.force_login(other)

    assert refused.complaint.reference not in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.post(reverse("klachtformulieren_letter_again", args=[refused.pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=refused.pk).state == Notification.State.FAILED


def test_the_timeline_says_not_sent_and_offers_both_ways_out(client, coordinator, refused):
    client.force_login(coordinator)

    html = client.get(case_inspect_url(refused.complaint_id)).content.decode()

    kind = dutch("Acknowledgement of receipt")
    assert dutch("%(kind)s not sent") % {"kind": kind} in html
    assert reverse("klachtformulieren_letter_again", args=[refused.pk]) in html
    assert reverse("klachtformulieren_letter_post", args=[refused.pk]) in html


def test_send_again_delivers_the_mail(client, coordinator, refused, django_capture_on_commit_callbacks):
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("klachtformulieren_letter_again", args=[refused.pk]))

    assert response.status_code == 302
    assert response["Location"].endswith("#tijdlijn")
    assert Notification.objects.get(pk=refused.pk).state == Notification.State.SENT
    assert mail.outbox[0].to == ["jan@example.org"]


def test_send_by_post_marks_it_posted_and_opens_the_letter_to_print(client, coordinator, refused):
    client.force_login(coordinator)

    response = client.post(reverse("klachtformulieren_letter_post", args=[refused.pk]))

    assert response["Location"] == reverse("klachtformulieren_letter", args=[refused.pk])
    refused.refresh_from_db()
    assert refused.state == Notification.State.SENT and refused.medium == Notification.Medium.POST
    assert mail.outbox == []


def test_send_again_takes_only_a_post(client, coordinator, refused):
    client.force_login(coordinator)

    assert client.get(reverse("klachtformulieren_letter_again", args=[refused.pk])).status_code == 405
