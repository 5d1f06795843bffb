"""``formulieren/<id>/indienen/``: filing a complaint, with the form page's checks and service."""

import json

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from ninja import Path, Status
from wagtail.api.v3.errors import ProblemDetail

from klachtformulieren.api.forms import published_form_page
from klachtformulieren.api.problems import (
    FOREIGN_ORIGIN,
    FORM_NOT_FOUND,
    FORM_REFUSED,
    NOT_SCALAR,
    UNREADABLE,
    UNSUPPORTED_MEDIA_TYPE,
    form_field_errors,
    in_both_languages,
    problem,
    too_large,
)
from klachtformulieren.api.router import MAX_PAGE_ID, MB, MULTIPART_OVERHEAD, SUBMISSION_CONTENT_TYPES, router
from klachtformulieren.api.schemas import SUBMISSION_OPENAPI, ComplaintProblem, FieldMessage, RegistrationOut
from klachtformulieren.intake import services, spam


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
        403: ComplaintProblem,
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
    if content_type in BROWSER_FORM_TYPES and from_another_site(request):
        return problem(403, FOREIGN_ORIGIN)
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
    if refused == spam.EXPIRED:
        return problem(400, in_both_languages(spam.EXPIRED_NOTICE), form_started=spam.form_started_token())
    if refused:
        return problem(400, in_both_languages(spam.NOT_SENT_NOTICE))

    form = page.get_form(data, files, page=page, user=request.user)
    if not form.is_valid():
        # The token is used up; the corrected complaint is sent with this one.
        renewed = spam.renewed_token(data.get("form_started", ""))
        return problem(400, FORM_REFUSED, field_errors=form_field_errors(form), form_started=renewed)

    registration = services.register_from_form_page(request, page, form)
    spam.count_submission(request)
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


# What a browser posts from a plain HTML form, on any site, without asking this one first (no
# CORS preflight): these need the Origin check that CSRF protection gives the form page.
# application/json cannot be sent across sites without a preflight, which we never allow.
BROWSER_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def from_another_site(request):
    """True when the browser says the request comes from another site (Origin, Sec-Fetch-Site).

    A client that is not a browser sends neither header and is judged by the other checks.
    """
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin != own and origin not in settings.CSRF_TRUSTED_ORIGINS


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
