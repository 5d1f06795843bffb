"""The API's request and response schemas (django-ninja)."""

import datetime
from typing import Literal

from ninja import Field, Schema
from wagtail.api.v3.errors import ProblemDetail

from klachtformulieren.intake.forms import ComplaintForm
from klachtformulieren.reporting.publication import HIDDEN_SIGN
from partners.api import problem_media_type


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
    form_started: str | None = Field(
        None,
        description="A refused complaint's new start token: each token can be sent once, so send the "
        "corrected complaint with this one.",
    )


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
        description="Send this back as 'form_started', once: a signed start time. A complaint sent sooner than "
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
    hidden: bool = Field(
        description="Not shown: a small count, or one from which a small count could be worked out (not said which)."
    )
    shown: str = Field(description=f"What the figures page shows: the number, or '{HIDDEN_SIGN}'.")


class RowOut(Schema):
    label: str
    cells: list[CellOut] = Field(description="Empty when the table publishes its totals only.")
    total: int | None = Field(description="None when hidden.")


class CrossTableOut(Schema):
    key: str
    title: str
    row_heading: str
    column_labels: list[str]
    rows: list[RowOut]
    column_totals: list[int]
    totals_only: bool = Field(description="No cell could be shown safely: the rows carry their totals only.")
    withheld: bool = Field(description="Not even the totals per row could be shown safely: rows is empty.")
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
