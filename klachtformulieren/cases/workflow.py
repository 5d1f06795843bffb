"""The Awb workflow: one function per handling step, in two parts.

Which step may be taken from which state, by whom, with which form and letter, is declared in
``steps.STEPS``; read both next to DOMAIN.md ("The process").

- ``apply_<step>(complaint, *, at, ...)`` checks that the step is allowed from the case's
  state and consistent with it, and changes the ``Complaint`` in memory: status, outcome,
  dates, facts. It saves nothing. Every writer of case state uses it: the steps below, the
  bulk generator, the importer of past registrations and the demo cases. A rule of the law
  is therefore changed in one place.
- ``<step>(complaint, user, ...)`` is the step as staff take it: it also requires the input
  a person must give (reasons, findings), runs ``apply_<step>`` at this moment, saves the
  case with a history record naming the step, the user and the reason, and drafts the step's
  letter, all in one transaction. The step's legal effect (a decision and its date) is the
  step's; its letter is a draft until it is checked and sent off (``correspondence.letters``).
  Only these make letters and mails: the in-memory part (the importer, the generator) never
  leaves a draft waiting on a historical case. The admin's step views (through ``take``) and the tests
  call these.
"""

import functools

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from klachtformulieren.cases import access, deadlines
from klachtformulieren.cases.steps import STEPS
from klachtformulieren.correspondence import letters, notices, survey
from klachtformulieren.models import (
    DECISION_OUTCOMES,
    ContactMoment,
    NotHandledReason,
    Notification,
    Outcome,
    ReferralKind,
    SatisfactionSurvey,
    Track,
)


class StepNotAllowed(Exception):
    """The step cannot be taken now; the message says why, for the person who tried."""


def in_memory(name):
    """The in-memory part of step ``name``: refused unless the registry allows the step from
    the case's state; after the function's own checks and changes, the case is in the step's
    target state and its next history record names the step."""
    step = STEPS[name]

    def decorate(change):
        @functools.wraps(change)
        def apply(complaint, **arguments):
            if not step.allowed_from(complaint.status):
                raise StepNotAllowed(
                    _("This step is not possible for a complaint that is “%(status)s”.")
                    % {"status": complaint.get_status_display()}
                )
            change(complaint, **arguments)
            if step.target is not None:
                complaint.status = step.target
            complaint._history_step = name

        return apply

    return decorate


def _require(value, message):
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise StepNotAllowed(message)


def _save(complaint, name, user, reason):
    """Store the case with its history record, and draft the step's letter."""
    complaint._history_user = user  # the step itself was named by its in-memory part
    complaint._change_reason = reason.strip()[:100] if reason else ""
    complaint.save()
    step = STEPS[name]
    if step.letter:
        letters.draft(step.letter, complaint, user, reason=reason)
    return complaint


def drafts_of(complaint, step):
    """The letters of ``step`` on this case still waiting as drafts (for the step's view)."""
    if not step.letter:
        return complaint.notifications.none()
    return complaint.notifications.filter(kind=step.letter, state=Notification.State.DRAFT)


# --- In memory: every writer of case state -------------------------------------------------


@in_memory("record_intake")
def apply_record_intake(complaint, *, at, kind=None, unit=None, first_contact_at=None, track=""):
    """Intake: classify, record the first contact with the complainant, choose the track.
    A kind or unit of None leaves the case's own."""
    if track and track not in Track.values:
        raise StepNotAllowed(_("Choose the informal or the formal track."))
    if first_contact_at is not None:
        # Staff enter times to the minute: a contact in the minute of receipt is not "before" it.
        received_minute = complaint.received_at.replace(second=0, microsecond=0)
        if first_contact_at < received_minute or first_contact_at > at:
            raise StepNotAllowed(_("Enter a first contact between the receipt and now."))
    if kind is not None:
        complaint.kind = kind
    if unit is not None:
        complaint.unit = unit
    complaint.first_contact_at, complaint.track = first_contact_at, track


@in_memory("not_handled")
def apply_not_handled(complaint, *, at, reason_code=""):
    """Awb 9:8: the complaint is not taken into handling; the notice is due within 4 weeks."""
    if reason_code and reason_code not in NotHandledReason.values:
        raise StepNotAllowed(_("Choose one of the grounds of Awb 9:8."))
    complaint.not_handled_reason = reason_code
    complaint.outcome = Outcome.NOT_HANDLED
    complaint.closed_at = at


@in_memory("refer")
def apply_refer(complaint, *, at, referral_kind="", referred_to=""):
    """Awb 2:3: the complaint belongs elsewhere; it is passed on and the complainant told."""
    if referral_kind and referral_kind not in ReferralKind.values:
        raise StepNotAllowed(_("Choose where the complaint goes."))
    complaint.referral_kind, complaint.referred_to = referral_kind, referred_to
    complaint.outcome = Outcome.REFERRED
    complaint.closed_at = at


@in_memory("assign_handler")
def apply_assign_handler(complaint, *, at, handler=None):
    """Give the case to a handler (None: the one it has, if any, as in a past registration
    whose handler is not known); never the person complained about (Awb 9:7)."""
    if handler is not None and handler.pk == complaint.person_complained_about_user_id:
        raise StepNotAllowed(
            _("The person complained about may not handle the complaint (Awb 9:7). Choose someone else.")
        )
    if handler is not None:
        complaint.handler = handler


@in_memory("inform_person_complained_about")
def apply_inform_person_complained_about(complaint, *, at, informed_at=None):
    """Awb 9:9: the person complained about gets a copy of the complaint and its attachments."""
    complaint.person_informed_at = informed_at or at


@in_memory("plan_hearing")
def apply_plan_hearing(complaint, *, at, planned_for, duration_minutes=None, location="", video_link="", attendees=""):
    """Awb 9:10: the complainant and the person complained about are heard: when, how long,
    where (a place, a video link or both) and who attend."""
    if duration_minutes is not None and not 15 <= duration_minutes <= 480:
        raise StepNotAllowed(_("A hearing lasts between 15 minutes and 8 hours."))
    complaint.hearing_planned_for = planned_for
    if duration_minutes is not None:
        complaint.hearing_duration_minutes = duration_minutes
    complaint.hearing_location = location.strip()
    complaint.hearing_video_link = video_link.strip()
    complaint.hearing_attendees = attendees.strip()


@in_memory("waive_hearing")
def apply_waive_hearing(complaint, *, at, reason):
    """Awb 9:10 lid 2: no hearing when clearly unfounded, waived, or no response in time."""
    complaint.hearing_waived_reason = reason[:200]


@in_memory("record_hearing_report")
def apply_record_hearing_report(complaint, *, at, report):
    """Awb 9:10 lid 3: a written report of the hearing, once it has taken place."""
    if complaint.hearing_planned_for and at < complaint.hearing_planned_for:
        raise StepNotAllowed(
            _("Record the report after the hearing: it is planned for %(when)s.")
            % {"when": formats.date_format(timezone.localtime(complaint.hearing_planned_for), "DATETIME_FORMAT")}
        )
    complaint.hearing_report = report


@in_memory("postpone")
def apply_postpone(complaint, *, at, weeks, reason="", consent=""):
    """Awb 9:11 lid 2: once, by at most 4 weeks, with reasons, before the term ends;
    further only with the complainant's written consent."""
    if not isinstance(weeks, int) or weeks < 1:
        raise StepNotAllowed(_("Postpone by at least one week."))
    if timezone.localdate(at) > complaint.decision_due():
        raise StepNotAllowed(_("The term has already passed; a postponement must be announced before it ends."))
    if complaint.postponed_weeks == 0 and weeks <= deadlines.MAX_POSTPONEMENT_WEEKS:
        complaint.postponed_weeks = weeks
    elif consent.strip():
        complaint.postponed_weeks += weeks
        complaint.postponement_consent = consent
    elif complaint.postponed_weeks:
        raise StepNotAllowed(_("The term was postponed before. Longer only with the complainant's written consent."))
    else:
        raise StepNotAllowed(
            _("Postpone by at most %(weeks)s weeks, or record the complainant's written consent.")
            % {"weeks": deadlines.MAX_POSTPONEMENT_WEEKS}
        )
    complaint.postponement_reason = reason
    complaint.refresh_due_dates()


@in_memory("log_contact")
def apply_log_contact(complaint, *, at, kind):
    """A contact about the case; the first one with the complainant counts as first contact."""
    if kind not in ContactMoment.Kind.values:
        raise StepNotAllowed(_("Choose the kind of contact."))
    if complaint.first_contact_at is None and kind != ContactMoment.Kind.LETTER:
        complaint.first_contact_at = at


@in_memory("resolve_informally")
def apply_resolve_informally(complaint, *, at, how="", apology_offered=False):
    """Awb 9:5: resolved to the complainant's satisfaction; the formal duties lapse."""
    complaint.track = Track.INFORMAL
    complaint.outcome = Outcome.RESOLVED_INFORMALLY
    complaint.findings = how
    complaint.apology_offered = bool(apology_offered)
    complaint.satisfied = True
    complaint.closed_at = at


@in_memory("decide")
def apply_decide(complaint, *, at, outcome, findings="", reasons="", apology_offered=None):
    """Awb 9:12: the outcome in writing with findings, judgement and reasons (no objection
    clause: Awb 9:3). In the formal track the parties were heard first, or why not (9:10)."""
    if outcome not in DECISION_OUTCOMES:
        raise StepNotAllowed(_("Choose well founded, partly well founded, unfounded or no judgement."))
    if complaint.track == Track.FORMAL and not (complaint.hearing_report or complaint.hearing_waived_reason):
        raise StepNotAllowed(_("Hear the parties first, or record why there is no hearing (Awb 9:10)."))
    complaint.outcome, complaint.findings, complaint.decision_reasons = outcome, findings, reasons
    if apology_offered is not None:
        complaint.apology_offered = bool(apology_offered)
    complaint.decided_at = at


@in_memory("withdraw")
def apply_withdraw(complaint, *, at):
    """The complainant withdraws the complaint."""
    complaint.outcome = Outcome.WITHDRAWN
    complaint.closed_at = at


@in_memory("close")
def apply_close(complaint, *, at, satisfied=None):
    """The satisfaction check, then closing (None: not known, in a past registration)."""
    complaint.satisfied = None if satisfied is None else bool(satisfied)
    complaint.closed_at = at


@in_memory("reopen")
def apply_reopen(complaint, *, at):
    """The ombudsman intervenes: the case is handled again, its earlier outcome undone (the
    history keeps it)."""
    complaint.outcome = ""
    complaint.closed_at = None
    complaint.decided_at = None


@in_memory("record_lessons")
def apply_record_lessons(complaint, *, at, lessons_learned="", improvements=""):
    """What the municipality learns from the complaint, for the annual report."""
    complaint.lessons_learned, complaint.improvements = lessons_learned, improvements


def reach_outcome(complaint, *, outcome, decided_at=None, closed_at=None, postponed=False):
    """A case whose steps are known only by their result (an imported registration): the
    steps that lead from receipt to ``outcome`` ("" for a case still being handled), taken
    in memory with the facts already on the case. A decision is taken at ``decided_at`` (or
    ``closed_at``) and closed at ``closed_at`` if given; any other outcome is reached at
    ``closed_at``; both default to the moment of receipt."""
    received_at = complaint.received_at
    apply_record_intake(
        complaint,
        at=complaint.first_contact_at or received_at,
        first_contact_at=complaint.first_contact_at,
        track=complaint.track,
    )
    decided = outcome in DECISION_OUTCOMES
    if decided or not outcome:
        apply_assign_handler(complaint, at=received_at)
    if postponed:
        # The one postponement of Awb 9:11 lid 2, announced in time.
        apply_postpone(complaint, at=received_at, weeks=deadlines.MAX_POSTPONEMENT_WEEKS)
    if decided:
        apply_decide(
            complaint,
            at=decided_at or closed_at or received_at,
            outcome=outcome,
            findings=complaint.findings,
            reasons=complaint.decision_reasons,
        )
        if closed_at:
            apply_close(complaint, at=closed_at, satisfied=complaint.satisfied)
    elif outcome == Outcome.RESOLVED_INFORMALLY:
        apply_resolve_informally(
            complaint, at=closed_at or received_at, how=complaint.findings, apology_offered=complaint.apology_offered
        )
    elif outcome == Outcome.NOT_HANDLED:
        apply_not_handled(complaint, at=closed_at or received_at, reason_code=complaint.not_handled_reason)
    elif outcome == Outcome.REFERRED:
        apply_refer(
            complaint,
            at=closed_at or received_at,
            referral_kind=complaint.referral_kind,
            referred_to=complaint.referred_to,
        )
    elif outcome == Outcome.WITHDRAWN:
        apply_withdraw(complaint, at=closed_at or received_at)
    elif outcome:
        raise StepNotAllowed(_("Unknown outcome."))


# --- As staff take them: input required, saved with history and letter -----------------


@transaction.atomic
def record_intake(complaint, user, *, kind, unit, first_contact_at, track, reason=""):
    _require(kind, _("Choose the kind of complaint."))
    _require(unit, _("Choose the organisation unit."))
    _require(first_contact_at, _("Record when you first contacted the complainant."))
    _require(track, _("Choose the informal or the formal track."))
    apply_record_intake(
        complaint, at=timezone.now(), kind=kind, unit=unit, first_contact_at=first_contact_at, track=track
    )
    return _save(complaint, "record_intake", user, reason)


@transaction.atomic
def not_handled(complaint, user, *, reason_code, reason):
    _require(reason_code, _("Choose one of the grounds of Awb 9:8."))
    _require(reason, _("Explain why the complaint is not taken into handling."))
    apply_not_handled(complaint, at=timezone.now(), reason_code=reason_code)
    return _save(complaint, "not_handled", user, reason)


@transaction.atomic
def refer(complaint, user, *, referral_kind, referred_to, reason):
    _require(referral_kind, _("Choose where the complaint goes."))
    _require(referred_to, _("Name the procedure or organisation the complaint goes to."))
    _require(reason, _("Explain to the complainant why the complaint goes elsewhere."))
    apply_refer(complaint, at=timezone.now(), referral_kind=referral_kind, referred_to=referred_to)
    return _save(complaint, "refer", user, reason)


@transaction.atomic
def assign_handler(complaint, user, *, handler, reason=""):
    """The handler gets a mail with a link to the case, unless they took it themselves."""
    _require(handler, _("Choose a handler."))
    if not access.may_handle_for(handler, complaint.municipality):
        raise StepNotAllowed(_("Choose a handler who works for this complaint's municipality."))
    previous = complaint.handler_id
    apply_assign_handler(complaint, at=timezone.now(), handler=handler)
    _save(complaint, "assign_handler", user, reason)
    if handler.pk != previous:
        notices.notify_assigned_handler(complaint, user)
    return complaint


@transaction.atomic
def inform_person_complained_about(complaint, user, *, informed_at=None, reason=""):
    _require(complaint.person_complained_about, _("Record who the complaint is about first."))
    apply_inform_person_complained_about(complaint, at=timezone.now(), informed_at=informed_at)
    return _save(complaint, "inform_person_complained_about", user, reason)


@transaction.atomic
def plan_hearing(
    complaint, user, *, planned_for, duration_minutes=60, location="", video_link="", attendees="", reason=""
):
    """A hearing still to come: the complainant and the person complained about are invited,
    each with the appointment (.ics) attached. One already held is only recorded."""
    _require(planned_for, _("Choose the date and time of the hearing."))
    now = timezone.now()
    if planned_for > now and not (location.strip() or video_link.strip()):
        # The invitation must say where to go.
        raise StepNotAllowed(_("Give the place of the hearing or the link of the video call."))
    apply_plan_hearing(
        complaint,
        at=now,
        planned_for=planned_for,
        duration_minutes=duration_minutes,
        location=location,
        video_link=video_link,
        attendees=attendees,
    )
    _save(complaint, "plan_hearing", user, reason)
    if planned_for > now:
        notices.send_hearing_invitations(complaint, user)
    return complaint


@transaction.atomic
def waive_hearing(complaint, user, *, reason):
    _require(reason, _("Record why there is no hearing (Awb 9:10 lid 2)."))
    apply_waive_hearing(complaint, at=timezone.now(), reason=reason)
    return _save(complaint, "waive_hearing", user, reason)


@transaction.atomic
def record_hearing_report(complaint, user, *, report, reason=""):
    _require(report, _("Write the report of the hearing."))
    apply_record_hearing_report(complaint, at=timezone.now(), report=report)
    return _save(complaint, "record_hearing_report", user, reason)


@transaction.atomic
def postpone(complaint, user, *, weeks, reason, consent=""):
    _require(reason, _("Give the reasons for the postponement; the complainant receives them."))
    apply_postpone(complaint, at=timezone.now(), weeks=weeks, reason=reason, consent=consent)
    return _save(complaint, "postpone", user, reason)


@transaction.atomic
def log_contact(complaint, user, *, kind, with_whom, summary, at=None):
    """A call, mail or conversation about the case, for the case file."""
    _require(with_whom, _("Record with whom."))
    _require(summary, _("Summarise the contact."))
    at = at or timezone.now()
    apply_log_contact(complaint, at=at, kind=kind)
    ContactMoment.objects.create(complaint=complaint, kind=kind, with_whom=with_whom, summary=summary, at=at, by=user)
    return _save(complaint, "log_contact", user, summary)


@transaction.atomic
def resolve_informally(complaint, user, *, how, apology_offered, reason=""):
    _require(how, _("Describe how the complaint was resolved."))
    apply_resolve_informally(complaint, at=timezone.now(), how=how, apology_offered=apology_offered)
    _save(complaint, "resolve_informally", user, reason or how)
    survey.invite(complaint)
    return complaint


@transaction.atomic
def decide(complaint, user, *, outcome, findings, reasons, apology_offered=False):
    _require(findings, _("Write down the findings."))
    _require(reasons, _("Give the judgement and its reasons."))
    apply_decide(
        complaint,
        at=timezone.now(),
        outcome=outcome,
        findings=findings,
        reasons=reasons,
        apology_offered=apology_offered,
    )
    return _save(complaint, "decide", user, reasons)


@transaction.atomic
def withdraw(complaint, user, *, reason):
    _require(reason, _("Record how the complainant withdrew the complaint."))
    apply_withdraw(complaint, at=timezone.now())
    return _save(complaint, "withdraw", user, reason)


@transaction.atomic
def close(complaint, user, *, satisfied, reached=True, reason=""):
    """Not satisfied means pointing the complainant to the ombudsman. A complainant who could
    not be asked (``reached=False``) leaves ``satisfied`` unknown; say how they were sought."""
    if reached and satisfied is None:
        raise StepNotAllowed(_("Record whether the complainant is satisfied."))
    if not reached:
        satisfied = None
        _require(reason, _("Record how you tried to reach the complainant."))
    apply_close(complaint, at=timezone.now(), satisfied=satisfied)
    _save(complaint, "close", user, reason)
    survey.invite(complaint)
    return complaint


@transaction.atomic
def reopen(complaint, user, *, reason):
    _require(reason, _("Record why the complaint is handled again, for example the ombudsman's intervention."))
    apply_reopen(complaint, at=timezone.now())
    return _save(complaint, "reopen", user, reason)


@transaction.atomic
def record_lessons(complaint, user, *, lessons_learned="", improvements=""):
    if not (lessons_learned.strip() or improvements.strip()):
        raise StepNotAllowed(_("Write down a lesson learned or an improvement."))
    apply_record_lessons(complaint, at=timezone.now(), lessons_learned=lessons_learned, improvements=improvements)
    return _save(complaint, "record_lessons", user, lessons_learned or improvements)


@in_memory("classify")
def apply_classify(complaint, *, at, kind=None, unit=None):
    """Correct the kind or the unit (None leaves it); only within the case's municipality."""
    for record in (kind, unit):
        if record is not None and record.municipality_id not in (None, complaint.municipality_id):
            raise StepNotAllowed(_("Choose a kind and a unit of this complaint's municipality."))
    if kind is not None:
        complaint.kind = kind
    if unit is not None:
        complaint.unit = unit


@in_memory("ask_complainant")
def apply_ask_complainant(complaint, *, at, question=""):
    """The case waits for the complainant: information, a document, consent. Terms run on."""
    if complaint.awaiting_complainant_since is not None:
        raise StepNotAllowed(_("This case is already waiting for the complainant; record their answer first."))
    complaint.awaiting_complainant_since, complaint.awaiting_complainant_for = at, question


@in_memory("complainant_answered")
def apply_complainant_answered(complaint, *, at):
    if complaint.awaiting_complainant_since is None:
        raise StepNotAllowed(_("This case is not waiting for the complainant."))
    complaint.awaiting_complainant_since, complaint.awaiting_complainant_for = None, ""


@transaction.atomic
def classify(complaint, user, *, kind=None, unit=None, reason=""):
    if kind is None and unit is None:
        raise StepNotAllowed(_("Choose a kind, a unit or both."))
    apply_classify(complaint, at=timezone.now(), kind=kind, unit=unit)
    return _save(complaint, "classify", user, reason)


@transaction.atomic
def ask_complainant(complaint, user, *, question):
    _require(question, _("Record what you asked of the complainant."))
    apply_ask_complainant(complaint, at=timezone.now(), question=question.strip())
    return _save(complaint, "ask_complainant", user, question)


@transaction.atomic
def complainant_answered(complaint, user, *, answer):
    _require(answer, _("Record what the complainant answered."))
    apply_complainant_answered(complaint, at=timezone.now())
    return _save(complaint, "complainant_answered", user, answer)


def _pending_survey(complaint):
    pending = SatisfactionSurvey.objects.filter(complaint=complaint).first()
    if pending is None or not pending.reopen_request_pending:
        raise StepNotAllowed(_("The complainant has not asked to look at this complaint again."))
    return pending


@in_memory("accept_reopen_request")
def apply_accept_reopen_request(complaint, *, at):
    """The complainant's request to look again is granted: handled again, as on reopening."""
    complaint.outcome = ""
    complaint.closed_at = None
    complaint.decided_at = None


@in_memory("decline_reopen_request")
def apply_decline_reopen_request(complaint, *, at):
    """The case stays closed; the answer is kept on the survey."""


def _answer_reopen_request(complaint, user, answer, reason):
    pending = _pending_survey(complaint)
    pending.reopen_answer = answer
    pending.reopen_answer_reason = reason.strip()
    pending.reopen_answered_at = timezone.now()
    pending.reopen_answered_by = user
    pending.save()
    survey.mail_reopen_answer(pending)


@transaction.atomic
def accept_reopen_request(complaint, user, *, reason=""):
    _pending_survey(complaint)
    apply_accept_reopen_request(complaint, at=timezone.now())
    _save(complaint, "accept_reopen_request", user, reason or _("Asked to look again"))
    _answer_reopen_request(complaint, user, SatisfactionSurvey.ReopenAnswer.ACCEPTED, reason)
    return complaint


@transaction.atomic
def decline_reopen_request(complaint, user, *, reason):
    """Awb 9:18: who is not helped further is told where to go next, the ombudsman and the term."""
    _require(reason, _("Give the reason; the complainant reads it."))
    _pending_survey(complaint)
    apply_decline_reopen_request(complaint, at=timezone.now())
    _save(complaint, "decline_reopen_request", user, reason)
    _answer_reopen_request(complaint, user, SatisfactionSurvey.ReopenAnswer.DECLINED, reason)
    return complaint


def take(step, complaint, user, arguments):
    """Take ``step`` (a ``steps.Step``) with the keyword arguments its form collected."""
    return TAKE[step.name](complaint, user, **arguments)


TAKE = {name: globals()[name] for name in STEPS}
# The in-memory part of every step by name, for the writers that replay a case's steps.
IN_MEMORY = {name: globals()[f"apply_{name}"] for name in STEPS}
