""" "Mijn klachten": one link by email to all of a citizen's complaints of the last two years."""

import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from klachtformulieren.models import MyComplaintsLink
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

ASK = "/klachten/mijn-klachten/"
NOW = "2026-11-24 10:00:00+01:00"


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def post(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(ASK, {"email": email})

    return post


def mailed_link():
    [message] = mail.outbox
    return re.search(r"http://testserver(/klachten/mijn-klachten/[^/\s]+/)", message.body).group(1)


@time_machine.travel(NOW, tick=False)
def test_a_known_and_an_unknown_address_get_the_same_page(ask, site):
    ComplaintFactory(email="klager@example.org")

    known = ask("Klager@example.org")
    unknown = ask("niemand@example.org")

    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Klager@example.org"]
    # The same work for both, but for the mail: a link row for each.
    assert MyComplaintsLink.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_the_link_lists_the_complaints_of_the_last_two_years_and_works_once(ask, client, site):
    recent = ComplaintFactory(email="klager@example.org")
    with time_machine.travel("2024-10-01 10:00:00+02:00", tick=False):
        old = ComplaintFactory(email="klager@example.org")
    someone_else = ComplaintFactory(email="ander@example.org")
    ask("klager@example.org")
    link = mailed_link()

    response = client.get(link, follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("klachtformulieren:my_complaints_overview")
    assert recent.reference in page
    assert old.reference not in page and someone_else.reference not in page
    assert "nofollow" in response["X-Robots-Tag"]

    client.cookies.clear()
    again = client.get(link, follow=True)
    assert recent.reference not in again.content.decode()
    assert "werkt niet meer" in again.content.decode()


def test_the_link_stops_working_after_two_hours(ask, client, site):
    ComplaintFactory(email="klager@example.org")
    with time_machine.travel(NOW, tick=False):
        ask("klager@example.org")
    link = mailed_link()

    with time_machine.travel("2026-11-24 12:00:01+01:00", tick=False):
        response = client.get(link, follow=True)

    assert "werkt niet meer" in response.content.decode()
    assert MyComplaintsLink.objects.get().used_at is None


@time_machine.travel(NOW, tick=False)
def test_from_the_overview_a_complaint_opens_on_its_status_page_but_not_anothers(ask, client, site):
    mine = ComplaintFactory(email="klager@example.org")
    other = ComplaintFactory(email="ander@example.org")
    ask("klager@example.org")
    client.get(mailed_link())

    response = client.get(reverse("klachtformulieren:my_complaints_status", args=[mine.reference]), follow=True)
    assert mine.reference in response.content.decode()
    refused = client.get(reverse("klachtformulieren:my_complaints_status", args=[other.reference]))
    assert refused.status_code == 404


def test_without_a_session_the_overview_sends_you_to_ask_for_a_link(client, site):
    response = client.get(reverse("klachtformulieren:my_complaints_overview"))

    assert response.status_code == 302 and response["Location"] == ASK


@time_machine.travel(NOW, tick=False)
def test_asking_for_links_is_rate_limited_per_client_and_mails_an_address_a_few_times_an_hour(ask, site, settings):
    ComplaintFactory(email="klager@example.org")
    for _attempt in range(5):
        assert ask("klager@example.org").status_code == 200

    assert ask("klager@example.org").status_code == 429
    assert len(mail.outbox) == 3


def test_a_mistyped_status_link_says_what_to_do_without_saying_whether_it_existed(client, site):
    response = client.get("/klachten/status/bestaat-niet/")

    assert response.status_code == 404
    page = response.content.decode()
    assert ASK in page and "Mijn klachten" in page
    assert "bel" in page.lower()
