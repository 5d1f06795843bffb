"""One small form per handling step. A form only collects input: ``arguments()`` are the
keyword arguments of the step's function in ``workflow``, which holds the rules and may still
refuse (StepNotAllowed). The step registry (``steps``) says which form belongs to which step."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.utils import get_user_display_name

from klachtformulieren.cases import access
from klachtformulieren.models import (
    DECISION_OUTCOMES,
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


def datetime_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label, required=required, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS, help_text=help_text
    )


def text_field(label, *, required=True, rows=4, help_text=""):
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


def offer_kind_and_unit(form):
    """The kinds and units a case's municipality uses (and the shared kinds), its own preselected."""
    municipality = form.complaint.municipality_id
    form.fields["kind"].queryset = ComplaintKind.objects.filter(
        Q(municipality=municipality) | Q(municipality=None), active=True
    )
    form.fields["unit"].queryset = OrganisationUnit.objects.filter(municipality=municipality, active=True)
    form.initial.setdefault("kind", form.complaint.kind_id)
    form.initial.setdefault("unit", form.complaint.unit_id)


class StepForm(forms.Form):
    """The input of one step."""

    help = ""
    button = _("Save")

    def __init__(self, *args, complaint, user, **kwargs):
        self.complaint = complaint
        self.user = user
        super().__init__(*args, **kwargs)

    def arguments(self):
        return dict(self.cleaned_data)


class IntakeForm(StepForm):
    help = _("Classify the complaint, record the first contact with the complainant and choose the track.")
    kind = forms.ModelChoiceField(label=_("Kind of complaint"), queryset=ComplaintKind.objects.none())
    unit = forms.ModelChoiceField(label=_("Organisation unit"), queryset=OrganisationUnit.objects.none())
    first_contact_at = datetime_field(_("First contact with the complainant"))
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices, widget=forms.RadioSelect)
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_kind_and_unit(self)
        self.initial.setdefault("track", self.complaint.track or Track.INFORMAL)
        self.initial.setdefault("first_contact_at", self.complaint.first_contact_at)


class NotHandledForm(StepForm):
    help = _(
        "The complainant receives a letter naming the ground and the ombudsman. Send it within 4 weeks of receipt."
    )
    reason_code = forms.ChoiceField(label=_("Ground"), choices=NotHandledReason.choices, widget=forms.RadioSelect)
    reason = text_field(_("Explanation for the complainant"))


class ReferForm(StepForm):
    help = _("The complaint belongs elsewhere. The complainant receives a letter saying where it went and why.")
    referral_kind = forms.ChoiceField(label=_("Goes to"), choices=ReferralKind.choices, widget=forms.RadioSelect)
    referred_to = forms.CharField(label=_("Organisation or procedure"), max_length=200)
    reason = text_field(_("Explanation for the complainant"))


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return get_user_display_name(user)


class AssignHandlerForm(StepForm):
    help = _(
        "Never the person the complaint is about. The suggestion is the first manager above that person "
        "in the organisation tree."
    )
    handler = HandlerChoiceField(label=_("Handler"), queryset=get_user_model().objects.none())
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = access.handler_candidates(self.complaint.municipality)
        if self.complaint.person_complained_about_user_id:
            candidates = candidates.exclude(pk=self.complaint.person_complained_about_user_id)
        self.fields["handler"].queryset = candidates
        suggestion = access.suggest_handler(self.complaint)
        if suggestion is not None:
            self.initial.setdefault("handler", suggestion.pk)
            self.fields["handler"].help_text = _("Suggested: %(name)s") % {"name": get_user_display_name(suggestion)}


class InformPersonForm(StepForm):
    help = _("The person the complaint is about receives a copy of the complaint and its attachments.")
    informed_at = datetime_field(_("Informed at"), required=False, help_text=_("Leave empty for now."))
    reason = _reason()


class PlanHearingForm(StepForm):
    help = _(
        "The complainant and the person complained about are given the chance to be heard. For a hearing "
        "still to come they receive an invitation with the appointment for their calendar."
    )
    planned_for = datetime_field(_("Date and time"))
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        required=False,
        min_value=15,
        max_value=480,
        initial=60,
        error_messages={
            "invalid": _("Enter the length in whole minutes, for example 60."),
            "min_value": _("A hearing lasts at least 15 minutes."),
            "max_value": _("A hearing lasts at most 8 hours (480 minutes)."),
        },
        help_text=_("Leave empty for an hour."),
    )
    location = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("The address and room. Leave empty for a hearing by video call only."),
    )
    video_link = forms.URLField(
        label=_("Video call link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter the whole link of the video call, starting with https://.")},
    )
    attendees = text_field(
        _("Attendees"),
        required=False,
        rows=3,
        help_text=_("Who will be there, one per line: the complainant, the person complained about, the hearer."),
    )
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        complaint = self.complaint
        if complaint.hearing_planned_for:
            self.initial.setdefault("planned_for", complaint.hearing_planned_for)
            self.initial.setdefault("duration_minutes", complaint.hearing_duration_minutes)
            self.initial.setdefault("location", complaint.hearing_location)
            self.initial.setdefault("video_link", complaint.hearing_video_link)
            self.initial.setdefault("attendees", complaint.hearing_attendees)
        else:
            people = [complaint.name, complaint.person_complained_about]
            self.initial.setdefault("attendees", "\n".join(person for person in people if person))


class WaiveHearingForm(StepForm):
    help = _(
        "Allowed when the complaint is clearly unfounded, the complainant said they need not be heard, "
        "or did not say within the term set that they wish to be heard."
    )
    reason = text_field(_("Why there is no hearing"), rows=3)


class HearingReportForm(StepForm):
    report = text_field(_("Report"), rows=8)
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("report", self.complaint.hearing_report)


class PostponeForm(StepForm):
    help = _(
        "Once, by at most 4 weeks, before the term ends. The complainant and the person complained about "
        "receive a letter. Longer only with the complainant's written consent."
    )
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=52)
    reason = text_field(_("Reasons for the postponement"), rows=3)
    consent = text_field(
        _("The complainant's written consent"),
        required=False,
        rows=2,
        help_text=_("Only for a second or longer postponement: when and how the complainant agreed in writing."),
    )


class LogContactForm(StepForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactMoment.Kind.choices)
    with_whom = forms.CharField(label=_("With"), max_length=200)
    summary = text_field(_("Summary"))
    at = datetime_field(_("When"), required=False, help_text=_("Leave empty for now."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("with_whom", self.complaint.name)


class ResolveInformallyForm(StepForm):
    help = _("The complaint was resolved to the complainant's satisfaction; the case closes.")
    how = text_field(_("How it was resolved"))
    apology_offered = forms.BooleanField(label=_("An apology was offered"), required=False)
    reason = _reason()


class DecideForm(StepForm):
    help = _(
        "The complainant receives the decision letter with the findings, the judgement and its reasons, "
        "and the ombudsman they can turn to. There is no objection against it (Awb 9:3)."
    )
    outcome = forms.ChoiceField(
        label=_("Judgement"),
        choices=[(outcome.value, outcome.label) for outcome in DECISION_OUTCOMES],
        widget=forms.RadioSelect,
    )
    findings = text_field(_("Findings"), rows=6)
    reasons = text_field(_("Judgement, reasons and conclusions"), rows=6)
    # The annual report counts apologies on every path, not only the informal one.
    apology_offered = forms.BooleanField(label=_("An apology was offered"), required=False)


class WithdrawForm(StepForm):
    reason = text_field(_("How the complainant withdrew the complaint"), rows=3)


SATISFIED_CHOICES = [
    ("yes", _("Yes, satisfied")),
    ("no", _("No, not satisfied")),
    ("not_reached", _("Not reached: the complainant could not be asked")),
]
SATISFIED_VALUES = {"yes": True, "no": False, "not_reached": None}


class CloseForm(StepForm):
    help = _("Ask the complainant whether they are satisfied. If not, point them to the ombudsman.")
    satisfied = forms.ChoiceField(
        label=_("Is the complainant satisfied?"), choices=SATISFIED_CHOICES, widget=forms.RadioSelect
    )
    reason = _reason()

    def arguments(self):
        answer = self.cleaned_data["satisfied"]
        return {**self.cleaned_data, "satisfied": SATISFIED_VALUES[answer], "reached": answer != "not_reached"}


class ReopenForm(StepForm):
    help = _("For example when the ombudsman intervenes. The case is handled again.")
    reason = text_field(_("Why the complaint is handled again"), rows=3)


class AcceptReopenRequestForm(StepForm):
    help = _("The complainant asked us to look at the complaint again. The case is handled again; they get a mail.")
    reason = text_field(_("What you tell the complainant"), rows=3, required=False)


class DeclineReopenRequestForm(StepForm):
    help = _("The complainant gets your reason by mail, with where to go next: the ombudsman and the term.")
    reason = text_field(_("Why the complaint is not handled again"), rows=3)


class LessonsForm(StepForm):
    help = _("What the municipality learns from this complaint and what it improves; the annual report lists it.")
    lessons_learned = text_field(_("Lessons learned"), required=False)
    improvements = text_field(_("Improvements made"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("lessons_learned", self.complaint.lessons_learned)
        self.initial.setdefault("improvements", self.complaint.improvements)


class ClassifyForm(StepForm):
    help = _("Correct the kind of complaint or the organisation unit; the annual report counts the new ones.")
    kind = forms.ModelChoiceField(label=_("Kind of complaint"), queryset=ComplaintKind.objects.none(), required=False)
    unit = forms.ModelChoiceField(
        label=_("Organisation unit"), queryset=OrganisationUnit.objects.none(), required=False
    )
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_kind_and_unit(self)


class AskComplainantForm(StepForm):
    help = _(
        "Record what you asked of the complainant. The case is in the work queue “Waiting for the complainant” "
        "until you record the answer. The terms run on."
    )
    question = forms.CharField(label=_("What you asked"), max_length=300)


class ComplainantAnsweredForm(StepForm):
    help = _("Record what the complainant answered; the case leaves the work queue “Waiting for the complainant”.")
    answer = text_field(_("The answer"), rows=3)
