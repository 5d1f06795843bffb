"""The case file's timeline follows a step's letter: drafted, approved, sent off, posted."""

import datetime

import pytest
import time_machine

from klachtformulieren.cases import case_file, roles, workflow
from klachtformulieren.correspondence import letters
from klachtformulieren.models import Complaint, Notification, Outcome
from tests.factories import ComplaintFactory, role_user

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
def test_the_timeline_shows_a_letter_drafted_approved_sent_off_and_posted(municipality):
    municipality.letters_need_approval = True
    municipality.save()
    writer = role_user(roles.COORDINATOR, municipalities=[municipality], first_name="Wim")
    approver = role_user(roles.COORDINATOR, municipalities=[municipality], first_name="Anna")
    complaint = ComplaintFactory(municipality=municipality, received_at=NOW - datetime.timedelta(days=3), email="")
    workflow.not_handled(complaint, writer, reason_code="b", reason="Ouder dan een jaar.")
    letter = complaint.notifications.get(kind=Notification.Kind.NOT_HANDLED_NOTICE)

    (drafted,) = [entry for entry in case_file.timeline(complaint) if entry.kind == "mail"]
    assert "concept" in drafted.text

    letters.approve(letter, approver, version=letters.text_version(letter))
    letters.send_off(Notification.objects.get(pk=letter.pk), writer)
    letters.mark_posted(Notification.objects.get(pk=letter.pk), approver, posted_on=NOW.date())

    titles = [(entry.title, entry.user) for entry in case_file.timeline(complaint) if entry.kind == "mail"]
    kind = letter.get_kind_display()
    assert (f"{kind} goedgekeurd", approver) in titles
    assert (f"{kind} verstuurd", writer) in titles
    assert (f"{kind} gepost", approver) in titles
    assert complaint.outcome == Outcome.NOT_HANDLED


def test_art_9_8_the_notice_term_is_met_when_the_notice_goes_out_not_when_it_is_drafted(municipality):
    writer = role_user(roles.COORDINATOR, municipalities=[municipality], first_name="Wim")
    received = NOW - datetime.timedelta(days=3)
    complaint = ComplaintFactory(municipality=municipality, received_at=received, email="")
    with time_machine.travel(NOW, tick=False):
        workflow.not_handled(complaint, writer, reason_code="b", reason="Ouder dan een jaar.")
    letter = complaint.notifications.get(kind=Notification.Kind.NOT_HANDLED_NOTICE)

    def notice_term():
        (term,) = [term for term in case_file.terms(complaint) if "9:8" in str(term.label)]
        return term

    assert notice_term().met_on is None  # a draft has not told the complainant anything
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        letters.send_off(Notification.objects.get(pk=letter.pk), writer)
    posted_on = (NOW + datetime.timedelta(days=5)).date()
    with time_machine.travel(NOW + datetime.timedelta(days=6), tick=False):
        letters.mark_posted(Notification.objects.get(pk=letter.pk), writer, posted_on=posted_on)

    assert notice_term().met_on == posted_on


def test_art_9_11_the_decision_term_is_met_when_the_decision_letter_goes_out(municipality):
    handler = role_user(roles.COORDINATOR, municipalities=[municipality], first_name="Hans")
    complaint = ComplaintFactory(
        municipality=municipality, received_at=NOW - datetime.timedelta(days=20), status="handling"
    )
    complaint.hearing_waived_reason = "De klager wil niet gehoord worden."
    complaint.save()
    with time_machine.travel(NOW, tick=False):
        workflow.decide(complaint, handler, outcome=Outcome.UNFOUNDED, findings="Bevinding", reasons="Oordeel")
    letter = complaint.notifications.get(kind=Notification.Kind.DECISION)

    def decision_term():
        (term,) = [term for term in case_file.terms(complaint) if "9:11" in str(term.label)]
        return term

    assert decision_term().met_on is None  # decided, but the complainant has not been told
    assert Complaint.objects.get(letter_not_sent=True) == complaint  # the work queue's mark
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        letters.send_off(Notification.objects.get(pk=letter.pk), handler)

    assert decision_term().met_on == (NOW + datetime.timedelta(days=1)).date()
    assert not Complaint.objects.filter(letter_not_sent=True).exists()
