"""The mail texts' screens (Snippets > Mail texts): every kind starts from its shipped default.

- A new text starts from the default of the kind chosen (``?kind=`` on the create URL; the
  listing and the create screen list the kinds to start from, without JavaScript).
- An existing text can be put back to its default ("terug naar standaardtekst"), after a
  confirmation, with an entry in Wagtail's log.
- A text can be previewed with a real case the user may see, chosen by its reference: subject
  and body filled in with that case's values, as the mail would read. Nothing is sent; the read
  of the case's personal data is logged like any letter viewed.
- The listing says which kinds still use the shipped default, and which texts are the default
  unchanged.

The defaults are ``correspondence.texts.DEFAULT_TEMPLATES``, in the site's language (the mails'
language, whatever the editor's admin language: ``texts.default_text``); everything here is written over all
kinds of ``Notification.Kind``, so a new kind with a default gets these screens too.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.snippets.views import snippets

from klachtformulieren.admin import audit
from klachtformulieren.admin.scoping import RegisterSnippetViewSet
from klachtformulieren.cases import access
from klachtformulieren.cases.links import case_inspect_url
from klachtformulieren.correspondence.letters import letter_values
from klachtformulieren.correspondence.texts import default_text, render_body, render_text
from klachtformulieren.models import Complaint, MailTemplate, Notification

RESET = "klachtformulieren.mail_text_reset"
# action: (label in the filter, message in the list), for ``register_log_actions``
ACTIONS = {RESET: (_("Restore a mail text's default"), _("Mail text restored to its default"))}


def register_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


def is_default(text):
    """True when ``text`` is its kind's shipped default, unchanged."""
    return default_text(text.kind) == (text.subject, text.body)


def kinds_on_default(user):
    """The kinds (value, label) for which ``user`` sees no text of their own or of the install:
    their mails go out with the shipped default."""
    written = set(access.records_for(user, MailTemplate.objects.all()).values_list("kind", flat=True))
    return [(kind, label) for kind, label in Notification.Kind.choices if kind not in written]


class DefaultColumn(Column):
    """Whether a text is the shipped default unchanged, or the editors' own."""

    def get_value(self, instance):
        return gettext("Shipped default, unchanged") if is_default(instance) else gettext("Own text")


class MailTextIndexView(snippets.IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        add_url = self.get_add_url()
        context["kinds_on_default"] = [
            (label, f"{add_url}?{urlencode({'kind': kind})}") for kind, label in kinds_on_default(self.request.user)
        ]
        context["start_from_default"] = [
            (label, f"{add_url}?{urlencode({'kind': kind})}")
            for kind, label in Notification.Kind.choices
            if default_text(kind)
        ]
        return context


class MailTextCreateView(snippets.CreateView):
    """``?kind=`` fills in that kind and its shipped subject and body, to edit from there."""

    def chosen_kind(self):
        kind = self.request.GET.get("kind", "")
        return kind if default_text(kind) else ""

    def get_initial_form_instance(self):
        kind = self.chosen_kind()
        if not kind:
            return super().get_initial_form_instance()
        subject, body = default_text(kind)
        return MailTemplate(kind=kind, subject=subject, body=body)

    @cached_property
    def header_more_buttons(self):
        add_url = self.get_add_url()
        return [
            *super().header_more_buttons,
            *(
                Button(
                    gettext("Start from the default: %(kind)s") % {"kind": label},
                    url=f"{add_url}?{urlencode({'kind': kind})}",
                    icon_name="doc-empty",
                    priority=100 + index,
                )
                for index, (kind, label) in enumerate(Notification.Kind.choices)
                if default_text(kind)
            ),
        ]


class MailTextEditView(snippets.EditView):
    preview_with_case_url_name = None
    reset_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                gettext("Preview with a case"),
                url=reverse(self.preview_with_case_url_name, args=[self.object.pk]),
                icon_name="view",
                priority=5,
            )
        )
        if default_text(self.object.kind) and not is_default(self.object):
            buttons.append(
                Button(
                    gettext("Restore the default text"),
                    url=reverse(self.reset_url_name, args=[self.object.pk]),
                    icon_name="undo",
                    priority=6,
                )
            )
        return buttons


class PreviewForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference of a case"),
        max_length=40,
        help_text=_("A case you may see. Its values fill in the placeholders; nothing is sent."),
    )


class MailTextViewSet(RegisterSnippetViewSet):
    """Snippets > Mail texts: scoped per municipality (``RegisterSnippetViewSet``), starting
    from the shipped defaults."""

    model = MailTemplate
    index_view_class = MailTextIndexView
    add_view_class = MailTextCreateView
    edit_view_class = MailTextEditView
    list_display = ["__str__", "municipality", DefaultColumn("default", label=_("Text"))]

    @property
    def index_template_name(self):
        return "klachtformulieren/admin/mail_text_index.html"

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            preview_with_case_url_name=self.get_url_name("preview_with_case"),
            reset_url_name=self.get_url_name("reset"),
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("reset/<int:pk>/", self.reset_view, name="reset"),
            path("preview-with-case/<int:pk>/", self.preview_with_case_view, name="preview_with_case"),
        ]

    def _text_for(self, request, pk, action):
        """The text, if ``request.user`` may see it (else 404) and do ``action`` to it (else 403)."""
        text = get_object_or_404(access.records_for(request.user, MailTemplate.objects.all()), pk=pk)
        if not self.permission_policy.user_has_permission_for_instance(request.user, action, text):
            raise PermissionDenied
        return text

    def reset_view(self, request, pk):
        """Put a text back to its kind's shipped default, after the user confirmed it."""
        text = self._text_for(request, pk, "change")
        default = default_text(text.kind)
        if default is None:
            raise Http404
        edit_url = reverse(self.get_url_name("edit"), args=[text.pk])
        if request.method == "POST":
            text.subject, text.body = default
            text.save(update_fields=["subject", "body"])
            log(instance=text, action=RESET, user=audit.unwrapped(request.user))
            messages.success(request, gettext("“%(text)s” is the default text again.") % {"text": text})
            return redirect(edit_url)
        return TemplateResponse(
            request,
            "klachtformulieren/admin/mail_text_reset.html",
            {"text": text, "subject": default[0], "body": default[1], "edit_url": edit_url},
        )

    def preview_with_case_view(self, request, pk):
        """The text filled in with the values of a case the user may see, chosen by its reference."""
        text = self._text_for(request, pk, "view")
        form = PreviewForm(request.GET or None)
        preview = None
        if form.is_valid():
            reference = form.cleaned_data["reference"].strip()
            complaint = Complaint.objects.select_related("municipality").filter(reference__iexact=reference).first()
            if complaint is None or not access.can_view(request.user, complaint):
                raise Http404
            audit.record(request, complaint, audit.VIEW_LETTER, mail_text=text.pk)
            values = {
                **letter_values(complaint, request.user, addressee=complaint.name),
                "status_link": gettext("[the status link, made when the mail is sent]"),
                "admin_link": request.build_absolute_uri(case_inspect_url(complaint.pk)),
            }
            preview = {
                "complaint": complaint,
                "subject": render_text(text.subject, values),
                "body": render_body(text.body, values),
            }
        return TemplateResponse(
            request,
            "klachtformulieren/admin/mail_text_preview.html",
            {
                "text": text,
                "form": form,
                "preview": preview,
                "edit_url": reverse(self.get_url_name("edit"), args=[text.pk]),
            },
        )
