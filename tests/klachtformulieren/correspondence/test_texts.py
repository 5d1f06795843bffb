"""The shipped texts follow the site's language (English the source, Dutch the translation),
use plain words (B1), and leave out what an empty setting would leave unfinished."""

import datetime

import pytest
import time_machine
from django.utils import translation

from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.correspondence.receipt import submitted_answers
from klachtformulieren.correspondence.texts import case_values, render_body
from klachtformulieren.models import Notification
from tests.factories import ComplaintFactory, MunicipalityFactory, PartnerFactory

pytestmark = pytest.mark.django_db

RECEIVED = datetime.datetime(2026, 11, 24, 10, 17, tzinfo=datetime.UTC)


@pytest.fixture
def complaint():
    return ComplaintFactory(
        municipality=MunicipalityFactory(name="Gemeente Proefdorp"),
        received_at=RECEIVED,
        name="Jan de Klager",
        conduct_date=datetime.date(2026, 11, 2),
        partner=PartnerFactory(name="Thuiszorg De Linde"),
    )


def acknowledgement(complaint):
    values = case_values(complaint, status_link="https://klachten.example/status/abc/")
    return queue_notification(complaint, Notification.Kind.ACKNOWLEDGEMENT, recipient="jan@example.org", values=values)


@time_machine.travel(RECEIVED, tick=False)
def test_on_an_english_site_the_acknowledgement_is_english_with_english_dates_and_labels(complaint, settings):
    settings.LANGUAGE_CODE = "en"

    with translation.override("nl"):  # whatever language the request that filed it was in
        mail = acknowledgement(complaint)

    assert mail.subject == f"We have received your complaint ({complaint.reference})"
    assert mail.body.startswith("Dear Jan de Klager,\n\nWe received your complaint on 24 November 2026.")
    assert "We will contact you on Tuesday 1 December 2026 at the latest." in mail.body
    assert "on Tuesday 5 January 2027 at the latest" in mail.body
    assert "When did it happen: 2 November 2026" in mail.body
    assert "About: Thuiszorg De Linde" in mail.body
    assert "Kind regards,\nGemeente Proefdorp" in mail.body
    for dutch in ("Beste", "Uiterlijk", "dinsdag", "november", "Wanneer"):
        assert dutch not in mail.body, dutch


@time_machine.travel(RECEIVED, tick=False)
def test_on_a_dutch_site_the_acknowledgement_is_dutch_with_dutch_dates_and_plain_labels(complaint, settings):
    settings.LANGUAGE_CODE = "nl"

    with translation.override("en"):
        mail = acknowledgement(complaint)

    assert mail.subject == f"Wij hebben uw klacht ontvangen ({complaint.reference})"
    assert "Op 24 november 2026 hebben wij uw klacht ontvangen." in mail.body
    assert "Uiterlijk dinsdag 1 december 2026 nemen wij contact met u op." in mail.body
    assert "Uiterlijk dinsdag 5 januari 2027 krijgt u van ons een besluit" in mail.body
    assert "Wanneer gebeurde het: 2 november 2026" in mail.body
    assert "Gaat over: Thuiszorg De Linde" in mail.body
    assert "gedraging" not in mail.body and "Over partner" not in mail.body


def test_the_pdf_receipt_uses_the_plain_labels_of_the_acknowledgement(complaint):
    with translation.override("nl"):
        labels = [label for label, _answer in submitted_answers(complaint)]

    assert "Wanneer gebeurde het" in labels and "Gaat over" in labels
    assert "Datum van de gedraging" not in labels and "Over partner" not in labels


def test_a_sentence_with_an_empty_setting_is_left_out_and_the_rest_of_its_paragraph_stays():
    text = render_body(
        "Beste {naam},\n\nVragen? Bel {gemeente} op {telefoon} en noem uw kenmerk. Of schrijf ons een brief.",
        {"name": "Jan", "municipality": "Gemeente Proefdorp", "telefoon": ""},
    )

    assert text == "Beste Jan,\n\nVragen? Of schrijf ons een brief."
    assert "Bel" not in text and " op  en " not in text


def test_a_line_with_an_empty_value_is_left_out():
    text = render_body(
        "Er is een e-mail binnengekomen.\n\nVan: {afzender}\nOnderwerp: {onderwerp}\n\nBekijk hem.",
        {"mail_sender": "jan@example.org", "mail_subject": ""},
    )

    assert text == "Er is een e-mail binnengekomen.\n\nVan: jan@example.org\n\nBekijk hem."


def test_the_decision_letter_without_an_ombudsman_website_has_no_sentence_pointing_to_it(complaint, settings):
    settings.LANGUAGE_CODE = "nl"
    complaint.municipality.ombudsman_url = ""
    complaint.municipality.save()
    values = {
        **case_values(complaint),
        "addressee": "Jan de Klager",
        "ombudsman": "Nationale ombudsman",
        "ombudsman_url": "",
        "ombudsman_term": "1 jaar",
        "signature": "Gemeente Proefdorp",
        "outcome": "ongegrond",
        "outcome_explanation": "Dat betekent: u heeft volgens ons geen gelijk.",
        "findings": "F",
        "judgement": "O",
    }

    letter = queue_notification(complaint, Notification.Kind.DECISION, recipient="jan@example.org", values=values)

    assert "Dan kunt u met uw klacht naar Nationale ombudsman." in letter.body
    assert "leest u hoe dat gaat" not in letter.body and "Op  " not in letter.body
