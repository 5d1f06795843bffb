"""The case list's filters (Wagtail's filter drawer, a django-filter ``FilterSet``) and the
work queues: one-click selections with their counts.

Every choice offered is scoped to the user (``cases.access``): only their municipalities' kinds,
units and staff. The queues are declared once, in ``QUEUES``; the list, its counts and the
saved filters all read them.
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.utils import get_user_display_name

from klachtformulieren.cases import access, references
from klachtformulieren.models import Complaint, ComplaintKind, Municipality, OrganisationUnit
from klachtformulieren.models.complaint import Channel, ComplaintQuerySet, Status
from klachtformulieren.reporting.annual import year_bounds


@dataclass(frozen=True)
class Queue:
    """A work queue: a named selection of the cases a user sees, one click from the list. Most
    are parts of the open cases; "letter not sent" is any case whose step letter is a draft."""

    slug: str
    title: str
    condition: object  # (user, today) -> Q
    open_only: bool = True

    def matches(self, user, today):
        condition = self.condition(user, today)
        return ComplaintQuerySet.OPEN & condition if self.open_only else condition

    def select(self, queryset, user, today):
        return queryset.filter(self.matches(user, today))


QUEUES = (
    Queue("mijn-zaken", _("My cases"), lambda user, today: Q(handler=user)),
    Queue("nieuw", _("Newly received"), lambda user, today: Q(status=Status.RECEIVED)),
    Queue("deze-week", _("Term ends this week"), lambda user, today: ComplaintQuerySet.due_soon_condition(today)),
    Queue("verlopen", _("Term passed"), lambda user, today: ComplaintQuerySet.overdue_condition(today)),
    Queue(
        "wacht-op-klager", _("Waiting for the complainant"), lambda user, today: ComplaintQuerySet.AWAITING_COMPLAINANT
    ),
    # A decided case whose letter is still a draft has not told the complainant (Awb 9:12).
    Queue(
        "brief-niet-verstuurd",
        _("Letter not sent yet"),
        lambda user, today: ComplaintQuerySet.LETTER_NOT_SENT,
        open_only=False,
    ),
)
QUEUE_PARAMETER = "wachtrij"


def queue_counts(user, today=None):
    """(queue, number of cases) for each work queue, over the cases ``user`` sees: one query,
    over the open cases and those with a letter not sent (every queue is a part of them)."""
    today = today or timezone.localdate()
    in_a_queue = ComplaintQuerySet.OPEN | ComplaintQuerySet.LETTER_NOT_SENT
    counts = (
        access.visible_complaints(user)
        .filter(in_a_queue)
        .aggregate(**{queue.slug: Count("pk", filter=queue.matches(user, today)) for queue in QUEUES})
    )
    return [(queue, counts[queue.slug]) for queue in QUEUES]


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    """Case ids, comma separated; anything else is not a valid selection (and selects nothing)."""


class CaseFilterSet(WagtailFilterSet):
    wachtrij = django_filters.ChoiceFilter(
        label=_("Work queue"),
        choices=[(queue.slug, queue.title) for queue in QUEUES],
        method="filter_queue",
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    termijn = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=[
            ("verlopen", _("Overdue")),
            ("binnen7", _("Due within 7 days")),
            ("eerstecontact", _("First contact overdue")),
        ],
        method="filter_deadline",
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    soort = django_filters.ModelChoiceFilter(
        label=_("Kind of complaint"), field_name="kind", queryset=ComplaintKind.objects.none()
    )
    afdeling = django_filters.ModelChoiceFilter(
        label=_("Organisation unit"), field_name="unit", queryset=OrganisationUnit.objects.none()
    )
    kanaal = django_filters.ChoiceFilter(
        label=_("Received through"), field_name="channel", choices=Channel.choices, empty_label=_("All")
    )
    behandelaar = django_filters.ChoiceFilter(
        label=_("Handler"), choices=[], method="filter_handler", empty_label=_("All")
    )
    jaar = django_filters.ChoiceFilter(label=_("Year received"), choices=[], method="filter_year", empty_label=_("All"))
    gemeente = django_filters.ModelChoiceFilter(
        label=_("Municipality"), field_name="municipality", queryset=Municipality.objects.none()
    )
    # The selection of a bulk action ("export these", "print these"): not in the drawer.
    zaak = NumberInFilter(field_name="pk", widget=forms.HiddenInput)

    class Meta:
        model = Complaint
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        self.filters["soort"].queryset = access.records_for(user, ComplaintKind.objects.all())
        self.filters["afdeling"].queryset = access.records_for(user, OrganisationUnit.objects.all())
        municipalities = access.municipalities_of(user)
        if len(municipalities[:2]) > 1:
            self.filters["gemeente"].queryset = municipalities
        else:
            del self.filters["gemeente"]  # one municipality: nothing to choose
        self.filters["behandelaar"].extra["choices"] = self.handler_choices(user)
        self.filters["jaar"].extra["choices"] = self.year_choices()

    @staticmethod
    def handler_choices(user):
        choices = [("geen", _("Not assigned"))]
        # Only the staff of the municipalities this user sees: no names of another's staff.
        candidates = access.handler_candidates_seen_by(user)
        if not access.is_coordinator(user):
            candidates = candidates.filter(pk=user.pk)
        return choices + [(str(candidate.pk), get_user_display_name(candidate)) for candidate in candidates]

    @staticmethod
    def year_choices():
        # Two index lookups on (year, number), whatever the number of cases.
        bounds = Complaint.objects.aggregate(first=Min("year"), last=Max("year"))
        if bounds["first"] is None:
            return []
        return [(str(year), str(year)) for year in range(bounds["last"], bounds["first"] - 1, -1)]

    def filter_queue(self, queryset, name, value):
        queue = next((queue for queue in QUEUES if queue.slug == value), None)
        return queue.select(queryset, self.request.user, timezone.localdate()) if queue else queryset

    def filter_deadline(self, queryset, name, value):
        today = timezone.localdate()
        selections = {
            "verlopen": queryset.overdue,
            "binnen7": queryset.due_soon,
            "eerstecontact": queryset.first_contact_overdue,
        }
        return selections[value](today) if value in selections else queryset

    def filter_handler(self, queryset, name, value):
        if value == "geen":
            return queryset.filter(handler=None)
        return queryset.filter(handler_id=int(value))

    def filter_year(self, queryset, name, value):
        # The local year of receipt as a range of received_at: the list's index serves it.
        start, end = year_bounds(int(value))
        return queryset.filter(received_at__gte=start, received_at__lt=end)


def search_condition(term):
    """The cases a search term finds: by reference exactly (its unique index), else by name,
    organisation, email address, phone number or description (trigram indexes on PostgreSQL)."""
    term = term.strip()
    if references.parse_reference(term):
        return Q(reference=term)
    digits = "".join(character for character in term if character.isdigit())
    condition = (
        Q(name__icontains=term)
        | Q(organisation_name__icontains=term)
        | Q(email__icontains=term)
        | Q(description__icontains=term)
    )
    if len(digits) >= 6 and len(digits) >= len(term.replace(" ", "")) - 3:
        # A phone number, typed with or without spaces and dashes, as 06... or +316...: matched
        # on its last nine digits (the number without the 0 or the country code).
        condition |= Q(phone_digits__contains=digits[-9:])
    return condition
