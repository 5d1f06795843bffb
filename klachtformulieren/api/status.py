"""``status/<token>/``: what the status page behind the secret link shows."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from klachtformulieren.api.problems import STATUS_NOT_FOUND, STATUS_RATE_LIMITED, problem
from klachtformulieren.api.router import router
from klachtformulieren.api.schemas import ComplaintProblem, ComplaintStatusOut
from klachtformulieren.intake import spam
from klachtformulieren.intake.status import complaint_for_status_token, public_step
from partners.api import problem_media_type


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
