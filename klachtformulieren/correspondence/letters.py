"""The letters of the handling steps: drafted, checked, approved where asked, sent.

- Awb 9:8 lid 3: a complaint not taken into handling: the ground, the ombudsman and the term
  (``draft_not_handled_notice``).
- Awb 2:3: a complaint passed on to where it belongs (``draft_forwarding_notice``).
- Awb 9:11 lid 2: a postponement, with reasons, to the complainant and to the person complained
  about (``draft_postponement_notices``).
- Awb 9:12: the decision: findings, judgement, conclusion, the ombudsman and the term; no
  objection clause, because there is no objection against the handling of a complaint (Awb 9:3)
  (``draft_decision_letter``).

The text is the editors' mail text of that kind (Snippets > Mail texts) or the built-in default
in ``texts.DEFAULT_TEMPLATES``. The workflow's step functions make the letter as a DRAFT inside
their transaction: the step's legal effect (the decision, its date) is the step's, and the
letter exists exactly when the step does. Then:

1. whoever may take the step edits and previews it (as mail, as printed letter, as PDF):
   ``edit_draft``;
2. where the municipality asks for four eyes (``Municipality.letters_need_approval``), a
   coordinator other than the writer approves it: ``approve``; an edit after that needs a new
   approval;
3. it is sent off: ``send_off``. By email (with its PDF) through the outbox when the addressee
   has an address, else it waits to be printed and posted; ``mark_posted`` records the day it
   was posted, from which it counts as sent.

Who may do which of these is one rule, ``refusal``; the views only ask it.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.admin.utils import get_user_display_name

from klachtformulieren.cases import access
from klachtformulieren.cases.steps import STEPS
from klachtformulieren.correspondence import delivery, pdf
from klachtformulieren.correspondence.outbox import deliver_after_commit, queue_notification
from klachtformulieren.correspondence.texts import case_values, not_handled_ground, ombudsman_values, outcome_values
from klachtformulieren.models import Complaint, Notification, ReferralKind

# The step that writes each kind of letter (``Step.letter`` in the step registry).
LETTER_STEPS = {step.letter: step for step in STEPS.values() if step.letter}

EDIT, APPROVE, SEND, POST = "edit", "approve", "send", "post"


class LetterRefused(Exception):
    """The letter cannot be changed or sent like this; the message says why, for the person who tried."""


def signature(complaint, user):
    """The signature block: who signs, and on whose behalf."""
    municipality = complaint.municipality
    signed_by = user.get_full_name() if user is not None else ""
    on_behalf_of = municipality.letter_signature or municipality.name
    return "\n".join(part for part in (signed_by, on_behalf_of) if part)


def letter_values(complaint, user, *, addressee):
    """The placeholders every letter has, in the municipality's language."""
    municipality = complaint.municipality
    with override(settings.LANGUAGE_CODE):
        return {
            **case_values(complaint),
            "addressee": addressee,
            "municipality_address": municipality.postal_address,
            **ombudsman_values(municipality),
            "signature": signature(complaint, user),
        }


def _label(value, choices):
    with override(settings.LANGUAGE_CODE):
        return str(choices(value).label) if value else ""


def to_complainant(complaint, kind, user, values, *, draft=True):
    """A letter to the complainant: by email when they gave an address, else by post."""
    if complaint.email:
        return queue_notification(
            complaint, kind, recipient=complaint.email, values=values, created_by=user, draft=draft
        )
    # No email address: the letter by post, to the complainant's postal address.
    return queue_notification(
        complaint, kind, recipient="", values=values, medium=Notification.Medium.POST, created_by=user, draft=draft
    )


def to_person_complained_about(complaint, kind, user, values, *, draft=True):
    """A letter to the person complained about: to their account's address, else by post
    addressed to them (printed and handed over or posted by the coordinators); None when the
    case does not name them."""
    account = complaint.person_complained_about_user
    if account is not None and account.email:
        return queue_notification(complaint, kind, recipient=account.email, values=values, created_by=user, draft=draft)
    person = person_complained_about_name(complaint)
    if not person:
        return None
    return queue_notification(
        complaint, kind, recipient=person, values=values, medium=Notification.Medium.POST, created_by=user, draft=draft
    )


def draft_not_handled_notice(complaint, user, *, reason=""):
    """Awb 9:8 lid 3: the complainant is told in writing, within 4 weeks of receipt, that the
    complaint is not taken into handling, on which ground, and where to go next."""
    values = {
        **letter_values(complaint, user, addressee=complaint.name),
        "not_handled_ground": not_handled_ground(complaint.not_handled_reason),
        "not_handled_explanation": reason,
    }
    return [to_complainant(complaint, Notification.Kind.NOT_HANDLED_NOTICE, user, values)]


def draft_forwarding_notice(complaint, user, *, reason=""):
    """Awb 2:3: the complainant is told where the complaint went, and why."""
    values = {
        **letter_values(complaint, user, addressee=complaint.name),
        "referred_to": complaint.referred_to,
        "referral_kind": _label(complaint.referral_kind, ReferralKind),
        "referral_reason": reason,
    }
    return [to_complainant(complaint, Notification.Kind.FORWARDING_NOTICE, user, values)]


def person_complained_about_name(complaint):
    account = complaint.person_complained_about_user
    if complaint.person_complained_about:
        return complaint.person_complained_about
    if account is not None:
        return get_user_display_name(account)
    return ""


def draft_postponement_notices(complaint, user, *, reason=""):
    """Awb 9:11 lid 2: the postponement, with its reasons and the new date, goes to the
    complainant and to the person complained about. Returns the drafts."""
    postponement = {
        "postponed_weeks": complaint.postponed_weeks,
        "postponement_reason": complaint.postponement_reason,
    }
    letters = [
        to_complainant(
            complaint,
            Notification.Kind.POSTPONEMENT,
            user,
            {**letter_values(complaint, user, addressee=complaint.name), **postponement},
        )
    ]
    person = person_complained_about_name(complaint)
    if person:
        values = {**letter_values(complaint, user, addressee=person), **postponement}
        letters.append(to_person_complained_about(complaint, Notification.Kind.POSTPONEMENT, user, values))
    return letters


def draft_decision_letter(complaint, user, *, reason=""):
    """Awb 9:12: the outcome in writing with findings, judgement and conclusion, and which
    ombudsman the complainant can turn to within what term. No objection clause (Awb 9:3)."""
    values = {
        **letter_values(complaint, user, addressee=complaint.name),
        **outcome_values(complaint.outcome),
        "findings": complaint.findings,
        "judgement": complaint.decision_reasons,
    }
    return [to_complainant(complaint, Notification.Kind.DECISION, user, values)]


DRAFTERS = {
    Notification.Kind.NOT_HANDLED_NOTICE: draft_not_handled_notice,
    Notification.Kind.FORWARDING_NOTICE: draft_forwarding_notice,
    Notification.Kind.POSTPONEMENT: draft_postponement_notices,
    Notification.Kind.DECISION: draft_decision_letter,
}


def draft(kind, complaint, user, *, reason=""):
    """The letter(s) of a handling step (``Step.letter`` in the step registry), as drafts. An
    earlier draft of the same kind, never sent (the step taken again: a new decision after
    reopening, a second postponement), goes: it must not be sent with its old text."""
    complaint.notifications.filter(kind=kind, state=Notification.State.DRAFT).delete()
    drafted = DRAFTERS[kind](complaint, user, reason=reason)
    note_letters_waiting(complaint)
    return drafted


def note_letters_waiting(complaint):
    """Keep the case's "a letter is not sent yet" (the work queue) true to its drafts."""
    waiting = complaint.notifications.filter(state=Notification.State.DRAFT).exists()
    Complaint.objects.filter(pk=complaint.pk).update(letter_not_sent=waiting)
    complaint.letter_not_sent = waiting


# --- Who may do what with a letter: the one rule ----------------------------------------


def approval_required(letter):
    """Four eyes: does the case's municipality want a second person to approve its letters?"""
    return letter.complaint.municipality.letters_need_approval


def writes_letters_of(user, letter):
    """May ``user`` write this letter: take the step it belongs to (a mail of another kind:
    coordinate the case or handle it)?"""
    complaint = letter.complaint
    step = LETTER_STEPS.get(letter.kind)
    if step is not None:
        return access.can_take_step(user, complaint, step)
    if complaint.destroyed_at is not None or complaint.person_complained_about_user_id == user.pk:
        return False
    return access.coordinates(user, complaint) or complaint.handler_id == user.pk


def refusal(user, letter, action):
    """Why ``user`` may not ``action`` (EDIT, APPROVE, SEND, POST) ``letter`` now, or "" when
    they may. The case file's buttons, the letter views and the actions below all ask here.

    - Editing and sending off: whoever may take the letter's step (its handler, the
      coordinators), never the person complained about (Awb 9:7); sending off a letter that
      needs four eyes only once it is approved.
    - Approving: a coordinator of the case's municipality who may see the case, not the
      person who wrote the letter.
    - Marking as posted: a letter sent off by post, or a mail that was not delivered.
    """
    complaint = letter.complaint
    if not (user.is_authenticated and user.is_active and access.can_view(user, complaint)):
        return _("You may not see this case.")
    State = Notification.State
    if action in (EDIT, APPROVE, SEND) and letter.state != State.DRAFT:
        return _("This letter has been sent off already; it can no longer be changed.")
    if action == APPROVE:
        if not approval_required(letter):
            return _("Letters of this municipality need no approval.")
        if letter.approved_at is not None:
            return _("This letter is approved already.")
        if user.pk in (letter.created_by_id, letter.text_changed_by_id):
            return _("You wrote or changed this letter: a colleague must approve it (four eyes).")
        if not access.coordinates(user, complaint) or complaint.person_complained_about_user_id == user.pk:
            return _("Only a complaint coordinator of this municipality approves letters.")
        return ""
    if action == POST:
        waiting = letter.state == State.FAILED or (
            letter.state == State.PENDING and letter.medium == Notification.Medium.POST
        )
        if not waiting:
            return _("This letter is not waiting to be posted.")
    if not writes_letters_of(user, letter):
        return _("You may not write or send the letters of this case.")
    if action == SEND and approval_required(letter) and letter.approved_at is None:
        return _("A colleague must approve this letter before it is sent (four eyes).")
    return ""


def may(user, letter, action):
    return not refusal(user, letter, action)


def _check(user, letter, action):
    reason = refusal(user, letter, action)
    if reason:
        raise LetterRefused(reason)


def _locked(letter):
    """The letter as stored now, locked until the transaction ends: two clicks act once."""
    # Only the letter's row is locked (of=self): its case may be a nullable outer join.
    return (
        Notification.objects.select_for_update(of=("self",)).select_related("complaint__municipality").get(pk=letter.pk)
    )


# --- The actions ----------------------------------------------------------------------------


@transaction.atomic
def edit_draft(letter, user, *, subject, body, version=None):
    """Save the edited text of a draft. A changed text loses its approval: it is checked again."""
    letter = _locked(letter)
    _check(user, letter, EDIT)
    subject, body = delivery.one_line(subject or ""), (body or "").strip()
    if not subject:
        raise LetterRefused(_("Give the letter a subject."))
    if not body:
        raise LetterRefused(_("The letter has no text. Write the letter, or keep the text it had."))
    if len(subject) > Notification._meta.get_field("subject").max_length:
        raise LetterRefused(_("Keep the subject under 255 characters."))
    if (subject, body) == (letter.subject, letter.body):
        return letter
    if version is not None and version != text_version(letter):
        raise LetterRefused(_("Someone changed this letter while you were editing it. Check the new text first."))
    letter.subject, letter.body, letter.text_changed_by = subject, body, user
    letter.approved_by, letter.approved_at = None, None
    letter.save(update_fields=["subject", "body", "text_changed_by", "approved_by", "approved_at"])
    return letter


def text_version(letter):
    """A short fingerprint of the letter's text: an approval or an edit names the text it saw."""
    return hashlib.sha256(f"{letter.subject}\n{letter.body}".encode()).hexdigest()[:16]


@transaction.atomic
def approve(letter, user, *, version):
    """Four eyes: a second person approves the text they saw (``version``, from
    ``text_version``); if it changed since, nothing is approved."""
    letter = _locked(letter)
    _check(user, letter, APPROVE)
    if version != text_version(letter):
        raise LetterRefused(_("This letter changed after you opened it. Read the new text, then approve it."))
    letter.approved_by, letter.approved_at = user, timezone.now()
    letter.save(update_fields=["approved_by", "approved_at"])
    return letter


@transaction.atomic
def send_off(letter, user):
    """The draft goes: by email with its PDF (the worker delivers it after the commit), or,
    without an address, it waits to be printed and posted (``mark_posted``)."""
    letter = _locked(letter)
    _check(user, letter, SEND)
    now = timezone.now()
    letter.state = Notification.State.PENDING
    letter.dispatched_by, letter.dispatched_at = user, now
    letter.give_up_at = delivery.give_up_at(now)
    letter.save(update_fields=["state", "dispatched_by", "dispatched_at", "give_up_at"])
    if letter.kind in pdf.LETTER_KINDS:
        pdf.keep_as_sent(letter)
    note_letters_waiting(letter.complaint)
    if letter.medium == Notification.Medium.EMAIL:
        deliver_after_commit(letter)
    return letter


@transaction.atomic
def mark_posted(letter, user, *, posted_on=None):
    """The letter was printed and posted on ``posted_on`` (default today); from then it counts
    as sent. The day lies between the day it was written and today."""
    letter = _locked(letter)
    _check(user, letter, POST)
    today = timezone.localdate()
    posted_on = posted_on or today
    if posted_on > today:
        raise LetterRefused(_("The posting date lies in the future. Enter the day the letter was posted."))
    released = letter.dispatched_at or letter.approved_at or letter.created_at
    if posted_on < timezone.localdate(released):
        raise LetterRefused(_("The posting date lies before the letter was sent off. Check the date."))
    delivery.mark_sent_by_post(letter, user, posted_on=posted_on)
    letter.refresh_from_db()
    return letter


@dataclass(frozen=True)
class LetterActions:
    """What ``user`` may do with one letter now, for the case file's buttons."""

    is_draft: bool
    awaiting_approval: bool
    edit: bool
    approve: bool
    send: bool
    post: bool


def actions_for(user, letter):
    is_draft = letter.state == Notification.State.DRAFT
    return LetterActions(
        is_draft=is_draft,
        awaiting_approval=is_draft and approval_required(letter) and letter.approved_at is None,
        edit=may(user, letter, EDIT),
        approve=may(user, letter, APPROVE),
        send=may(user, letter, SEND),
        post=may(user, letter, POST),
    )
