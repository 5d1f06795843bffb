"""The say afterwards: the survey mailed when a case is closed, and the request to look again."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from klachtformulieren.cases import workflow
from klachtformulieren.cases.steps import STEPS, allowed_steps
from klachtformulieren.cases.workflow import StepNotAllowed
from klachtformulieren.models import Notification, Outcome, SatisfactionSurvey, Status
from tests.factories import ComplaintFactory, UserFactory

pytestmark = pytest.mark.django_db

CLOSED_AT = "2026-11-24 10:00:00+01:00"


@pytest.fixture
def closed(site, municipality, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(
        municipality=municipality,
        received_at=datetime.datetime(2026, 11, 3, 9, tzinfo=datetime.UTC),
        outcome=Outcome.UNFOUNDED,
        decided_at=datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC),
    )
    assert complaint.status == Status.DECIDED
    with time_machine.travel(CLOSED_AT, tick=False), django_capture_on_commit_callbacks(execute=True):
        workflow.close(complaint, UserFactory(username="coordinator"), satisfied=True)
    return complaint


def survey_path():
    message = next(message for message in mail.outbox if "Hoe vond u" in message.subject)
    return re.search(r"https?://[^/\s]+(/klachten/tevredenheid/[^/\s]+/)", message.body).group(1)


def answer(client, path, capture, **data):
    with capture(execute=True):
        return client.post(path, {"satisfied": "nee", "could_be_better": "Sneller antwoorden.", **data})


def test_closing_a_case_mails_the_complainant_a_survey_link(closed):
    message = next(message for message in mail.outbox if "Hoe vond u" in message.subject)

    assert message.to == [closed.email]
    assert "14 dagen" in message.body
    assert SatisfactionSurvey.objects.get(complaint=closed).answered_at is None


def test_the_survey_is_answered_once_and_a_reused_link_says_so(closed, client, django_capture_on_commit_callbacks):
    path = survey_path()
    with time_machine.travel("2026-11-30 10:00:00+01:00", tick=False):
        assert client.get(path).status_code == 200
        response = answer(client, path, django_capture_on_commit_callbacks)
        again = client.get(path)
        sent_again = answer(client, path, django_capture_on_commit_callbacks, satisfied="ja")

    assert response.status_code == 200
    survey = SatisfactionSurvey.objects.get()
    assert (survey.satisfied, survey.could_be_better, survey.reopen_requested) == (False, "Sneller antwoorden.", False)
    assert "al beantwoord" in again.content.decode()
    assert "al beantwoord" in sent_again.content.decode()
    assert SatisfactionSurvey.objects.get().satisfied is False


def test_an_expired_survey_link_is_refused_after_14_days(closed, client, django_capture_on_commit_callbacks):
    path = survey_path()
    with time_machine.travel("2026-12-08 10:00:01+01:00", tick=False):
        response = answer(client, path, django_capture_on_commit_callbacks)

    assert response.status_code == 410
    assert "werkt niet meer" in response.content.decode()
    assert SatisfactionSurvey.objects.get().answered_at is None


def test_an_unknown_survey_link_gets_the_expired_page(client, site):
    assert client.get("/klachten/tevredenheid/bestaat-niet/").status_code == 410


def test_a_reopen_request_declined_with_a_reason_mails_the_ombudsman_and_the_term(
    closed, client, django_capture_on_commit_callbacks
):
    path = survey_path()
    answer(client, path, django_capture_on_commit_callbacks, look_again="on")
    notice = Notification.objects.get(kind=Notification.Kind.REOPEN_REQUEST_NOTICE)
    assert notice.recipient == closed.municipality.coordinators_email
    assert [step.name for step in allowed_steps(closed) if "reopen_request" in step.name] == [
        "accept_reopen_request",
        "decline_reopen_request",
    ]
    coordinator = UserFactory(username="coordinator2")
    with pytest.raises(StepNotAllowed):
        workflow.decline_reopen_request(closed, coordinator, reason=" ")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.decline_reopen_request(closed, coordinator, reason="Er zijn geen nieuwe feiten.")

    closed.refresh_from_db()
    assert closed.status == Status.CLOSED
    survey = SatisfactionSurvey.objects.get()
    assert survey.reopen_answer == SatisfactionSurvey.ReopenAnswer.DECLINED
    assert survey.reopen_answered_by == coordinator
    message = next(message for message in mail.outbox if "niet opnieuw" in message.subject)
    assert message.to == [closed.email]
    assert "Er zijn geen nieuwe feiten." in message.body
    assert closed.municipality.ombudsman_name in message.body
    assert closed.municipality.ombudsman_term_display in message.body
    assert closed.municipality.ombudsman_url in message.body
    assert closed.history.first().history_step == "decline_reopen_request"
    # Answered once: neither step is offered any more.
    assert not [step for step in allowed_steps(closed) if "reopen_request" in step.name]


def test_the_answer_to_a_reopen_request_is_in_the_site_s_language_whatever_the_coordinator_s(
    closed, client, django_capture_on_commit_callbacks
):
    answer(client, survey_path(), django_capture_on_commit_callbacks, look_again="on")

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        workflow.decline_reopen_request(closed, UserFactory(username="c5"), reason="Er zijn geen nieuwe feiten.")

    message = next(message for message in mail.outbox if "niet opnieuw" in message.subject)
    assert message.body.startswith("Beste ")
    assert "binnen 1 jaar na onze brief" in message.body and "year" not in message.body


def test_an_accepted_reopen_request_handles_the_case_again(closed, client, django_capture_on_commit_callbacks):
    answer(client, survey_path(), django_capture_on_commit_callbacks, look_again="on")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.accept_reopen_request(closed, UserFactory(username="c3"), reason="")

    closed.refresh_from_db()
    assert closed.status == Status.HANDLING and closed.closed_at is None
    assert any("opnieuw naar uw klacht" in message.subject for message in mail.outbox)


def test_without_a_request_to_look_again_neither_step_is_offered(closed):
    assert STEPS["decline_reopen_request"].allowed_from(closed.status)
    with pytest.raises(StepNotAllowed):
        workflow.decline_reopen_request(closed, UserFactory(username="c4"), reason="Geen reden")


def test_the_survey_page_keeps_its_address_to_this_site_so_a_browser_can_post_it(closed, client):
    # Under "no-referrer" a browser posts the form with "Origin: null", which the CSRF check refuses.
    response = client.get(survey_path())

    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
