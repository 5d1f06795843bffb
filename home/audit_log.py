"""Reports > Site history, Wagtail's audit log, for whoever may read all of it.

The log spans every municipality of the install: its entries name cases, staff and sign-ins
of each. Wagtail lets anyone with a permission on a content type read that type's entries,
so a coordinator of one municipality would read another's. Here only staff who see every
municipality (an administrator, a superuser, or in a one-municipality install its own staff)
open it; everyone else reads a case's history on the case file, which is scoped.
"""

from django.core.exceptions import PermissionDenied
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from klachtformulieren.cases import access


def may_read_site_history(user):
    return user.is_active and (user.is_superuser or access.sees_every_municipality(user))


class SiteHistoryView(LogEntriesView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_read_site_history(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
