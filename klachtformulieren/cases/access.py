"""Who may see and handle which case. Every admin view, download and export asks here.

- An administrator (``administer_complaints``, or a superuser) sees every case.
- A coordinator (``coordinate_complaints``) sees every case of the municipalities they work
  for (``Municipality.staff``) and may take every step.
- A handler (``handle_assigned_complaints``) sees only the cases assigned to them and takes
  the steps of handling, not those of intake or routing.
- Anyone else (an editor, for example) sees no case at all.

Nobody handles a case about themselves (Awb 9:7): the person complained about is refused
every step, even as a coordinator.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from klachtformulieren.models import Complaint, Municipality

ADMINISTER = "klachtformulieren.administer_complaints"
COORDINATE = "klachtformulieren.coordinate_complaints"
HANDLE = "klachtformulieren.handle_assigned_complaints"

# Who may take a step (``Step.role`` in the step registry): the coordinators of the case's
# municipality take every step; the handler the case is assigned to takes the steps of
# handling, not those of intake, routing, closing and reopening (DOMAIN.md, "The process").
COORDINATOR = "coordinator"
HANDLER = "handler"


def is_administrator(user):
    return user.is_active and (user.is_superuser or user.has_perm(ADMINISTER))


def is_coordinator(user):
    return user.is_active and (is_administrator(user) or user.has_perm(COORDINATE))


def is_handler(user):
    return user.is_active and user.has_perm(HANDLE)


def has_case_access(user):
    """May this user open the case screens at all?"""
    return user.is_authenticated and (is_coordinator(user) or is_handler(user))


def municipality_ids(user):
    """The municipalities a coordinator works for; read once per request (cached on the user)."""
    if not hasattr(user, "_complaint_municipality_ids"):
        user._complaint_municipality_ids = frozenset(user.complaint_municipalities.values_list("pk", flat=True))
    return user._complaint_municipality_ids


def visible_complaints(user, queryset=None):
    """The cases this user may see."""
    queryset = Complaint.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if is_administrator(user):
        return queryset
    condition = Q()
    if user.has_perm(COORDINATE):
        condition |= Q(municipality__in=municipality_ids(user))
    if is_handler(user):
        condition |= Q(handler=user)
    if not condition:
        return queryset.none()
    return queryset.filter(condition)


def can_view(user, complaint):
    """The same rule as ``visible_complaints``, for one case already loaded (no query per case)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_administrator(user):
        return True
    if user.has_perm(COORDINATE) and complaint.municipality_id in municipality_ids(user):
        return True
    return is_handler(user) and complaint.handler_id == user.pk


def coordinates(user, complaint):
    """Does this user coordinate the case's municipality?"""
    if is_administrator(user):
        return True
    return user.has_perm(COORDINATE) and complaint.municipality_id in municipality_ids(user)


def can_take_step(user, complaint, step):
    """May this user take ``step`` (a ``steps.Step``) on this case?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if complaint.person_complained_about_user_id == user.pk:
        return False
    if coordinates(user, complaint):
        return True
    return step.role == HANDLER and is_handler(user) and complaint.handler_id == user.pk


def can_edit_details(user, complaint):
    return user.is_active and complaint.person_complained_about_user_id != user.pk and coordinates(user, complaint)


def may_register(user):
    return is_administrator(user) or (user.is_active and user.has_perm(COORDINATE) and bool(municipality_ids(user)))


def municipalities_for_registration(user):
    """The municipalities this user may register a new complaint for (Awb 9:2)."""
    if is_administrator(user):
        return Municipality.objects.all()
    if user.is_active and user.has_perm(COORDINATE):
        return user.complaint_municipalities.all()
    return Municipality.objects.none()


def handler_candidates():
    """Active users who may handle cases: handlers, coordinators and administrators."""
    codenames = [perm.split(".", 1)[1] for perm in (HANDLE, COORDINATE, ADMINISTER)]
    has_permission = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename__in=codenames)
        | Q(user_permissions__codename__in=codenames)
    )
    return get_user_model().objects.filter(has_permission, is_active=True).distinct().order_by("first_name", "username")


def suggest_handler(complaint):
    """Awb 9:7 as municipalities apply it: the first manager above the person complained
    about who is not that person; walking up the organisation tree from the case's unit."""
    unit = complaint.unit
    while unit is not None:
        manager = unit.manager
        if manager is not None and manager.pk != complaint.person_complained_about_user_id and manager.is_active:
            return manager
        unit = unit.parent
    return None
