"""The letters of the handling steps, written through the outbox.

- Awb 9:8 lid 3: a complaint not taken into handling: the ground, the ombudsman and the term
  (``send_not_handled_notice``).
- Awb 2:3: a complaint passed on to where it belongs (``send_forwarding_notice``).
- Awb 9:11 lid 2: a postponement, with reasons, to the complainant and to the person complained
  about (``send_postponement_notices``).
- Awb 9:12: the decision: findings, judgement, conclusion, the ombudsman and the term; no
  objection clause, because there is no objection against the handling of a complaint (Awb 9:3)
  (``send_decision_letter``).

The text is the editors' mail text of that kind (Snippets > Mail texts) or the built-in default
in ``texts.DEFAULT_TEMPLATES``. A letter goes by email when the addressee has an email
address, else it is kept as a letter by post (medium POST) that staff print from the case file.
The workflow step functions call these inside their transaction: the letter exists exactly
when the step does, and it stays on the case as its printable document.
"""

from django.conf import settings
from django.utils.translation import override

from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.correspondence.texts import case_values
from klachtformulieren.models import NotHandledReason, Notification, Outcome, ReferralKind


def letter_values(complaint, user, *, addressee):
    """The placeholders every letter has, in the municipality's language."""
    municipality = complaint.municipality
    signed_by = user.get_full_name() if user is not None else ""
    with override(settings.LANGUAGE_CODE):
        return {
            **case_values(complaint),
            "addressee": addressee,
            "municipality_address": municipality.postal_address,
            "ombudsman": municipality.ombudsman_name,
            "ombudsman_url": municipality.ombudsman_url,
            "ombudsman_term": str(municipality.ombudsman_term_display),
            "signature": "\n".join(part for part in (signed_by, municipality.name) if part),
        }


def _label(value, choices):
    with override(settings.LANGUAGE_CODE):
        return str(choices(value).label) if value else ""


def _send_to_complainant(complaint, kind, user, values):
    if complaint.email:
        return queue_notification(complaint, kind, recipient=complaint.email, values=values, created_by=user)
    # No email address: the letter by post, to the complainant's postal address.
    return queue_notification(
        complaint, kind, recipient="", values=values, medium=Notification.Medium.POST, created_by=user
    )


def send_not_handled_notice(complaint, user, *, reason=""):
    """Awb 9:8 lid 3: the complainant is told in writing, within 4 weeks of receipt, that the
    complaint is not taken into handling, on which ground, and where to go next."""
    values = {
        **letter_values(complaint, user, addressee=complaint.name),
        "not_handled_ground": _label(complaint.not_handled_reason, NotHandledReason),
        "not_handled_explanation": reason,
    }
    return _send_to_complainant(complaint, Notification.Kind.NOT_HANDLED_NOTICE, user, values)


def send_forwarding_notice(complaint, user, *, reason=""):
    """Awb 2:3: the complainant is told where the complaint went, and why."""
    values = {
        **letter_values(complaint, user, addressee=complaint.name),
        "referred_to": complaint.referred_to,
        "referral_kind": _label(complaint.referral_kind, ReferralKind),
        "referral_reason": reason,
    }
    return _send_to_complainant(complaint, Notification.Kind.FORWARDING_NOTICE, user, values)


def _person_complained_about_name(complaint):
    account = complaint.person_complained_about_user
    if complaint.person_complained_about:
        return complaint.person_complained_about
    if account is not None:
        return account.get_full_name() or account.get_username()
    return ""


def send_postponement_notices(complaint, user, *, reason=""):
    """Awb 9:11 lid 2: the postponement, with its reasons and the new date, goes to the
    complainant and to the person complained about. Returns the letters queued."""
    postponement = {
        "postponed_weeks": complaint.postponed_weeks,
        "postponement_reason": complaint.postponement_reason,
    }
    letters = [
        _send_to_complainant(
            complaint,
            Notification.Kind.POSTPONEMENT,
            user,
            {**letter_values(complaint, user, addressee=complaint.name), **postponement},
        )
    ]
    account = complaint.person_complained_about_user
    person = _person_complained_about_name(complaint)
    if person:
        values = {**letter_values(complaint, user, addressee=person), **postponement}
        if account is not None and account.email:
            letters.append(
                queue_notification(
                    complaint, Notification.Kind.POSTPONEMENT, recipient=account.email, values=values, created_by=user
                )
            )
        else:
            # No account with an email address: a letter addressed to the person, printed
            # and handed over or posted by the coordinators.
            letters.append(
                queue_notification(
                    complaint,
                    Notification.Kind.POSTPONEMENT,
                    recipient=person,
                    values=values,
                    medium=Notification.Medium.POST,
                    created_by=user,
                )
            )
    return letters


def send_decision_letter(complaint, user, *, reason=""):
    """Awb 9:12: the outcome in writing with findings, judgement and conclusion, and which
    ombudsman the complainant can turn to within what term. No objection clause (Awb 9:3)."""
    values = {
        **letter_values(complaint, user, addressee=complaint.name),
        "outcome": _label(complaint.outcome, Outcome),
        "findings": complaint.findings,
        "judgement": complaint.decision_reasons,
    }
    return _send_to_complainant(complaint, Notification.Kind.DECISION, user, values)


SENDERS = {
    Notification.Kind.NOT_HANDLED_NOTICE: send_not_handled_notice,
    Notification.Kind.FORWARDING_NOTICE: send_forwarding_notice,
    Notification.Kind.POSTPONEMENT: send_postponement_notices,
    Notification.Kind.DECISION: send_decision_letter,
}


def send(kind, complaint, user, *, reason=""):
    """The letter of a handling step (``Step.letter`` in the step registry)."""
    return SENDERS[kind](complaint, user, reason=reason)
