"""The say afterwards (like Signalen's satisfaction survey): when a case is closed, the
complainant gets a link to two short questions and can ask the municipality to look again.

The link carries a random token (only its hash is kept), works ``SURVEY_DAYS`` days and is
answered once; no account. A request to look again is a reopen request the coordinators accept
or decline with a reason (the steps ``accept_reopen_request`` and ``decline_reopen_request``).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.correspondence.texts import absolute_case_link, case_values, ombudsman_values
from klachtformulieren.models import Notification, SatisfactionSurvey

SURVEY_DAYS = 14

VALID = "valid"
EXPIRED = "expired"
ANSWERED = "answered"


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def public_link(path):
    """``path`` on the public site's own host (the default site), not the admin's."""
    site = Site.objects.filter(is_default_site=True).first()
    base = site.root_url if site else getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return base.rstrip("/") + path


def invite(complaint, now=None):
    """Mail the survey link as the case is closed; once per case, only with an email address."""
    if not complaint.email or SatisfactionSurvey.objects.filter(complaint=complaint).exists():
        return None
    token = secrets.token_urlsafe(32)
    survey = SatisfactionSurvey.objects.create(
        complaint=complaint, token_hash=_hash(token), sent_at=now or timezone.now()
    )
    link = public_link(reverse("klachtformulieren:survey", kwargs={"token": token}))
    queue_notification(
        complaint,
        Notification.Kind.SURVEY_INVITATION,
        recipient=complaint.email,
        values={**case_values(complaint), "link": link, "days": SURVEY_DAYS},
    )
    return survey


def survey_for_token(token, now=None):
    """(survey, VALID | EXPIRED | ANSWERED), or (None, EXPIRED) for a link that never was."""
    now = now or timezone.now()
    survey = (
        SatisfactionSurvey.objects.select_related("complaint__municipality").filter(token_hash=_hash(token)).first()
    )
    if survey is None or survey.complaint.destroyed_at is not None:
        return None, EXPIRED
    if survey.answered_at is not None:
        return survey, ANSWERED
    if now > survey.sent_at + datetime.timedelta(days=SURVEY_DAYS):
        return survey, EXPIRED
    return survey, VALID


def answer(survey, *, satisfied, could_be_better, look_again, now=None):
    """Store the answers once; a request to look again goes to the coordinators."""
    survey.answered_at = now or timezone.now()
    survey.satisfied = satisfied
    survey.could_be_better = could_be_better.strip()
    survey.reopen_requested = bool(look_again)
    survey.save()
    if survey.reopen_requested:
        complaint = survey.complaint
        queue_notification(
            complaint,
            Notification.Kind.REOPEN_REQUEST_NOTICE,
            recipient=complaint.municipality.coordinators_email,
            values={
                **case_values(complaint, admin_link=absolute_case_link(complaint)),
                "could_be_better": survey.could_be_better or "-",
            },
        )


def mail_reopen_answer(survey):
    """Tell the complainant the answer; a decline names the ombudsman and the term (Awb 9:18)."""
    complaint = survey.complaint
    if not complaint.email:
        return None
    accepted = survey.reopen_answer == SatisfactionSurvey.ReopenAnswer.ACCEPTED
    return queue_notification(
        complaint,
        Notification.Kind.REOPEN_ACCEPTED if accepted else Notification.Kind.REOPEN_DECLINED,
        recipient=complaint.email,
        values={
            **case_values(complaint),
            "answer_reason": survey.reopen_answer_reason,
            **ombudsman_values(complaint.municipality),
        },
    )
