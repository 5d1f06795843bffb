"""Complaint forms, submission, status and figures in Wagtail's v3 API: ``/api/v3/klachtformulieren/``.

Added in ``KlachtformulierenConfig.ready()``. Every route serves what a page of the site
serves, and nothing more:

- ``formulieren/`` and ``formulieren/<id>/``: the live complaint form pages, and the questions
  of one (the Awb 9:4 core and the editors' questions), its upload limits and the anti-spam
  fields a client sends back.
- ``formulieren/<id>/indienen/``: filing a complaint (Wagtail has no form submission API,
  wagtail#6950). The same checks as the form page (``spam.refusal``, the page's form) and
  the same service function (``intake.services.register_from_form_page``), so a case filed here is the case the page
  would have made, with the same mails.
- ``status/<token>/``: what the status page behind the secret link shows.
- ``jaarcijfers/``: the figures of the public figures page (Awb 9:12a), small counts hidden.

Errors are Wagtail's problem details (RFC 9457) with ``detail`` in English and ``detail_nl``
in Dutch; a refused form gives every field's messages in both languages. The API answers in
both at once, whatever the site's language: the form's own messages come from its
translations, the few texts only the API has are written here in both languages.
No route reads a case except through its token, and none shows contract facts.
"""

import datetime
import json
import re
from typing import Literal

from django import forms
from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.datastructures import MultiValueDict
from django.utils.html import conditional_escape
from django.utils.translation import override
from ninja import Field, Path, Router, Schema, Status
from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from klachtformulieren.intake import services, spam, uploads
from klachtformulieren.intake.forms import CONTACT_FIELDS, ComplaintForm
from klachtformulieren.intake.pages import ComplaintFormPage
from klachtformulieren.intake.status import complaint_for_status_token, public_step
from klachtformulieren.reporting.pages import AnnualFiguresPage
from klachtformulieren.reporting.publication import HIDDEN_SIGN
from partners.api import SLUG_PATTERN, problem_media_type

router = Router(tags=["complaints"])

MB = 1024 * 1024
# Page ids are 32-bit on PostgreSQL; a larger number is no page, and must not reach the database.
MAX_PAGE_ID = 2**31 - 1
SUBMISSION_CONTENT_TYPES = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")
# Room for the multipart headers around each file.
MULTIPART_OVERHEAD = 64 * 1024
LANGUAGES = ("nl", "en")


# --- Schemas ------------------------------------------------------------------------------


class FieldMessage(Schema):
    code: str = Field(description="What is wrong, for programs: required, invalid, too_large, ...")
    nl: str
    en: str


class ComplaintProblem(ProblemDetail):
    """Wagtail's problem details, ``detail`` in English and ``detail_nl`` the same in Dutch.

    A refused form adds ``field_errors``: per field name (``__all__`` for the form as a
    whole), its messages in both languages.
    """

    detail_nl: str
    field_errors: dict[str, list[FieldMessage]] | None = None
    years: list[int] | None = Field(None, description="The years with figures, when a year was refused.")


class MunicipalityOut(Schema):
    name: str
    slug: str


class ComplaintFormSummaryOut(Schema):
    id: int
    title: str
    url: str = Field(description="The form page on the site.")
    municipality: MunicipalityOut


FieldType = Literal[
    "text",
    "textarea",
    "email",
    "tel",
    "url",
    "number",
    "date",
    "datetime",
    "checkbox",
    "checkboxes",
    "radio",
    "dropdown",
    "multiselect",
    "file",
    "hidden",
]


class ChoiceOut(Schema):
    value: str
    label: str


class FormFieldOut(Schema):
    name: str = Field(description="The key to send the answer under. The editors' questions start with 'vraag_'.")
    type: FieldType
    label: str
    help_text: str = Field(description="HTML, as the form page shows it.")
    required: bool = Field(description="Only the Awb 9:4 core is ever required (Wmebv).")
    multiple: bool = Field(description="Takes a list of values (or files).")
    choices: list[ChoiceOut] | None = None
    max_length: int | None = None
    initial: str | list[str] | bool | None = None


class UploadLimitsOut(Schema):
    allowed: bool
    max_files: int
    max_file_size_bytes: int
    content_types: list[str] = Field(description="Judged from the file's content, not from its name.")
    extensions: list[str]


class AntiSpamOut(Schema):
    form_started: str = Field(
        description="Send this back as 'form_started': a signed start time. A complaint sent sooner than "
        "minimum_fill_seconds after it is refused, like one without it."
    )
    minimum_fill_seconds: int
    honeypot_field: str = Field(description="A field people never see: leave it out or empty.")


class ComplaintFormOut(ComplaintFormSummaryOut):
    intro: str = Field(description="HTML.")
    privacy_notice: str = Field(description="HTML. Show it with the form: sending the form acknowledges it.")
    thank_you_text: str = Field(description="HTML, for after sending.")
    fields: list[FormFieldOut]
    at_least_one_of: list[list[str]] = Field(description="Of each group, at least one field must be filled in.")
    uploads: UploadLimitsOut
    anti_spam: AntiSpamOut
    submit_url: str


class RegistrationOut(Schema):
    reference: str
    status_url: str = Field(description="The complainant's secret status link: given once, never again.")
    status_token: str = Field(description="The secret in the status link, for status/<token>/.")
    received_at: datetime.datetime
    decision_due: datetime.date


class StepOut(Schema):
    title: str
    next_step: str


class OmbudsmanOut(Schema):
    name: str
    url: str
    term: str


class StatusMunicipalityOut(Schema):
    name: str
    phone: str


class ComplaintStatusOut(Schema):
    reference: str
    received_on: datetime.date
    step: StepOut
    open: bool
    decision_due: datetime.date | None = Field(description="While the complaint is open.")
    municipality: StatusMunicipalityOut
    ombudsman: OmbudsmanOut | None = Field(description="Where to go next, once the complaint is no longer open.")


class CountOut(Schema):
    label: str
    count: int


class PartOut(Schema):
    count: int
    base: int
    percent: int | None


class CellOut(Schema):
    value: int | None = Field(description="None when hidden: a hidden cell never carries its number.")
    hidden: Literal["small", "complement"] | None = Field(
        description="small: fewer than the threshold; complement: hidden so that a small count cannot be worked out."
    )
    shown: str = Field(description=f"What the figures page shows: the number, '<5' or '{HIDDEN_SIGN}'.")


class RowOut(Schema):
    label: str
    cells: list[CellOut]
    total: int


class CrossTableOut(Schema):
    key: str
    title: str
    row_heading: str
    column_labels: list[str]
    rows: list[RowOut]
    column_totals: list[int]
    total: int


class LabelledCellOut(Schema):
    label: str
    cell: CellOut


class PartnerCountsOut(Schema):
    items: list[LabelledCellOut]
    total: CellOut


class AnnualFiguresOut(Schema):
    year: int
    years: list[int] = Field(description="The years that can be asked for with ?jaar=.")
    municipality: MunicipalityOut | None = Field(description="None: all municipalities of the site together.")
    url: str = Field(description="The figures page on the site.")
    threshold: int = Field(description="Counts below this are hidden in the tables.")
    received: int
    five_year_average: float
    received_per_year: list[CountOut]
    informal: PartOut
    within_term: PartOut
    postponed: int
    apologies: int
    still_open: int
    outcomes: list[CountOut]
    cross_tables: list[CrossTableOut]
    channels: list[CountOut]
    ombudsman: list[CountOut]
    ombudsman_requests: int
    partners: PartnerCountsOut


def _submission_body(*, with_files):
    """The request body, documented only: the questions differ per form (see the form's schema)."""
    properties = {name: {"type": "string"} for name in ComplaintForm.base_fields if name != "attachments"}
    if with_files:
        properties["attachments"] = {"type": "array", "items": {"type": "string", "format": "binary"}}
    scalar = [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"}]
    return {
        "type": "object",
        "properties": properties,
        "required": ["name", "description", "conduct_date", "form_started"],
        "additionalProperties": {"anyOf": [*scalar, {"type": "array", "items": {"anyOf": scalar[:3]}}]},
    }


SUBMISSION_OPENAPI = {
    "requestBody": {
        "required": True,
        "description": "The answers under the field names of the form's schema. Attachments only as multipart.",
        "content": {
            "application/json": {"schema": _submission_body(with_files=False)},
            "multipart/form-data": {"schema": _submission_body(with_files=True)},
            "application/x-www-form-urlencoded": {"schema": _submission_body(with_files=False)},
        },
    },
    **problem_media_type(
        status_400=ComplaintProblem,
        status_404=ComplaintProblem,
        status_413=ComplaintProblem,
        status_415=ComplaintProblem,
        status_422=ProblemDetail,
        status_429=ComplaintProblem,
    ),
}


# --- Problems -----------------------------------------------------------------------------

TITLES = {
    400: "Bad Request",
    404: "Not Found",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
}

FORM_NOT_FOUND = {
    "en": "There is no published complaint form with this number.",
    "nl": "Er is geen gepubliceerd klachtformulier met dit nummer.",
}
STATUS_NOT_FOUND = {
    "en": "This status link is unknown or no longer valid.",
    "nl": "Deze statuslink is onbekend of niet meer geldig.",
}
FIGURES_NOT_FOUND = {
    "en": "This site publishes no complaint figures for this municipality.",
    "nl": "Deze site publiceert geen klachtcijfers voor deze gemeente.",
}
YEAR_REFUSED = {
    "en": "There are no figures for the year you asked for. Ask for one of the years listed.",
    "nl": "Er zijn geen cijfers voor het jaar dat u vroeg. Vraag een van de genoemde jaren.",
}
STATUS_RATE_LIMITED = {
    "en": "You have looked up your complaint many times in a short while. Please try again later.",
    "nl": "U heeft uw klacht vaak achter elkaar opgezocht. Probeer het later opnieuw.",
}
UNSUPPORTED_MEDIA_TYPE = {
    "en": "Send the complaint as application/json, as multipart/form-data (needed for attachments) "
    "or as application/x-www-form-urlencoded.",
    "nl": "Stuur de klacht als application/json, als multipart/form-data (nodig voor bijlagen) "
    "of als application/x-www-form-urlencoded.",
}
UNREADABLE = {
    "en": "The request cannot be read: send one JSON object, or form data.",
    "nl": "Het verzoek is niet te lezen: stuur één JSON-object, of formuliergegevens.",
}
NOT_SCALAR = {
    "en": "Send text, a number, true or false, or a list of those.",
    "nl": "Stuur tekst, een getal, true of false, of een lijst daarvan.",
}
FORM_REFUSED = {
    "en": "The complaint has not been sent. Correct the answers listed in field_errors.",
    "nl": "De klacht is niet verstuurd. Verbeter de antwoorden die in field_errors staan.",
}


def too_large(page):
    if not page.uploads_allowed:
        return {
            "en": "The request is larger than this form accepts. This form takes no attachments.",
            "nl": "Het verzoek is groter dan dit formulier aanneemt. Dit formulier neemt geen bijlagen aan.",
        }
    count, size = page.max_files, page.max_file_size_mb
    return {
        "en": f"The request is larger than this form accepts: at most {count} files of {size} MB each.",
        "nl": f"Het verzoek is groter dan dit formulier aanneemt: hoogstens {count} bestanden van {size} MB.",
    }


def in_both_languages(message, params=None):
    """A message (a lazy translation, with ``%`` parameters as in a ValidationError) in Dutch and English."""
    texts = {}
    for language in LANGUAGES:
        with override(language):
            # As ValidationError does: the parameters first, so a lazy plural finds its number.
            texts[language] = str(message % params if params else message)
    return texts


def problem(status, texts, **extensions):
    body = ComplaintProblem(
        type="about:blank", title=TITLES[status], status=status, detail=texts["en"], detail_nl=texts["nl"], **extensions
    )
    return HttpResponse(body.model_dump_json(exclude_none=True), status=status, content_type=PROBLEM_JSON)


def form_field_errors(form):
    """Every message of a refused form, per field, in both languages."""
    return {
        name: [
            FieldMessage(code=error.code or "invalid", **in_both_languages(error.message, error.params))
            for error in errors
        ]
        for name, errors in form.errors.as_data().items()
    }


# --- Complaint forms ----------------------------------------------------------------------


def published(model, request):
    """The live pages of ``model`` on the request's site that everyone may see."""
    site = Site.find_for_request(request)
    if site is None:
        return model.objects.none()
    return model.objects.live().public().in_site(site)


def published_form_page(request, page_id):
    return published(ComplaintFormPage, request).select_related("municipality").filter(pk=page_id).first()


def page_url(page, request):
    return request.build_absolute_uri(page.get_url(request))


def municipality_out(municipality):
    return {"name": municipality.name, "slug": municipality.slug}


def form_summary(page, request):
    return {
        "id": page.pk,
        "title": page.title,
        "url": page_url(page, request),
        "municipality": municipality_out(page.municipality),
    }


@router.get(
    "/formulieren/",
    response={200: list[ComplaintFormSummaryOut]},
    url_name="complaint_forms_list",
    summary="List the published complaint forms",
    operation_id="complaint_forms_list",
)
def list_complaint_forms(request: HttpRequest):
    pages = published(ComplaintFormPage, request).select_related("municipality").order_by("path")
    return [form_summary(page, request) for page in pages]


@router.get(
    "/formulieren/{page_id}/",
    response={200: ComplaintFormOut, 404: ComplaintProblem, 422: ProblemDetail},
    url_name="complaint_forms_detail",
    summary="A complaint form's questions, upload limits and anti-spam fields",
    operation_id="complaint_forms_detail",
    openapi_extra=problem_media_type(status_404=ComplaintProblem, status_422=ProblemDetail),
)
def get_complaint_form(request: HttpRequest, page_id: int = Path(..., ge=1, le=MAX_PAGE_ID)):
    page = published_form_page(request, page_id)
    if page is None:
        return problem(404, FORM_NOT_FOUND)
    form = page.get_form(page=page, user=None)
    shown = [name for name in form.fields if name not in ("website", "form_started")]
    if not form.fields["partner"].queryset.exists():
        shown.remove("partner")  # as on the page: no partners, no question about them
    return {
        **form_summary(page, request),
        "intro": expand_db_html(page.intro),
        "privacy_notice": expand_db_html(page.privacy_notice),
        "thank_you_text": expand_db_html(page.thank_you_text),
        "fields": [describe_field(form, name) for name in shown],
        "at_least_one_of": [list(CONTACT_FIELDS)],
        "uploads": {
            "allowed": page.uploads_allowed,
            "max_files": page.max_files if page.uploads_allowed else 0,
            "max_file_size_bytes": page.max_file_size_mb * MB if page.uploads_allowed else 0,
            "content_types": list(uploads.ALLOWED_TYPES),
            "extensions": list(uploads.ACCEPT_EXTENSIONS),
        },
        "anti_spam": {
            "form_started": spam.form_started_token(),
            "minimum_fill_seconds": spam.minimum_fill_seconds(),
            "honeypot_field": "website",
        },
        "submit_url": request.build_absolute_uri(
            reverse("wagtailapi_v3:complaint_forms_submit", kwargs={"page_id": page.pk})
        ),
    }


def describe_field(form, name):
    field = form.fields[name]
    return {
        "name": name,
        "type": field_type(field),
        "label": str(field.label or ""),
        "help_text": str(conditional_escape(field.help_text or "")),
        "required": field.required,
        "multiple": bool(getattr(field.widget, "allow_multiple_selected", False)),
        "choices": field_choices(field),
        "max_length": getattr(field, "max_length", None),
        "initial": initial_value(form.get_initial_for_field(field, name)),
    }


# How a form field is described to API clients, first match wins: (field classes, widget
# classes, type). The order matters: a DateTimeField is a DateField too.
FIELD_TYPES = [
    ((forms.FileField,), (), "file"),
    ((forms.BooleanField,), (), "checkbox"),
    ((), (forms.CheckboxSelectMultiple,), "checkboxes"),
    ((), (forms.RadioSelect,), "radio"),
    ((forms.DateTimeField,), (), "datetime"),
    ((forms.DateField,), (), "date"),
    ((forms.EmailField,), (), "email"),
    ((forms.URLField,), (), "url"),
    ((forms.IntegerField, forms.DecimalField, forms.FloatField), (), "number"),
    ((), (forms.HiddenInput,), "hidden"),
    ((), (forms.Textarea,), "textarea"),
]


def field_type(field):
    widget = field.widget
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) and not isinstance(
        widget, forms.CheckboxSelectMultiple | forms.RadioSelect
    ):
        return "multiselect" if widget.allow_multiple_selected else "dropdown"
    for field_classes, widget_classes, name in FIELD_TYPES:
        if isinstance(field, field_classes) or isinstance(widget, widget_classes):
            return name
    return "tel" if getattr(widget, "input_type", "") == "tel" else "text"


def field_choices(field):
    if not isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return None
    choices = []
    for value, label in field.choices:
        # Grouped choices (an optgroup) hold their own list.
        group = label if isinstance(label, list | tuple) else [(value, label)]
        choices.extend({"value": str(item_value), "label": str(item_label)} for item_value, item_label in group)
    return choices


def initial_value(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


# --- Filing a complaint -------------------------------------------------------------------


class Unreadable(Exception):
    """The body cannot be read as answers; ``field_errors`` says which, when it can."""

    def __init__(self, field_errors=None):
        super().__init__()
        self.field_errors = field_errors


@router.post(
    "/formulieren/{page_id}/indienen/",
    response={
        201: RegistrationOut,
        400: ComplaintProblem,
        404: ComplaintProblem,
        413: ComplaintProblem,
        415: ComplaintProblem,
        422: ProblemDetail,
        429: ComplaintProblem,
    },
    url_name="complaint_forms_submit",
    summary="File a complaint: the same checks, the same case and the same mails as the form page",
    operation_id="complaint_forms_submit",
    openapi_extra=SUBMISSION_OPENAPI,
)
def submit_complaint(request: HttpRequest, page_id: int = Path(..., ge=1, le=MAX_PAGE_ID)):
    page = published_form_page(request, page_id)
    if page is None:
        return problem(404, FORM_NOT_FOUND)
    content_type = (request.content_type or "").lower()
    if content_type not in SUBMISSION_CONTENT_TYPES:
        return problem(415, UNSUPPORTED_MEDIA_TYPE)
    if content_length(request) > largest_body(page, content_type):
        return problem(413, too_large(page))
    try:
        data, files = submitted_answers(request, content_type)
    except RequestDataTooBig:
        return problem(413, too_large(page))
    except Unreadable as unreadable:
        detail = FORM_REFUSED if unreadable.field_errors else UNREADABLE
        return problem(400, detail, field_errors=unreadable.field_errors)

    refused = spam.refusal(request, data, page.url_path)
    if refused == spam.RATE_LIMITED:
        return problem(429, in_both_languages(spam.RATE_LIMITED_NOTICE))
    if refused:
        return problem(400, in_both_languages(spam.NOT_SENT_NOTICE))

    form = page.get_form(data, files, page=page, user=request.user)
    if not form.is_valid():
        return problem(400, FORM_REFUSED, field_errors=form_field_errors(form))

    registration = services.register_from_form_page(request, page, form)
    complaint = registration.complaint
    return Status(
        201,
        {
            "reference": complaint.reference,
            "status_url": registration.status_url,
            "status_token": registration.status_token,
            "received_at": complaint.received_at,
            "decision_due": complaint.decision_due(),
        },
    )


def content_length(request):
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def largest_body(page, content_type):
    """The most a valid complaint can weigh: the answers (Django's limit) and, as multipart, the files."""
    answers = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if answers is None:
        return float("inf")
    if content_type != "multipart/form-data" or not page.uploads_allowed:
        return answers
    return answers + page.max_files * (page.max_file_size_mb * MB + MULTIPART_OVERHEAD)


def submitted_answers(request, content_type):
    """(data, files) to bind the page's form with, as if a browser had posted the form."""
    if content_type != "application/json":
        try:
            return request.POST, request.FILES
        except RequestDataTooBig:
            raise
        except (BadRequest, MultiPartParserError, SuspiciousOperation, ValueError) as error:
            # Broken multipart, too many fields or files (Django's limits), text that is not UTF-8.
            raise Unreadable from error
    try:
        payload = json.loads(request.body)
    except RequestDataTooBig:
        raise
    except (ValueError, RecursionError) as error:  # includes JSONDecodeError and UnicodeDecodeError
        raise Unreadable from error
    if not isinstance(payload, dict):
        raise Unreadable
    return json_answers(payload), MultiValueDict()


def json_answers(payload):
    """JSON values as a browser would post them: text, "on" for a ticked box, lists for multiple choices."""
    data, field_errors = MultiValueDict(), {}
    for name, value in payload.items():
        values = value if isinstance(value, list) else [value]
        if not all(is_scalar(item) for item in values):
            field_errors[name] = [FieldMessage(code="invalid_type", **NOT_SCALAR)]
            continue
        data.setlist(name, [posted_text(item) for item in values if item is not None and item is not False])
    if field_errors:
        raise Unreadable(field_errors)
    return data


def is_scalar(value):
    return value is None or isinstance(value, str | int | float | bool)


def posted_text(value):
    if value is True:
        return "on"
    return value if isinstance(value, str) else str(value)


# --- Status -------------------------------------------------------------------------------


def private(response):
    """The token is in the URL: never pass it on to another site, never cache it (as the status page)."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@router.get(
    "/status/{token}/",
    response={200: ComplaintStatusOut, 404: ComplaintProblem, 429: ComplaintProblem},
    url_name="complaint_status",
    summary="Where a complaint stands, for whoever holds its secret status link",
    operation_id="complaint_status",
    openapi_extra=problem_media_type(status_404=ComplaintProblem, status_429=ComplaintProblem),
)
def get_complaint_status(request: HttpRequest, token: str, response: HttpResponse):
    private(response)
    if spam.status_lookup_rate_limited(request):
        return private(problem(429, STATUS_RATE_LIMITED))
    complaint = complaint_for_status_token(token)
    if complaint is None:
        # Unknown, malformed and expired alike: the same answer.
        return private(problem(404, STATUS_NOT_FOUND))
    step = public_step(complaint)
    municipality = complaint.municipality
    return {
        "reference": complaint.reference,
        "received_on": complaint.received_on,
        "step": {"title": str(step["title"]), "next_step": str(step["next_step"])},
        "open": step["open"],
        "decision_due": complaint.decision_due() if step["open"] else None,
        "municipality": {"name": municipality.name, "phone": municipality.phone},
        "ombudsman": None
        if step["open"]
        else {
            "name": municipality.ombudsman_name,
            "url": municipality.ombudsman_url,
            "term": str(municipality.ombudsman_term_display),
        },
    }


# --- Annual figures -----------------------------------------------------------------------


@router.get(
    "/jaarcijfers/",
    response={200: AnnualFiguresOut, 400: ComplaintProblem, 404: ComplaintProblem},
    url_name="complaint_figures",
    summary="The complaint figures of a complete year, as the public figures page shows them",
    operation_id="complaint_figures",
    openapi_extra=problem_media_type(status_400=ComplaintProblem, status_404=ComplaintProblem),
)
def get_annual_figures(request: HttpRequest, jaar: str | None = None, gemeente: str | None = None):
    """``jaar``: a complete year (default: the page's year, or the last complete one). ``gemeente``:
    a municipality's slug; without it, the site's page for all its municipalities together (or else its first).
    """
    pages = published(AnnualFiguresPage, request).select_related("municipality")
    if gemeente:
        if not re.fullmatch(SLUG_PATTERN, gemeente):
            # Not a slug (for example a NUL byte, which PostgreSQL refuses): no such municipality.
            return problem(404, FIGURES_NOT_FOUND)
        pages = pages.filter(municipality__slug=gemeente)
    page = pages.order_by(F("municipality").asc(nulls_first=True), "path").first()
    if page is None:
        return problem(404, FIGURES_NOT_FOUND)
    # The page chooses the year and hides the small counts exactly as it does for a visitor.
    context = page.get_context(request)
    if context["year_rejected"]:
        return problem(400, YEAR_REFUSED, years=context["years"])
    return figures_out(context["figures"], years=context["years"], page=page, request=request)


def figures_out(figures, *, years, page, request):
    return {
        "year": figures.year,
        "years": years,
        "municipality": municipality_out(page.municipality) if page.municipality else None,
        "url": page_url(page, request),
        "threshold": figures.threshold,
        "received": figures.received,
        "five_year_average": figures.five_year_average,
        "received_per_year": counts(figures.received_per_year),
        "informal": part(figures.informal),
        "within_term": part(figures.within_term),
        "postponed": figures.postponed,
        "apologies": figures.apologies,
        "still_open": figures.still_open,
        "outcomes": counts(figures.outcomes),
        "cross_tables": [
            {
                "key": cross.key,
                "title": str(cross.title),
                "row_heading": str(cross.row_heading),
                "column_labels": [str(label) for label in cross.column_labels],
                "rows": [
                    {"label": row.label, "cells": [cell_out(cell) for cell in row.cells], "total": row.total}
                    for row in cross.table.rows
                ],
                "column_totals": cross.table.column_totals,
                "total": cross.table.total,
            }
            for cross in figures.cross_tables
        ],
        "channels": counts(figures.channels),
        "ombudsman": [{"label": label, "count": count} for label, count in figures.ombudsman],
        "ombudsman_requests": figures.ombudsman_requests,
        "partners": {
            "items": [{"label": label, "cell": cell_out(cell)} for label, cell in figures.partners.items],
            "total": cell_out(figures.partners.total),
        },
    }


def counts(bars):
    return [{"label": bar.label, "count": bar.count} for bar in bars]


def part(share):
    return {"count": share.count, "base": share.base, "percent": share.percent}


def cell_out(cell):
    return {"value": cell.value, "hidden": cell.mark or None, "shown": cell.shown}
