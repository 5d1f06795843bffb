"""``formulieren/``: the live complaint form pages and the questions of one."""

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import conditional_escape
from ninja import Path
from wagtail.api.v3.errors import ProblemDetail
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from klachtformulieren.api.problems import FORM_NOT_FOUND, problem
from klachtformulieren.api.router import MAX_PAGE_ID, MB, router
from klachtformulieren.api.schemas import ComplaintFormOut, ComplaintFormSummaryOut, ComplaintProblem
from klachtformulieren.intake import spam, uploads
from klachtformulieren.intake.forms import CONTACT_FIELDS
from klachtformulieren.intake.pages import ComplaintFormPage
from partners.api import problem_media_type


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
