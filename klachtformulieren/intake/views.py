"""Thin views: they read the request, call intake/status functions and render."""

import logging

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from klachtformulieren.correspondence import receipt
from klachtformulieren.intake import services, spam
from klachtformulieren.intake.status import (
    complaint_for_status_session,
    complaint_for_status_token,
    open_status_session,
    public_step,
)
from klachtformulieren.models import Complaint

logger = logging.getLogger(__name__)

THANK_YOU_SESSION_KEY = "klachtformulieren:registered"


def complaint_form(request, page):
    if request.method != "POST":
        # A partner's page links here with ?partner=<slug> to preselect the organisation.
        initial = {"partner": request.GET["partner"]} if request.GET.get("partner") else {}
        return page.render_form(request, page.get_form(initial=initial, page=page, user=request.user))

    refused = spam.refusal(request, request.POST, page.url_path)
    if refused == spam.RATE_LIMITED:
        return page.render_form(
            request, _form_keeping_values(request, page), status=429, notice=spam.RATE_LIMITED_NOTICE
        )
    if refused == spam.EXPIRED:
        return page.render_form(request, _form_keeping_values(request, page), notice=spam.EXPIRED_NOTICE)
    if refused == spam.REPLAYED:
        # Most often a double click: the first post filed the complaint. This browser sees its
        # thank-you page; otherwise it is told the form was sent already, not that it failed.
        if _filed_with_this_token(request):
            return page.redirect_to_thank_you(request)
        return page.render_form(request, _form_keeping_values(request, page), notice=spam.ALREADY_SENT_NOTICE)
    if refused:
        # A neutral answer that a person can act on: the values stay, they send the form again.
        return page.render_form(request, _form_keeping_values(request, page), notice=spam.NOT_SENT_NOTICE)

    form = page.get_form(request.POST, request.FILES, page=page, user=request.user)
    if not form.is_valid():
        # Sent back for corrections: a new token (the old one is used up), the same start time.
        form.renew_start_token()
        return page.render_form(request, form)

    registration = services.register_from_form_page(request, page, form)
    spam.count_submission(request)
    request.session[THANK_YOU_SESSION_KEY] = {
        "complaint": registration.complaint.pk,
        "status_url": registration.status_url,
        "form_started": request.POST.get("form_started", ""),
    }
    return page.redirect_to_thank_you(request)


NOT_KEPT = {"csrfmiddlewaretoken", "website", "form_started"}


def _filed_with_this_token(request):
    registered = request.session.get(THANK_YOU_SESSION_KEY) or {}
    token = request.POST.get("form_started", "")
    return bool(token) and registered.get("form_started") == token


def _form_keeping_values(request, page):
    """An unjudged form filled with what was posted (files cannot be kept by a browser)."""
    initial = {
        key: values if len(values) > 1 else values[0] for key, values in request.POST.lists() if key not in NOT_KEPT
    }
    return page.get_form(initial=initial, page=page, user=request.user)


@never_cache
def complaint_thank_you(request, page):
    registered = request.session.get(THANK_YOU_SESSION_KEY)
    complaint = Complaint.objects.filter(pk=(registered or {}).get("complaint")).first()
    if complaint is None:
        # Nothing filed in this session (or it expired): back to the form, never a second case.
        return redirect(page.get_url(request))
    context = page.get_context(request)
    context.update(
        {
            "complaint": complaint,
            "status_url": registered["status_url"],
            "receipt_url": page.receipt_url(request) if receipt.receipt_of(complaint) is not None else "",
        }
    )
    return TemplateResponse(request, page.landing_page_template, context)


@never_cache
def complaint_receipt(request, page):
    """The receipt of the complaint filed in this browser session (Wmebv), as a download."""
    registered = request.session.get(THANK_YOU_SESSION_KEY) or {}
    complaint = Complaint.objects.filter(pk=registered.get("complaint")).first()
    kept = receipt.receipt_of(complaint) if complaint is not None else None
    if kept is None:
        raise Http404
    response = HttpResponse(kept, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt.receipt_filename(complaint)}"'
    return _private(response)


def complaint_thank_you_preview(request, page):
    example = Complaint(
        reference=f"{timezone.localdate().year}-000123",
        municipality=page.municipality,
        received_at=timezone.now(),
        name=_("Example"),
        description="",
        conduct_date=timezone.localdate(),
    )
    context = page.get_context(request)
    context.update({"complaint": example, "status_url": request.build_absolute_uri("/klachten/status/voorbeeld/")})
    return TemplateResponse(request, page.landing_page_template, context)


def _private(response):
    # Never passed on to another site, never indexed, never kept in a shared cache.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store, private"
    return response


def _private_form(response):
    """As ``_private``, for a page whose form posts back to us: under "no-referrer" a browser sends
    the post with "Origin: null", which Django's CSRF check refuses (403). "same-origin" still
    never tells another site the secret address."""
    _private(response)
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
@never_cache
def status(request, token):
    """The link from the mail: exchange its token for a short session, then on to the page."""
    if spam.status_lookup_rate_limited(request):
        return TemplateResponse(request, "klachtformulieren/status_rate_limited.html", status=429)
    complaint = complaint_for_status_token(token)
    if complaint is None:
        # Mistyped, expired or never made: the same page, which says what to do, not which.
        return _private(TemplateResponse(request, "klachtformulieren/status_not_found.html", status=404))
    request.session.cycle_key()  # a new session key: nobody can plant one beforehand
    open_status_session(request.session, complaint)
    return _private(HttpResponseRedirect(reverse("klachtformulieren:status_page")))


@require_GET
@never_cache
def status_page(request):
    complaint = complaint_for_status_session(request.session)
    if complaint is None:
        return _private(TemplateResponse(request, "klachtformulieren/status_expired.html", status=403))
    context = {
        "complaint": complaint,
        "step": public_step(complaint),
        "decision_due": complaint.decision_due(),
    }
    return _private(TemplateResponse(request, "klachtformulieren/status.html", context))
