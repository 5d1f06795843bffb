"""The satisfaction survey's public page: thin, over correspondence.survey."""

from django import forms
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from klachtformulieren.correspondence import survey as surveys
from klachtformulieren.intake import spam
from klachtformulieren.intake.views import _private, _private_form


class SurveyForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with how we handled your complaint?"),
        choices=[("ja", _("Yes")), ("nee", _("No"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    could_be_better = forms.CharField(
        label=_("What could we do better?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    look_again = forms.BooleanField(label=_("I want the municipality to look at my complaint again"), required=False)


@never_cache
def survey(request, token):
    if spam.status_lookup_rate_limited(request):
        return TemplateResponse(request, "klachtformulieren/status_rate_limited.html", status=429)
    found, state = surveys.survey_for_token(token)
    if state != surveys.VALID:
        template = (
            "klachtformulieren/survey_answered.html"
            if state == surveys.ANSWERED
            else "klachtformulieren/survey_expired.html"
        )
        return _private(
            TemplateResponse(
                request, template, {"days": surveys.SURVEY_DAYS}, status=200 if state == surveys.ANSWERED else 410
            )
        )
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        surveys.answer(
            found,
            satisfied=form.cleaned_data["satisfied"],
            could_be_better=form.cleaned_data["could_be_better"],
            look_again=form.cleaned_data["look_again"],
        )
        return _private(
            TemplateResponse(request, "klachtformulieren/survey_thanks.html", {"look_again": found.reopen_requested})
        )
    return _private_form(
        TemplateResponse(request, "klachtformulieren/survey.html", {"form": form, "complaint": found.complaint})
    )
