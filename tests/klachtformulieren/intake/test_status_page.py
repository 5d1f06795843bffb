"""The complainant's status page behind the secret link."""

import datetime

import pytest
from django.utils import timezone

from klachtformulieren.cases import workflow
from klachtformulieren.intake.status import TOKEN_BYTES, hash_status_token
from klachtformulieren.models import Outcome, Status

pytestmark = pytest.mark.django_db


def test_token_has_at_least_128_bits_and_only_its_hash_is_stored(complaint_with_token):
    complaint, token = complaint_with_token

    assert TOKEN_BYTES * 8 >= 128
    assert token not in complaint.status_token_hash
    assert complaint.status_token_hash == hash_status_token(token)


def test_status_page_shows_reference_received_date_step_and_decision_due(client, complaint_with_token):
    complaint, token = complaint_with_token

    response = client.get(f"/klachten/status/{token}/", follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert complaint.reference in html
    assert "24 november 2026" in html
    assert "5 januari 2027" in html
    assert "We hebben uw klacht ontvangen" in html or "Wij hebben uw klacht ontvangen" in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_status_page_shows_nothing_the_complainant_did_not_send(client, complaint_with_token):
    complaint, token = complaint_with_token
    complaint.status = Status.HANDLING
    complaint.save()

    html = client.get(f"/klachten/status/{token}/", follow=True).content.decode()

    assert "Geheim verhaal" not in html  # not even their own text: the link may leak
    assert "06 12345678" not in html
    assert "Iemand die niet betrokken was" in html


def test_the_link_is_exchanged_for_a_session_and_the_page_has_no_token_in_its_address(client, complaint_with_token):
    complaint, token = complaint_with_token
    client.get("/")  # a session a third party might have planted beforehand
    planted = client.session.session_key

    exchange = client.get(f"/klachten/status/{token}/")
    page = client.get(exchange["Location"])

    assert exchange.status_code == 302
    assert exchange["Location"] == "/klachten/status/"
    assert token not in exchange["Location"]
    assert exchange["Referrer-Policy"] == "no-referrer"
    assert "no-store" in exchange["Cache-Control"]
    assert client.session.session_key != planted
    assert token not in str(dict(client.session))  # only the case and the token's hash
    assert page.status_code == 200 and complaint.reference in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer" and "no-store" in page["Cache-Control"]


def test_the_status_session_is_short_lived(client, complaint_with_token, settings):
    import time_machine

    complaint, token = complaint_with_token
    settings.KLACHTFORMULIEREN_STATUS_SESSION_MINUTES = 30
    client.get(f"/klachten/status/{token}/")

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        later = client.get("/klachten/status/")

    assert later.status_code == 403
    assert complaint.reference not in later.content.decode()
    assert "link" in later.content.decode().lower()


def test_without_the_link_the_status_page_shows_nothing(client, complaint_with_token):
    complaint, _token = complaint_with_token

    response = client.get("/klachten/status/")

    assert response.status_code == 403
    assert complaint.reference not in response.content.decode()


def test_a_new_status_link_ends_the_sessions_opened_with_the_old_one(client, complaint_with_token):
    complaint, token = complaint_with_token
    client.get(f"/klachten/status/{token}/")
    complaint.status_token_hash = hash_status_token("een-nieuwe-link")
    complaint.save()

    assert client.get("/klachten/status/").status_code == 403


def test_wrong_expired_and_unknown_tokens_get_the_same_not_found(client, complaint_with_token):
    complaint, token = complaint_with_token
    complaint.received_at = timezone.now() - datetime.timedelta(days=420)
    closed_at = timezone.now() - datetime.timedelta(days=400)
    workflow.reach_outcome(complaint, outcome=Outcome.RESOLVED_INFORMALLY, closed_at=closed_at)
    complaint.save()

    expired = client.get(f"/klachten/status/{token}/")
    wrong = client.get(f"/klachten/status/{token[:-1]}x/")
    unknown = client.get("/klachten/status/bestaat-niet/")

    assert expired.status_code == wrong.status_code == unknown.status_code == 404
    assert expired.content == wrong.content == unknown.content


def test_status_lookups_are_rate_limited(client, complaint_with_token, settings):
    from django.core.cache import cache

    cache.clear()
    settings.KLACHTFORMULIEREN_STATUS_RATE = "3/h"
    for _ in range(3):
        client.get("/klachten/status/gok/")

    response = client.get("/klachten/status/gok/")

    assert response.status_code == 429
    assert "Probeer het over een uur opnieuw" in response.content.decode()


def test_status_page_leaves_out_the_phone_sentence_when_the_municipality_has_no_phone(client, complaint_with_token):
    complaint, token = complaint_with_token
    complaint.municipality.phone = ""
    complaint.municipality.save()

    html = client.get(f"/klachten/status/{token}/", follow=True).content.decode()

    assert "Bel " not in html and " op  en " not in html
    assert complaint.municipality.contact_email in html
