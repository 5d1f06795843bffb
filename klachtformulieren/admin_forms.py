"""One small form per handling step. A form only collects input; ``perform`` hands it to the
step function in workflow.py, which holds the rules and may still refuse (StepNotAllowed)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klachtformulieren import workflow
from klachtformulieren.forms import ComplaintSubmission
from klachtformulieren.models import (
    Channel,
    ComplaintKind,
    ContactMoment,
    NotHandledReason,
    OrganisationUnit,
    ReferralKind,
    Track,
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


def _datetime(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label, required=required, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS, help_text=help_text
    )


def _text(label, *, required=True, rows=4, help_text=""):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


def _reason(required=False):
    return forms.CharField(
        label=_("Note for the case file"),
        required=required,
        max_length=500,
        help_text=_("Why you take this step; it is kept in the case history."),
    )


class StepForm(forms.Form):
    step = ""
    title = ""
    help = ""
    button = _("Save")

    def __init__(self, *args, complaint, user, **kwargs):
        self.complaint = complaint
        self.user = user
        super().__init__(*args, **kwargs)

    def perform(self):
        raise NotImplementedError


class IntakeForm(StepForm):
    step = "record_intake"
    title = _("Intake")
    help = _("Classify the complaint, record the first contact with the complainant and choose the track.")
    kind = forms.ModelChoiceField(label=_("Kind of complaint"), queryset=ComplaintKind.objects.none())
    unit = forms.ModelChoiceField(label=_("Organisation unit"), queryset=OrganisationUnit.objects.none())
    first_contact_at = _datetime(_("First contact with the complainant"))
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices, widget=forms.RadioSelect)
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = self.complaint.municipality_id
        self.fields["kind"].queryset = ComplaintKind.objects.filter(
            Q(municipality=municipality) | Q(municipality=None), active=True
        )
        self.fields["unit"].queryset = OrganisationUnit.objects.filter(municipality=municipality, active=True)
        self.initial.setdefault("kind", self.complaint.kind_id)
        self.initial.setdefault("unit", self.complaint.unit_id)
        self.initial.setdefault("track", self.complaint.track or Track.INFORMAL)
        self.initial.setdefault("first_contact_at", self.complaint.first_contact_at)

    def perform(self):
        data = self.cleaned_data
        return workflow.record_intake(
            self.complaint,
            self.user,
            kind=data["kind"],
            unit=data["unit"],
            first_contact_at=data["first_contact_at"],
            track=data["track"],
            reason=data["reason"],
        )


class NotHandledForm(StepForm):
    step = "not_handled"
    title = _("Not taken into handling (Awb 9:8)")
    help = _(
        "The complainant receives a letter naming the ground and the ombudsman. Send it within 4 weeks of receipt."
    )
    reason_code = forms.ChoiceField(label=_("Ground"), choices=NotHandledReason.choices, widget=forms.RadioSelect)
    reason = _text(_("Explanation for the complainant"))

    def perform(self):
        data = self.cleaned_data
        return workflow.not_handled(self.complaint, self.user, reason_code=data["reason_code"], reason=data["reason"])


class ReferForm(StepForm):
    step = "refer"
    title = _("Refer or forward (Awb 2:3)")
    help = _("The complaint belongs elsewhere. The complainant receives a letter saying where it went and why.")
    referral_kind = forms.ChoiceField(label=_("Goes to"), choices=ReferralKind.choices, widget=forms.RadioSelect)
    referred_to = forms.CharField(label=_("Organisation or procedure"), max_length=200)
    reason = _text(_("Explanation for the complainant"))

    def perform(self):
        data = self.cleaned_data
        return workflow.refer(
            self.complaint,
            self.user,
            referral_kind=data["referral_kind"],
            referred_to=data["referred_to"],
            reason=data["reason"],
        )


def handler_candidates():
    """Active users who may handle cases: handlers, coordinators and administrators."""
    codenames = ["handle_assigned_complaints", "coordinate_complaints", "administer_complaints"]
    has_permission = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename__in=codenames)
        | Q(user_permissions__codename__in=codenames)
    )
    return get_user_model().objects.filter(has_permission, is_active=True).distinct().order_by("first_name", "username")


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class AssignHandlerForm(StepForm):
    step = "assign_handler"
    title = _("Assign a handler (Awb 9:7)")
    help = _(
        "Never the person the complaint is about. The suggestion is the first manager above that person "
        "in the organisation tree."
    )
    handler = HandlerChoiceField(label=_("Handler"), queryset=get_user_model().objects.none())
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = handler_candidates()
        if self.complaint.person_complained_about_user_id:
            candidates = candidates.exclude(pk=self.complaint.person_complained_about_user_id)
        self.fields["handler"].queryset = candidates
        suggestion = workflow.suggest_handler(self.complaint)
        if suggestion is not None:
            self.initial.setdefault("handler", suggestion.pk)
            self.fields["handler"].help_text = _("Suggested: %(name)s") % {
                "name": suggestion.get_full_name() or suggestion.get_username()
            }

    def perform(self):
        data = self.cleaned_data
        return workflow.assign_handler(self.complaint, self.user, handler=data["handler"], reason=data["reason"])


class InformPersonForm(StepForm):
    step = "inform_person_complained_about"
    title = _("Inform the person complained about (Awb 9:9)")
    help = _("The person the complaint is about receives a copy of the complaint and its attachments.")
    informed_at = _datetime(_("Informed at"), required=False, help_text=_("Leave empty for now."))
    reason = _reason()

    def perform(self):
        data = self.cleaned_data
        return workflow.inform_person_complained_about(
            self.complaint, self.user, informed_at=data["informed_at"], reason=data["reason"]
        )


class PlanHearingForm(StepForm):
    step = "plan_hearing"
    title = _("Plan the hearing (Awb 9:10)")
    help = _("The complainant and the person complained about are given the chance to be heard.")
    planned_for = _datetime(_("Date and time"))
    reason = _reason()

    def perform(self):
        data = self.cleaned_data
        return workflow.plan_hearing(self.complaint, self.user, planned_for=data["planned_for"], reason=data["reason"])


class WaiveHearingForm(StepForm):
    step = "waive_hearing"
    title = _("No hearing (Awb 9:10 lid 2)")
    help = _(
        "Allowed when the complaint is clearly unfounded, the complainant said they need not be heard, "
        "or did not say within the term set that they wish to be heard."
    )
    reason = _text(_("Why there is no hearing"), rows=3)

    def perform(self):
        return workflow.waive_hearing(self.complaint, self.user, reason=self.cleaned_data["reason"])


class HearingReportForm(StepForm):
    step = "record_hearing_report"
    title = _("Report of the hearing (Awb 9:10 lid 3)")
    report = _text(_("Report"), rows=8)
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("report", self.complaint.hearing_report)

    def perform(self):
        data = self.cleaned_data
        return workflow.record_hearing_report(self.complaint, self.user, report=data["report"], reason=data["reason"])


class PostponeForm(StepForm):
    step = "postpone"
    title = _("Postpone the decision (Awb 9:11 lid 2)")
    help = _(
        "Once, by at most 4 weeks, before the term ends. The complainant and the person complained about "
        "receive a letter. Longer only with the complainant's written consent."
    )
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=52)
    reason = _text(_("Reasons for the postponement"), rows=3)
    consent = _text(
        _("The complainant's written consent"),
        required=False,
        rows=2,
        help_text=_("Only for a second or longer postponement: when and how the complainant agreed in writing."),
    )

    def perform(self):
        data = self.cleaned_data
        return workflow.postpone(
            self.complaint, self.user, weeks=data["weeks"], reason=data["reason"], consent=data["consent"]
        )


class LogContactForm(StepForm):
    step = "log_contact"
    title = _("Log a contact")
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactMoment.Kind.choices)
    with_whom = forms.CharField(label=_("With"), max_length=200)
    summary = _text(_("Summary"))
    at = _datetime(_("When"), required=False, help_text=_("Leave empty for now."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("with_whom", self.complaint.name)

    def perform(self):
        data = self.cleaned_data
        return workflow.log_contact(
            self.complaint,
            self.user,
            kind=data["kind"],
            with_whom=data["with_whom"],
            summary=data["summary"],
            at=data["at"],
        )


class ResolveInformallyForm(StepForm):
    step = "resolve_informally"
    title = _("Resolved informally (Awb 9:5)")
    help = _("The complaint was resolved to the complainant's satisfaction; the case closes.")
    how = _text(_("How it was resolved"))
    apology_offered = forms.BooleanField(label=_("An apology was offered"), required=False)
    reason = _reason()

    def perform(self):
        data = self.cleaned_data
        return workflow.resolve_informally(
            self.complaint, self.user, how=data["how"], apology_offered=data["apology_offered"], reason=data["reason"]
        )


class DecideForm(StepForm):
    step = "decide"
    title = _("Decision (Awb 9:12)")
    help = _(
        "The complainant receives the decision letter with the findings, the judgement and its reasons, "
        "and the ombudsman they can turn to. There is no objection against it (Awb 9:3)."
    )
    outcome = forms.ChoiceField(
        label=_("Judgement"),
        choices=[(outcome.value, outcome.label) for outcome in workflow.DECISION_OUTCOMES],
        widget=forms.RadioSelect,
    )
    findings = _text(_("Findings"), rows=6)
    reasons = _text(_("Judgement, reasons and conclusions"), rows=6)

    def perform(self):
        data = self.cleaned_data
        return workflow.decide(
            self.complaint, self.user, outcome=data["outcome"], findings=data["findings"], reasons=data["reasons"]
        )


class WithdrawForm(StepForm):
    step = "withdraw"
    title = _("Withdrawn by the complainant")
    reason = _text(_("How the complainant withdrew the complaint"), rows=3)

    def perform(self):
        return workflow.withdraw(self.complaint, self.user, reason=self.cleaned_data["reason"])


SATISFIED_CHOICES = [("yes", _("Yes, satisfied")), ("no", _("No, not satisfied"))]


class CloseForm(StepForm):
    step = "close"
    title = _("Satisfaction check and closing")
    help = _("Ask the complainant whether they are satisfied. If not, point them to the ombudsman.")
    satisfied = forms.ChoiceField(
        label=_("Is the complainant satisfied?"), choices=SATISFIED_CHOICES, widget=forms.RadioSelect
    )
    reason = _reason()

    def perform(self):
        data = self.cleaned_data
        return workflow.close(self.complaint, self.user, satisfied=data["satisfied"] == "yes", reason=data["reason"])


class ReopenForm(StepForm):
    step = "reopen"
    title = _("Reopen")
    help = _("For example when the ombudsman intervenes. The case is handled again.")
    reason = _text(_("Why the complaint is handled again"), rows=3)

    def perform(self):
        return workflow.reopen(self.complaint, self.user, reason=self.cleaned_data["reason"])


class LessonsForm(StepForm):
    step = "record_lessons"
    title = _("Lessons learned")
    help = _("What the municipality learns from this complaint and what it improves; the annual report lists it.")
    lessons_learned = _text(_("Lessons learned"), required=False)
    improvements = _text(_("Improvements made"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("lessons_learned", self.complaint.lessons_learned)
        self.initial.setdefault("improvements", self.complaint.improvements)

    def perform(self):
        data = self.cleaned_data
        return workflow.record_lessons(
            self.complaint, self.user, lessons_learned=data["lessons_learned"], improvements=data["improvements"]
        )


STEP_FORMS = {
    form.step: form
    for form in (
        IntakeForm,
        AssignHandlerForm,
        LogContactForm,
        InformPersonForm,
        PlanHearingForm,
        WaiveHearingForm,
        HearingReportForm,
        PostponeForm,
        ResolveInformallyForm,
        DecideForm,
        CloseForm,
        LessonsForm,
        NotHandledForm,
        ReferForm,
        WithdrawForm,
        ReopenForm,
    )
}
assert set(STEP_FORMS) == set(workflow.TRANSITIONS), "every step in workflow.TRANSITIONS has a form"


class RegisterForm(forms.Form):
    """Awb 9:2: a complaint received by phone, letter, email or at the desk."""

    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None)
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[choice for choice in Channel.choices if choice[0] != Channel.WEB_FORM],
    )
    received_at = _datetime(
        _("Received at"), help_text=_("The date the municipality received it; every term runs from here.")
    )
    name = forms.CharField(label=_("Name of the complainant"), max_length=200)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    postal_address = _text(_("Postal address"), required=False, rows=3)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    representative_name = forms.CharField(
        label=_("Filed on behalf of the complainant by"), max_length=200, required=False
    )
    representative_relation = forms.CharField(label=_("Relation to the complainant"), max_length=200, required=False)
    description = _text(_("What happened"), rows=6)
    conduct_date = forms.DateField(
        label=_("Date of the conduct"), widget=DATE_WIDGET, input_formats=["%Y-%m-%d", "%d-%m-%Y"]
    )
    conduct_involved = _text(_("Where, which team or employee"), required=False, rows=2)
    desired_outcome = _text(_("What the complainant hopes for"), required=False, rows=2)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:
            self.initial.setdefault("municipality", municipalities[0].pk)
        self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self):
        data = super().clean()
        if not (data.get("postal_address") or data.get("email")):
            self.add_error("postal_address", _("Fill in a postal address or an email address (Awb 9:4)."))
        conduct_date = data.get("conduct_date")
        received_at = data.get("received_at")
        if conduct_date and received_at and conduct_date > timezone.localdate(received_at):
            self.add_error("conduct_date", _("The conduct cannot lie after the date the complaint was received."))
        return data

    def submission(self):
        data = self.cleaned_data
        return ComplaintSubmission(
            name=data["name"],
            organisation_name=data["organisation_name"],
            postal_address=data["postal_address"],
            email=data["email"],
            phone=data["phone"],
            representative_name=data["representative_name"],
            representative_relation=data["representative_relation"],
            description=data["description"],
            conduct_date=data["conduct_date"],
            conduct_involved=data["conduct_involved"],
            desired_outcome=data["desired_outcome"],
        )
