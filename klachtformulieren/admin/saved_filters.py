"""Saved filters of the case list: a user names the selection they are looking at and gets it
back in one click. A saved filter is only a query string: the cases it finds are always
those the user may see at that moment."""

from urllib.parse import parse_qsl, urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from klachtformulieren.cases import access
from klachtformulieren.cases.links import case_index_url
from klachtformulieren.models import SavedCaseFilter

# Not part of a selection: the page, an export, Wagtail's fragment switch.
NOT_KEPT = {"p", "export", "_w_filter_fragment"}


def clean_query(query):
    """The query string without what is not part of the selection."""
    return urlencode([(key, value) for key, value in parse_qsl(query) if key not in NOT_KEPT and value])


def filters_of(user):
    return [
        {"filter": saved, "url": f"{case_index_url()}?{saved.query}"}
        for saved in SavedCaseFilter.objects.filter(user=user)
    ]


class SaveFilterForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of this selection"),
        max_length=80,
        error_messages={"required": gettext_lazy("Give the selection a name.")},
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)

    def clean_query(self):
        query = clean_query(self.cleaned_data["query"])
        if not query:
            raise forms.ValidationError(_("Choose one or more filters or a search first; then save them."))
        return query


@require_POST
def save_filter(request):
    if not access.has_case_access(request.user):
        raise PermissionDenied
    form = SaveFilterForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{case_index_url()}?{clean_query(request.POST.get('query', ''))}")
    saved, created = SavedCaseFilter.objects.update_or_create(
        user=request.user, name=form.cleaned_data["name"], defaults={"query": form.cleaned_data["query"]}
    )
    text = _("Selection “%(name)s” saved.") if created else _("Selection “%(name)s” updated.")
    messages.success(request, text % {"name": saved.name})
    return redirect(f"{case_index_url()}?{saved.query}")


@require_POST
def delete_filter(request, pk):
    saved = get_object_or_404(SavedCaseFilter, pk=pk, user=request.user)  # only one's own
    saved.delete()
    messages.success(request, _("Selection “%(name)s” removed.") % {"name": saved.name})
    return redirect(case_index_url())
