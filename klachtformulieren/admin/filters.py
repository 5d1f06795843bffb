"""The case listing's filters: deadline, year received and handler."""

from django.contrib.admin import SimpleListFilter
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klachtformulieren.cases import access
from klachtformulieren.models import (
    Complaint,
)
from klachtformulieren.reporting.annual import year_bounds


class DeadlineFilter(SimpleListFilter):
    title = _("deadline")
    parameter_name = "termijn"

    def lookups(self, request, model_admin):
        return [
            ("verlopen", _("Overdue")),
            ("binnen7", _("Due within 7 days")),
            ("eerstecontact", _("First contact overdue")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "verlopen":
            return queryset.overdue(today)
        if self.value() == "binnen7":
            return queryset.due_soon(today)
        if self.value() == "eerstecontact":
            return queryset.first_contact_overdue(today)
        return queryset


class YearFilter(SimpleListFilter):
    title = _("year received")
    parameter_name = "jaar"

    def lookups(self, request, model_admin):
        # Two index lookups on (year, number), whatever the number of cases.
        bounds = Complaint.objects.aggregate(first=Min("year"), last=Max("year"))
        if bounds["first"] is None:
            return []
        return [(str(year), str(year)) for year in range(bounds["last"], bounds["first"] - 1, -1)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            # The local year of receipt as a range of received_at: the listing's index serves it.
            start, end = year_bounds(int(self.value()))
            return queryset.filter(received_at__gte=start, received_at__lt=end)
        return queryset


class HandlerFilter(SimpleListFilter):
    title = _("handler")
    parameter_name = "behandelaar"

    def lookups(self, request, model_admin):
        choices = [("geen", _("Not assigned"))]
        # Only the staff of the municipalities this user sees: no names of another's staff.
        candidates = access.handler_candidates().filter(
            complaint_municipalities__in=access.municipalities_of(request.user)
        )
        if not access.is_coordinator(request.user):
            candidates = candidates.filter(pk=request.user.pk)
        choices += [(str(user.pk), user.get_full_name() or user.get_username()) for user in candidates.distinct()]
        return choices

    def queryset(self, request, queryset):
        if self.value() == "geen":
            return queryset.filter(handler=None)
        if self.value() and self.value().isdigit():
            return queryset.filter(handler_id=int(self.value()))
        return queryset
