"""Who read what: case files, attachments, letters, searches and exports in Wagtail's own audit
log (Reports > Site history, with its filters by action, user and date), with the user, the
time, the object and the client's address. Log entries cannot be edited or deleted in the admin.

The actions are registered through ``register_log_actions`` in wagtail_hooks.py.
"""

from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from klachtformulieren.intake.spam import client_key

VIEW_CASE = "klachtformulieren.view_case"
DOWNLOAD_ATTACHMENT = "klachtformulieren.download_attachment"
VIEW_LETTER = "klachtformulieren.view_letter"
SEARCH_CASES = "klachtformulieren.search_cases"
VIEW_REPORT = "klachtformulieren.view_report"
EXPORT_REPORT = "klachtformulieren.export_report"
EXPORT_CASES = "klachtformulieren.export_cases"
EXPORT_ACCESS_REQUEST = "klachtformulieren.export_access_request"

# action: (label in the filter, message in the list)
ACTIONS = {
    VIEW_CASE: (_("Open a case file"), _("Case file opened")),
    DOWNLOAD_ATTACHMENT: (_("Download an attachment"), _("Attachment downloaded")),
    VIEW_LETTER: (_("View or print a letter"), _("Letter viewed")),
    SEARCH_CASES: (_("Search the cases"), _("Cases searched")),
    VIEW_REPORT: (_("View the annual report"), _("Annual report viewed")),
    EXPORT_REPORT: (_("Export the annual report"), _("Annual report exported")),
    EXPORT_CASES: (_("Export the case list"), _("Case list exported")),
    EXPORT_ACCESS_REQUEST: (_("Download an access request"), _("Access request downloaded")),
}


def register_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


def unwrapped(instance):
    """``request.user`` is a lazy object (inside another, with django-otp): Wagtail's log needs the model."""
    while isinstance(instance, LazyObject):
        if instance._wrapped is empty:
            instance._setup()
        instance = instance._wrapped
    return instance


def record(request, instance, action, **details):
    """One entry for ``instance`` (a case, a municipality, a user): who, when, from where, and ``details``."""
    return log(
        unwrapped(instance),
        action,
        user=unwrapped(request.user),
        data={"address": client_key("audit", request), **details},
    )
