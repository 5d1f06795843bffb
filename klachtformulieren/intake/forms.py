"""The complaint form: a fixed Awb 9:4 core plus the questions editors add.

Only the core is required (Awb 9:4: name, an address, a description of the conduct and
its date); the 2026 law on electronic messages (Wmebv) forbids requiring anything else,
so every question editors add is optional, whatever the form builder says.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder

from klachtformulieren.cases.forms import DATE_WIDGET, datetime_field, text_field
from klachtformulieren.intake import spam, uploads
from klachtformulieren.models import ORAL_CHANNELS, Channel
from partners.models import Partner

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d-%m-%y", "%d %m %Y"]
EXTRA_FIELD_PREFIX = "vraag_"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data if item]
        return [single_clean(data, initial)] if data else []


class DateInput(forms.DateInput):
    """A plain text field: native date pickers follow the browser's language, not the page's,
    and several screen readers handle them poorly. The hint shows the format."""

    def __init__(self, **kwargs):
        super().__init__(format="%d-%m-%Y", attrs={"autocomplete": "off", "spellcheck": "false", "size": 12}, **kwargs)


@dataclass
class ComplaintSubmission:
    """What a citizen filed, validated: the input of ``intake.services.register_complaint``."""

    name: str
    description: str
    conduct_date: object
    organisation_name: str = ""
    postal_address: str = ""
    email: str = ""
    phone: str = ""
    representative_name: str = ""
    representative_relation: str = ""
    conduct_date_end: object = None
    partner: object = None
    conduct_involved: str = ""
    desired_outcome: str = ""
    extra_answers: list = field(default_factory=list)
    attachments: list = field(default_factory=list)  # (UploadedFile, uploads.ValidatedUpload) pairs

    @classmethod
    def from_cleaned_data(cls, data, *, extra_answers=()):
        """From a valid form's data: the public form's, or staff registration's (Awb 9:2)."""
        names = {name for name in cls.__dataclass_fields__ if name != "extra_answers"}
        return cls(**{name: data[name] for name in names if name in data}, extra_answers=list(extra_answers))


def _text(label, *, required=False, max_length=200, textarea=False, messages=None, **widget_attrs):
    widget = forms.Textarea(attrs={"rows": 6, **widget_attrs}) if textarea else forms.TextInput(attrs=widget_attrs)
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=widget, error_messages=messages or {}
    )


def phone_field(label):
    """A phone number as the form and staff registration take it: digits, spaces, + ( ) -."""
    return forms.RegexField(
        label=label,
        required=False,
        max_length=40,
        regex=r"^[0-9+()\-\s]{6,40}$",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        error_messages={"invalid": _("Fill in a phone number with digits only, like 06 12345678.")},
    )


CONTACT_FIELDS = ("email", "postal_address")
# The one-of-two rule belongs to the pair, not to either field: an empty (optional) email
# address is no error of its own. The form shows it once, on the group of contact fields.
NO_ADDRESS = "no_address"


def lacks_address(form, cleaned):
    """Awb 9:4: a complaint gives an address to answer it at: email or postal address.
    False when one is given, or when one was filled in but is itself wrong (its own error)."""
    return not any(cleaned.get(name) for name in CONTACT_FIELDS) and not any(
        name in form.errors for name in CONTACT_FIELDS
    )


class ComplaintForm(forms.Form):
    # Awb 9:4: who complains and how to answer them.
    name = _text(_("Name"), required=True, messages={"required": _("Fill in your name.")}, autocomplete="name")
    organisation_name = _text(
        _("Organisation (if you complain on behalf of an organisation)"), autocomplete="organization"
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Fill in a valid email address, like name@example.nl.")},
    )
    postal_address = _text(_("Postal address"), max_length=500, textarea=True, autocomplete="street-address", rows=3)
    phone = phone_field(_("Phone number"))
    representative_name = _text(_("Your name, if you file this complaint for someone else"))
    representative_relation = _text(_("Your relation to the complainant, for example son or care worker"))

    # Awb 9:4: what happened and when.
    description = _text(
        _("What happened?"),
        required=True,
        max_length=10_000,
        textarea=True,
        messages={"required": _("Describe what happened.")},
    )
    conduct_date = forms.DateField(
        label=_("When did it happen?"),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={
            "required": _("Fill in the date on which it happened."),
            "invalid": _("Fill in a valid date, like 20-11-2026."),
        },
    )
    conduct_date_end = forms.DateField(
        label=_("Did it go on for a while? Until when?"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": _("Fill in a valid date, like 20-11-2026.")},
    )
    partner = forms.ModelChoiceField(
        label=_("Is your complaint about an organisation that works for the municipality?"),
        queryset=None,
        required=False,
        empty_label=_("No, or I do not know"),
        help_text=_("For example a care provider or the waste collector. We remain responsible for their work."),
    )
    conduct_involved = _text(
        _("Where did it happen, or which team or employee was involved?"), max_length=2000, textarea=True, rows=3
    )
    desired_outcome = _text(_("What would you like us to do?"), max_length=2000, textarea=True, rows=3)

    attachments = MultipleFileField(label=_("Attachments"), required=False)

    # Anti-spam without third parties: a field people never see, and when the form was shown.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    form_started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, page=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        # Shown once, under the contact group's legend, before its fields and its error.
        self.contact_hint = _("Fill in your email address, your postal address or both.")
        partners = Partner.objects.filter(published=True).order_by("name")
        self.fields["partner"].queryset = partners
        self.fields["partner"].to_field_name = "slug"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["form_started"] = spam.form_started_token()
        if page is not None:
            self._apply_page_settings(page)

    def renew_start_token(self):
        """A bound form shown again carries a token that can still be sent (see spam.spam_reason)."""
        self.data = self.data.copy()
        self.data["form_started"] = spam.renewed_token(self.data.get("form_started", ""))

    def _apply_page_settings(self, page):
        for name, help_text in page.core_help_texts().items():
            if help_text:
                self.fields[name].help_text = help_text
        if page.contact_help_text:
            self.contact_hint = page.contact_help_text
        for name in ("conduct_date", "conduct_date_end"):
            example = _("For example %(example)s.") % {"example": "20-11-2026"}
            self.fields[name].help_text = f"{self.fields[name].help_text} {example}".strip()
        if not page.uploads_allowed:
            del self.fields["attachments"]
        else:
            self.fields["attachments"].help_text = _(
                "At most %(count)s files of %(size)s MB each: PDF, JPEG, PNG, Word or ODF."
            ) % {"count": page.max_files, "size": page.max_file_size_mb}
            self.fields["attachments"].widget.attrs["accept"] = ",".join(uploads.ACCEPT_EXTENSIONS)

    def clean_conduct_date(self):
        value = self.cleaned_data["conduct_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("This date lies in the future. Fill in the date on which it happened."))
        return value

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if not files or self.page is None:
            return []
        validated = uploads.validate_uploads(
            files, max_files=self.page.max_files, max_bytes=self.page.max_file_size_mb * 1024 * 1024
        )
        return list(zip(files, validated, strict=True))

    def clean(self):
        cleaned = super().clean()
        if lacks_address(self, cleaned):
            message = _("Fill in your email address or your postal address, so that we can answer you.")
            self.add_error(None, forms.ValidationError(message, code=NO_ADDRESS))
        start, end = cleaned.get("conduct_date"), cleaned.get("conduct_date_end")
        if start and end:
            if end < start:
                self.add_error("conduct_date_end", _("The end of the period lies before its start."))
            elif end > timezone.localdate():
                self.add_error("conduct_date_end", _("This date lies in the future."))
        return cleaned

    @property
    def contact_error(self):
        """The one-of-two rule's message when it was broken (shown on the contact group), or ""."""
        for error in self.non_field_errors().as_data():
            if error.code == NO_ADDRESS:
                return error.messages[0]
        return ""

    def extra_fields(self):
        return [self[name] for name in self.fields if name.startswith(EXTRA_FIELD_PREFIX)]

    def submission(self):
        return ComplaintSubmission.from_cleaned_data(self.cleaned_data, extra_answers=self._extra_answers())

    def _extra_answers(self):
        answers = []
        for bound_field in self.extra_fields():
            value = self.cleaned_data.get(bound_field.name)
            if isinstance(value, list | tuple):
                value = ", ".join(str(item) for item in value)
            if value in (None, "", False):
                continue
            answers.append(
                {"question": str(bound_field.label), "answer": str(_("Yes")) if value is True else str(value)}
            )
        return answers

    def accessible(self):
        """Point each input at its help text and error message (WCAG 1.3.1, 3.3.1)."""
        for name in self.fields:
            bound_field = self[name]
            described_by = []
            if bound_field.help_text:
                described_by.append(f"{bound_field.auto_id}-hint")
            if bound_field.errors:
                described_by.append(f"{bound_field.auto_id}-error")
                bound_field.field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                bound_field.field.widget.attrs["aria-describedby"] = " ".join(described_by)
            if bound_field.field.required and name != "form_started":
                bound_field.field.widget.attrs["aria-required"] = "true"
        return self


class ComplaintFormBuilder(FormBuilder):
    """Builds ComplaintForm with the editors' questions added, all optional, names prefixed."""

    def get_field_options(self, field):
        options = super().get_field_options(field)
        options["required"] = False
        return options

    def create_dropdown_field(self, field, options):
        # Every question is optional: without an empty first choice, whoever skips the question
        # would send its first option.
        form_field = super().create_dropdown_field(field, options)
        form_field.choices = [("", _("Make a choice")), *form_field.choices]
        return form_field

    @property
    def formfields(self):
        return {f"{EXTRA_FIELD_PREFIX}{name}": form_field for name, form_field in super().formfields.items()}

    def get_form_class(self):
        return type("ComplaintPageForm", (ComplaintForm,), self.formfields)


# Staff registration takes what the most generous form page may take (pages.py's validators):
# a scanned letter of many pages is larger than what a citizen usually sends.
STAFF_MAX_FILES = 10
STAFF_MAX_FILE_SIZE_MB = 25


class RegisterForm(forms.Form):
    """Awb 9:2: a complaint received by phone, letter, email or at the desk; the scanned letter or
    the saved email attached, with the checks and the virus scan of the public form."""

    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None)
    # No channel chosen in advance: a wrong default would count in the annual report.
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[("", _("Choose how it came in")), *(c for c in Channel.choices if c[0] != Channel.WEB_FORM)],
    )
    received_at = datetime_field(
        _("Received at"), help_text=_("The date the municipality received it; every term runs from here.")
    )
    name = forms.CharField(label=_("Name of the complainant"), max_length=200)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    postal_address = text_field(_("Postal address"), required=False, rows=3)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = phone_field(_("Phone"))
    representative_name = forms.CharField(
        label=_("Filed on behalf of the complainant by"), max_length=200, required=False
    )
    representative_relation = forms.CharField(label=_("Relation to the complainant"), max_length=200, required=False)
    description = text_field(_("What happened"), rows=6)
    conduct_date = forms.DateField(
        label=_("Date of the conduct"), widget=DATE_WIDGET, input_formats=["%Y-%m-%d", "%d-%m-%Y"]
    )
    conduct_involved = text_field(_("Where, which team or employee"), required=False, rows=2)
    desired_outcome = text_field(_("What the complainant hopes for"), required=False, rows=2)
    attachments = MultipleFileField(
        label=_("Scanned letter, saved email or other documents"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join(uploads.ACCEPT_EXTENSIONS)}),
    )

    def __init__(self, *args, municipalities, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["attachments"].help_text = _(
            "At most %(count)s files of %(size)s MB each: PDF, JPEG, PNG, Word or ODF. Save an email as PDF first."
        ) % {"count": STAFF_MAX_FILES, "size": STAFF_MAX_FILE_SIZE_MB}
        own = municipalities
        if user is not None and len(municipalities) > 1:
            # An administrator may register for every municipality, but works for some.
            own = municipalities.filter(pk__in=user.complaint_municipalities.values("pk"))
        if len(own) == 1:
            self.initial.setdefault("municipality", own[0].pk)
        self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if not files:
            return []
        validated = uploads.validate_uploads(
            files, max_files=STAFF_MAX_FILES, max_bytes=STAFF_MAX_FILE_SIZE_MB * 1024 * 1024
        )
        return list(zip(files, validated, strict=True))

    def clean(self):
        data = super().clean()
        # Awb 9:4 asks an address of a written complaint; one by phone or at the desk may leave
        # none (then it gets no written acknowledgement either).
        if data.get("channel") not in ORAL_CHANNELS and lacks_address(self, data):
            self.add_error("postal_address", _("Fill in a postal address or an email address (Awb 9:4)."))
        conduct_date = data.get("conduct_date")
        received_at = data.get("received_at")
        if conduct_date and received_at and conduct_date > timezone.localdate(received_at):
            self.add_error("conduct_date", _("The conduct cannot lie after the date the complaint was received."))
        return data

    def submission(self):
        return ComplaintSubmission.from_cleaned_data(self.cleaned_data)
