"""The step registry: every handling step of a case, declared once.

Read it next to DOMAIN.md ("The process"). A step has a name (also its function in
``workflow`` and the value in the history's ``history_step``), the title on its button and
form, what the case file's timeline calls it once taken, the states it may be taken from and
the state it leads to, who may take it, the form that collects its input and the letter it
sends. The admin's buttons and forms, the access checks, the timeline and the tests read
this table; the rules of each step are in its function in ``workflow``.

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
    classify                          received, intake, handling        (unchanged)
    ask_complainant                   intake, handling                  (unchanged)
    complainant_answered              intake, handling, while waiting   (unchanged)
    accept_reopen_request             closed, when the survey asked     handling
    decline_reopen_request            closed, when the survey asked     (unchanged)
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from klachtformulieren.cases import forms
from klachtformulieren.cases.access import COORDINATOR, HANDLER
from klachtformulieren.models import OPEN_STATUSES, Notification, SatisfactionSurvey, Status

ALL = frozenset(Status)


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    done: str
    sources: frozenset
    target: Status | None
    role: str
    form: type
    letter: str = ""
    # A further condition on the case beyond its state (None: the state decides alone).
    only_if: object = None

    def allowed_from(self, status):
        return status in self.sources

    def allowed_for(self, complaint):
        return self.allowed_from(complaint.status) and (self.only_if is None or self.only_if(complaint))


def _reopen_request_pending(complaint):
    survey = SatisfactionSurvey.objects.filter(complaint=complaint).first()
    return survey is not None and survey.reopen_request_pending


def _declare(*steps):
    return {step.name: step for step in steps}


STEPS = _declare(
    Step(
        "record_intake",
        _("Intake"),
        _("Intake recorded"),
        frozenset({Status.RECEIVED, Status.INTAKE}),
        Status.INTAKE,
        COORDINATOR,
        forms.IntakeForm,
    ),
    Step(
        "assign_handler",
        _("Assign a handler (Awb 9:7)"),
        _("Handler assigned"),
        frozenset({Status.INTAKE, Status.HANDLING}),
        Status.HANDLING,
        COORDINATOR,
        forms.AssignHandlerForm,
    ),
    Step(
        "log_contact",
        _("Log a contact"),
        _("Contact logged"),
        ALL - {Status.WITHDRAWN},
        None,
        HANDLER,
        forms.LogContactForm,
    ),
    Step(
        "inform_person_complained_about",
        _("Inform the person complained about (Awb 9:9)"),
        _("Person complained about informed"),
        frozenset({Status.INTAKE, Status.HANDLING}),
        None,
        HANDLER,
        forms.InformPersonForm,
    ),
    Step(
        "plan_hearing",
        _("Plan the hearing (Awb 9:10)"),
        _("Hearing planned"),
        frozenset({Status.HANDLING}),
        None,
        HANDLER,
        forms.PlanHearingForm,
    ),
    Step(
        "waive_hearing",
        _("No hearing (Awb 9:10 lid 2)"),
        _("No hearing"),
        frozenset({Status.HANDLING}),
        None,
        HANDLER,
        forms.WaiveHearingForm,
    ),
    Step(
        "record_hearing_report",
        _("Report of the hearing (Awb 9:10 lid 3)"),
        _("Hearing report recorded"),
        frozenset({Status.HANDLING}),
        None,
        HANDLER,
        forms.HearingReportForm,
    ),
    Step(
        "postpone",
        _("Postpone the decision (Awb 9:11 lid 2)"),
        _("Decision postponed"),
        frozenset({Status.INTAKE, Status.HANDLING}),
        None,
        HANDLER,
        forms.PostponeForm,
        letter=Notification.Kind.POSTPONEMENT,
    ),
    Step(
        "resolve_informally",
        _("Resolved informally (Awb 9:5)"),
        _("Resolved informally"),
        frozenset({Status.INTAKE, Status.HANDLING}),
        Status.CLOSED,
        HANDLER,
        forms.ResolveInformallyForm,
    ),
    Step(
        "decide",
        _("Decision (Awb 9:12)"),
        _("Decided"),
        frozenset({Status.HANDLING}),
        Status.DECIDED,
        HANDLER,
        forms.DecideForm,
        letter=Notification.Kind.DECISION,
    ),
    Step(
        "close",
        _("Satisfaction check and closing"),
        _("Closed"),
        frozenset({Status.DECIDED}),
        Status.CLOSED,
        COORDINATOR,
        forms.CloseForm,
    ),
    Step(
        "record_lessons",
        _("Lessons learned"),
        _("Lessons recorded"),
        ALL,
        None,
        HANDLER,
        forms.LessonsForm,
    ),
    Step(
        "not_handled",
        _("Not taken into handling (Awb 9:8)"),
        _("Not taken into handling"),
        frozenset({Status.RECEIVED, Status.INTAKE}),
        Status.NOT_HANDLED,
        COORDINATOR,
        forms.NotHandledForm,
        letter=Notification.Kind.NOT_HANDLED_NOTICE,
    ),
    Step(
        "refer",
        _("Refer or forward (Awb 2:3)"),
        _("Referred or forwarded"),
        frozenset({Status.RECEIVED, Status.INTAKE}),
        Status.REFERRED,
        COORDINATOR,
        forms.ReferForm,
        letter=Notification.Kind.FORWARDING_NOTICE,
    ),
    Step(
        "withdraw",
        _("Withdrawn by the complainant"),
        _("Withdrawn"),
        OPEN_STATUSES,
        Status.WITHDRAWN,
        COORDINATOR,
        forms.WithdrawForm,
    ),
    Step(
        "reopen",
        _("Reopen"),
        _("Reopened"),
        frozenset({Status.DECIDED, Status.CLOSED, Status.NOT_HANDLED}),
        Status.HANDLING,
        COORDINATOR,
        forms.ReopenForm,
    ),
    Step(
        "classify",
        _("Change the kind or unit"),
        _("Kind or unit changed"),
        OPEN_STATUSES,
        None,
        COORDINATOR,
        forms.ClassifyForm,
    ),
    Step(
        "ask_complainant",
        _("Ask the complainant"),
        _("Complainant asked"),
        frozenset({Status.INTAKE, Status.HANDLING}),
        None,
        HANDLER,
        forms.AskComplainantForm,
        only_if=lambda complaint: complaint.awaiting_complainant_since is None,
    ),
    Step(
        "complainant_answered",
        _("The complainant answered"),
        _("Answer of the complainant received"),
        frozenset({Status.INTAKE, Status.HANDLING}),
        None,
        HANDLER,
        forms.ComplainantAnsweredForm,
        only_if=lambda complaint: complaint.awaiting_complainant_since is not None,
    ),
    # The complainant's survey asked to look again ("ik wil dat de gemeente er opnieuw naar kijkt").
    Step(
        "accept_reopen_request",
        _("Look at it again"),
        _("Request to look again accepted"),
        frozenset({Status.CLOSED}),
        Status.HANDLING,
        COORDINATOR,
        forms.AcceptReopenRequestForm,
        only_if=lambda complaint: _reopen_request_pending(complaint),
    ),
    Step(
        "decline_reopen_request",
        _("Decline to look again"),
        _("Request to look again declined"),
        frozenset({Status.CLOSED}),
        None,
        COORDINATOR,
        forms.DeclineReopenRequestForm,
        only_if=lambda complaint: _reopen_request_pending(complaint),
    ),
)


def allowed_steps(complaint):
    """The steps the case's state allows now, in the registry's order."""
    return [step for step in STEPS.values() if step.allowed_for(complaint)]
