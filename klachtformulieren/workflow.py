"""The Awb workflow: which handling step is allowed in which state, and one function per step.

Read it next to DOMAIN.md ("The process"). Every step function takes the case and the
acting user, checks that the step is allowed now, changes the case, leaves a history record
with the user and the reason, and returns the case. The admin, the API and the tests call
these functions; none of them repeats the rules.

    step                              allowed from                      to
    record_intake                     received, intake                  intake
    not_handled (Awb 9:8)             received, intake                  not_handled
    refer (Awb 2:3)                   received, intake                  referred
    assign_handler (Awb 9:7)          intake, handling                  handling
    inform_person_complained_about    intake, handling                  (unchanged)
    plan_hearing / waive_hearing      handling                          (unchanged)
    record_hearing_report (9:10)      handling                          (unchanged)
    postpone (Awb 9:11 lid 2)         intake, handling                  (unchanged)
    log_contact                       every state but withdrawn         (unchanged)
    resolve_informally (Awb 9:5)      intake, handling                  closed
    decide (Awb 9:12)                 handling                          decided
    withdraw                          received, intake, handling        withdrawn
    close                             decided                           closed
    reopen (ombudsman intervenes)     decided, closed, not_handled      handling
    record_lessons                    every state                       (unchanged)
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtformulieren import deadlines, letters
from klachtformulieren.models import ContactMoment, NotHandledReason, Outcome, ReferralKind, Status, Track

OPEN = frozenset({Status.RECEIVED, Status.INTAKE, Status.HANDLING})
ALL = frozenset(Status)
MAX_POSTPONEMENT_WEEKS = 4
DECISION_OUTCOMES = (Outcome.WELL_FOUNDED, Outcome.PARTLY_WELL_FOUNDED, Outcome.UNFOUNDED, Outcome.NO_JUDGEMENT)

TRANSITIONS = {
    "record_intake": ({Status.RECEIVED, Status.INTAKE}, Status.INTAKE),
    "not_handled": ({Status.RECEIVED, Status.INTAKE}, Status.NOT_HANDLED),
    "refer": ({Status.RECEIVED, Status.INTAKE}, Status.REFERRED),
    "assign_handler": ({Status.INTAKE, Status.HANDLING}, Status.HANDLING),
    "inform_person_complained_about": ({Status.INTAKE, Status.HANDLING}, None),
    "plan_hearing": ({Status.HANDLING}, None),
    "waive_hearing": ({Status.HANDLING}, None),
    "record_hearing_report": ({Status.HANDLING}, None),
    "postpone": ({Status.INTAKE, Status.HANDLING}, None),
    "log_contact": (ALL - {Status.WITHDRAWN}, None),
    "resolve_informally": ({Status.INTAKE, Status.HANDLING}, Status.CLOSED),
    "decide": ({Status.HANDLING}, Status.DECIDED),
    "withdraw": (OPEN, Status.WITHDRAWN),
    "close": ({Status.DECIDED}, Status.CLOSED),
    "reopen": ({Status.DECIDED, Status.CLOSED, Status.NOT_HANDLED}, Status.HANDLING),
    "record_lessons": (ALL, None),
}


class StepNotAllowed(Exception):
    """The step cannot be taken now; the message says why, for the person who tried."""


def allowed_steps(complaint):
    return [step for step, (sources, _target) in TRANSITIONS.items() if complaint.status in sources]


def _check(complaint, step):
    sources, _target = TRANSITIONS[step]
    if complaint.status not in sources:
        raise StepNotAllowed(
            _("This step is not possible for a complaint that is “%(status)s”.")
            % {"status": complaint.get_status_display()}
        )


def _require(value, message):
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise StepNotAllowed(message)


def _save(complaint, step, user, reason):
    _sources, target = TRANSITIONS[step]
    if target is not None:
        complaint.status = target
    complaint._history_user = user
    complaint._change_reason = f"{step}: {reason}".strip()[:100] if reason else step
    complaint.save()
    return complaint


@transaction.atomic
def record_intake(complaint, user, *, kind, unit, first_contact_at, track, reason=""):
    """Intake: classify, record the first contact with the complainant, choose the track."""
    _check(complaint, "record_intake")
    _require(kind, _("Choose the kind of complaint."))
    _require(unit, _("Choose the organisation unit."))
    _require(first_contact_at, _("Record when you first contacted the complainant."))
    if track not in Track.values:
        raise StepNotAllowed(_("Choose the informal or the formal track."))
    # Staff enter times to the minute: a contact in the minute of receipt is not "before" it.
    received_minute = complaint.received_at.replace(second=0, microsecond=0)
    if first_contact_at < received_minute or first_contact_at > timezone.now():
        raise StepNotAllowed(_("The first contact lies between receipt and now."))
    complaint.kind, complaint.unit, complaint.first_contact_at, complaint.track = kind, unit, first_contact_at, track
    return _save(complaint, "record_intake", user, reason)


@transaction.atomic
def not_handled(complaint, user, *, reason_code, reason):
    """Awb 9:8: the complaint is not taken into handling; the notice is due within 4 weeks."""
    _check(complaint, "not_handled")
    if reason_code not in NotHandledReason.values:
        raise StepNotAllowed(_("Choose one of the grounds of Awb 9:8."))
    _require(reason, _("Explain why the complaint is not taken into handling."))
    complaint.not_handled_reason = reason_code
    complaint.outcome = Outcome.NOT_HANDLED
    complaint.closed_at = timezone.now()
    _save(complaint, "not_handled", user, reason)
    letters.send_not_handled_notice(complaint, user, explanation=reason)
    return complaint


def not_handled_notice_due(complaint):
    return deadlines.not_handled_notice_due(complaint.received_on)


@transaction.atomic
def refer(complaint, user, *, referral_kind, referred_to, reason):
    """Awb 2:3: the complaint belongs elsewhere; it is passed on and the complainant told."""
    _check(complaint, "refer")
    if referral_kind not in ReferralKind.values:
        raise StepNotAllowed(_("Choose where the complaint goes."))
    _require(referred_to, _("Name the procedure or organisation the complaint goes to."))
    _require(reason, _("Explain to the complainant why the complaint goes elsewhere."))
    complaint.referral_kind, complaint.referred_to = referral_kind, referred_to
    complaint.outcome = Outcome.REFERRED
    complaint.closed_at = timezone.now()
    _save(complaint, "refer", user, reason)
    letters.send_forwarding_notice(complaint, user, reason=reason)
    return complaint


def suggest_handler(complaint):
    """Awb 9:7 as municipalities apply it: the first manager above the person complained
    about who is not that person; walking up the organisation tree from the case's unit."""
    unit = complaint.unit
    while unit is not None:
        manager = unit.manager
        if manager is not None and manager.pk != complaint.person_complained_about_user_id and manager.is_active:
            return manager
        unit = unit.parent
    return None


@transaction.atomic
def assign_handler(complaint, user, *, handler, reason=""):
    """Give the case to a handler; never the person complained about (Awb 9:7)."""
    _check(complaint, "assign_handler")
    _require(handler, _("Choose a handler."))
    if handler.pk == complaint.person_complained_about_user_id:
        raise StepNotAllowed(
            _("The person complained about may not handle the complaint (Awb 9:7). Choose someone else.")
        )
    complaint.handler = handler
    return _save(complaint, "assign_handler", user, reason)


@transaction.atomic
def inform_person_complained_about(complaint, user, *, informed_at=None, reason=""):
    """Awb 9:9: the person complained about gets a copy of the complaint and its attachments."""
    _check(complaint, "inform_person_complained_about")
    _require(complaint.person_complained_about, _("Record who the complaint is about first."))
    complaint.person_informed_at = informed_at or timezone.now()
    return _save(complaint, "inform_person_complained_about", user, reason)


@transaction.atomic
def plan_hearing(complaint, user, *, planned_for, reason=""):
    """Awb 9:10: the complainant and the person complained about are heard."""
    _check(complaint, "plan_hearing")
    _require(planned_for, _("Choose the date and time of the hearing."))
    complaint.hearing_planned_for = planned_for
    return _save(complaint, "plan_hearing", user, reason)


@transaction.atomic
def waive_hearing(complaint, user, *, reason):
    """Awb 9:10 lid 2: no hearing when clearly unfounded, waived, or no response in time."""
    _check(complaint, "waive_hearing")
    _require(reason, _("Record why there is no hearing (Awb 9:10 lid 2)."))
    complaint.hearing_waived_reason = reason[:200]
    return _save(complaint, "waive_hearing", user, reason)


@transaction.atomic
def record_hearing_report(complaint, user, *, report, reason=""):
    """Awb 9:10 lid 3: a written report of the hearing."""
    _check(complaint, "record_hearing_report")
    _require(report, _("Write the report of the hearing."))
    complaint.hearing_report = report
    return _save(complaint, "record_hearing_report", user, reason)


@transaction.atomic
def postpone(complaint, user, *, weeks, reason, consent="", today=None):
    """Awb 9:11 lid 2: once, by at most 4 weeks, with reasons, before the term ends;
    further only with the complainant's written consent."""
    _check(complaint, "postpone")
    today = today or timezone.localdate()
    _require(reason, _("Give the reasons for the postponement; the complainant receives them."))
    if not isinstance(weeks, int) or weeks < 1:
        raise StepNotAllowed(_("Postpone by at least one week."))
    if today > complaint.decision_due():
        raise StepNotAllowed(_("The term has already passed; a postponement must be announced before it ends."))
    if complaint.postponed_weeks == 0 and weeks <= MAX_POSTPONEMENT_WEEKS:
        complaint.postponed_weeks = weeks
    elif consent.strip():
        complaint.postponed_weeks += weeks
        complaint.postponement_consent = consent
    elif complaint.postponed_weeks:
        raise StepNotAllowed(_("The term was postponed before. Longer only with the complainant's written consent."))
    else:
        raise StepNotAllowed(
            _("Postpone by at most %(weeks)s weeks, or record the complainant's written consent.")
            % {"weeks": MAX_POSTPONEMENT_WEEKS}
        )
    complaint.postponement_reason = reason
    _save(complaint, "postpone", user, reason)
    letters.send_postponement_notices(complaint, user)
    return complaint


@transaction.atomic
def log_contact(complaint, user, *, kind, with_whom, summary, at=None):
    """A call, mail or conversation about the case, for the case file."""
    _check(complaint, "log_contact")
    if kind not in ContactMoment.Kind.values:
        raise StepNotAllowed(_("Choose the kind of contact."))
    _require(with_whom, _("Record with whom."))
    _require(summary, _("Summarise the contact."))
    at = at or timezone.now()
    ContactMoment.objects.create(complaint=complaint, kind=kind, with_whom=with_whom, summary=summary, at=at, by=user)
    if complaint.first_contact_at is None and kind != ContactMoment.Kind.LETTER:
        complaint.first_contact_at = at
    return _save(complaint, "log_contact", user, summary)


@transaction.atomic
def resolve_informally(complaint, user, *, how, apology_offered, reason=""):
    """Awb 9:5: resolved to the complainant's satisfaction; the formal duties lapse."""
    _check(complaint, "resolve_informally")
    _require(how, _("Describe how the complaint was resolved."))
    complaint.track = Track.INFORMAL
    complaint.outcome = Outcome.RESOLVED_INFORMALLY
    complaint.findings = how
    complaint.apology_offered = bool(apology_offered)
    complaint.satisfied = True
    complaint.closed_at = timezone.now()
    return _save(complaint, "resolve_informally", user, reason or how)


@transaction.atomic
def decide(complaint, user, *, outcome, findings, reasons):
    """Awb 9:12: the outcome in writing with findings, judgement and reasons (no objection
    clause: Awb 9:3). In the formal track the parties were heard first, or why not (9:10)."""
    _check(complaint, "decide")
    if outcome not in DECISION_OUTCOMES:
        raise StepNotAllowed(_("Choose well founded, partly well founded, unfounded or no judgement."))
    _require(findings, _("Write down the findings."))
    _require(reasons, _("Give the judgement and its reasons."))
    if complaint.track == Track.FORMAL and not (complaint.hearing_report or complaint.hearing_waived_reason):
        raise StepNotAllowed(_("Hear the parties first, or record why there is no hearing (Awb 9:10)."))
    complaint.outcome, complaint.findings, complaint.decision_reasons = outcome, findings, reasons
    complaint.decided_at = timezone.now()
    _save(complaint, "decide", user, reasons)
    letters.send_decision_letter(complaint, user)
    return complaint


@transaction.atomic
def withdraw(complaint, user, *, reason):
    """The complainant withdraws the complaint."""
    _check(complaint, "withdraw")
    _require(reason, _("Record how the complainant withdrew the complaint."))
    complaint.outcome = Outcome.WITHDRAWN
    complaint.closed_at = timezone.now()
    return _save(complaint, "withdraw", user, reason)


@transaction.atomic
def close(complaint, user, *, satisfied, reason=""):
    """The satisfaction check, then closing; not satisfied means pointing to the ombudsman."""
    _check(complaint, "close")
    if satisfied is None:
        raise StepNotAllowed(_("Record whether the complainant is satisfied."))
    complaint.satisfied = bool(satisfied)
    complaint.closed_at = timezone.now()
    return _save(complaint, "close", user, reason)


@transaction.atomic
def reopen(complaint, user, *, reason):
    """The ombudsman intervenes: the case is handled again."""
    _check(complaint, "reopen")
    _require(reason, _("Record why the complaint is handled again, for example the ombudsman's intervention."))
    complaint.closed_at = None
    complaint.decided_at = None
    return _save(complaint, "reopen", user, reason)


@transaction.atomic
def record_lessons(complaint, user, *, lessons_learned="", improvements=""):
    """What the municipality learns from the complaint, for the annual report."""
    _check(complaint, "record_lessons")
    if not (lessons_learned.strip() or improvements.strip()):
        raise StepNotAllowed(_("Write down a lesson learned or an improvement."))
    complaint.lessons_learned, complaint.improvements = lessons_learned, improvements
    return _save(complaint, "record_lessons", user, lessons_learned or improvements)


def register_received(submission, user, *, municipality, channel, received_at, **kwargs):
    """Awb 9:2: a complaint received by phone, letter, email or at the desk is registered too;
    its received date (which starts every term) may lie in the past, never in the future."""
    from klachtformulieren.intake import register_complaint
    from klachtformulieren.models import Channel

    if channel == Channel.WEB_FORM:
        raise StepNotAllowed(_("Web form complaints register themselves."))
    if received_at > timezone.now():
        raise StepNotAllowed(_("The received date cannot lie in the future."))
    if received_at < timezone.now() - datetime.timedelta(days=366):
        raise StepNotAllowed(_("The received date lies more than a year back; check it."))
    registration = register_complaint(
        submission, municipality=municipality, channel=channel, received_at=received_at, **kwargs
    )
    complaint = registration.complaint
    record = complaint.history.first()
    record.history_user = user
    record.history_change_reason = f"register_received: {channel}"
    record.save(update_fields=["history_user", "history_change_reason"])
    return registration
