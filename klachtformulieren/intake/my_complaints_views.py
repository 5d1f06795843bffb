""" "Mijn klachten": thin views over intake.my_complaints."""

from django import forms
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from klachtformulieren.intake import my_complaints, spam
from klachtformulieren.intake.status import open_status_session, public_step
from klachtformulieren.intake.views import _private


class AskForLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The address you gave when you filed your complaint."),
        error_messages={"required": _("Fill in your email address."), "invalid": _("Fill in a valid email address.")},
    )


@never_cache
def ask_for_link(request):
    form = AskForLinkForm(request.POST or None)
    if request.method == "POST":
        if spam.my_complaints_rate_limited(request):
            return TemplateResponse(request, "klachtformulieren/status_rate_limited.html", status=429)
        if form.is_valid():
            my_complaints.request_link(
                form.cleaned_data["email"],
                link_for=lambda token: request.build_absolute_uri(
                    reverse("klachtformulieren:my_complaints_sign_in", kwargs={"token": token})
                ),
            )
            return TemplateResponse(
                request, "klachtformulieren/my_complaints_sent.html", {"hours": my_complaints.LINK_HOURS}
            )
    return TemplateResponse(request, "klachtformulieren/my_complaints_ask.html", {"form": form})


@require_GET
@never_cache
def sign_in(request, token):
    """The link from the mail: used up now, exchanged for a short session."""
    if spam.status_lookup_rate_limited(request):
        return TemplateResponse(request, "klachtformulieren/status_rate_limited.html", status=429)
    email = my_complaints.use_link(token)
    if email is None:
        return _private(
            TemplateResponse(
                request, "klachtformulieren/my_complaints_link_expired.html", {"hours": my_complaints.LINK_HOURS}
            )
        )
    request.session.cycle_key()
    my_complaints.open_session(request.session, email)
    return _private(HttpResponseRedirect(reverse("klachtformulieren:my_complaints_overview")))


@require_GET
@never_cache
def overview(request):
    email = my_complaints.email_of_session(request.session)
    if not email:
        return HttpResponseRedirect(reverse("klachtformulieren:my_complaints"))
    complaints = [
        {"complaint": complaint, "step": public_step(complaint)} for complaint in my_complaints.complaints_of(email)
    ]
    return _private(TemplateResponse(request, "klachtformulieren/my_complaints.html", {"complaints": complaints}))


@require_GET
@never_cache
def open_status(request, reference):
    """One complaint of the overview on its status page."""
    email = my_complaints.email_of_session(request.session)
    complaint = my_complaints.complaints_of(email).filter(reference=reference).first() if email else None
    if complaint is None:
        raise Http404
    open_status_session(request.session, complaint)
    return _private(HttpResponseRedirect(reverse("klachtformulieren:status_page")))
