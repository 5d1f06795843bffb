"""An access request (AVG art. 15) in the admin: find a person's cases, download them as one ZIP.

Coordinators only, within the cases they may see (``access.visible_complaints``: their own
municipalities). Every download is in the audit log, once per case it holds.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from klachtformulieren.admin import audit
from klachtformulieren.cases import access
from klachtformulieren.reporting import subject_access


class AccessRequestForm(forms.Form):
    email = forms.EmailField(label=_("Email"), required=False)
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)

    def clean(self):
        values = super().clean()
        if not any(str(values.get(field) or "").strip() for field in ("email", "name", "phone")):
            raise forms.ValidationError(_("Fill in the e-mail address, the name or the phone number of the person."))
        return values


def access_request_view(request):
    user = request.user
    if not access.is_coordinator(user):
        raise PermissionDenied
    form = AccessRequestForm(request.GET or None)
    cases = None
    if form.is_valid():
        cases = list(
            subject_access.find_cases(access.visible_complaints(user), **form.cleaned_data).order_by("received_at")
        )
        if request.GET.get("download") and cases:
            for complaint in cases:
                audit.record(request, complaint, audit.EXPORT_ACCESS_REQUEST, cases=len(cases))
            response = HttpResponse(subject_access.export_zip(cases), content_type="application/zip")
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="inzageverzoek-{stamp}.zip"'
            return response
    return TemplateResponse(
        request,
        "klachtformulieren/admin/access_request.html",
        {"form": form, "cases": cases, "query": request.GET.urlencode()},
    )


class AccessRequestMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_coordinator(request.user)
