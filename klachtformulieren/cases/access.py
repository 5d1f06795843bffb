"""Who may see and handle which case. Every admin view, download and export asks here.

- An administrator (``administer_complaints``, or a superuser) sees every case.
- A coordinator (``coordinate_complaints``) sees every case of the municipalities they work
  for (``Municipality.staff``) and may take every step.
- A handler (``handle_assigned_complaints``) sees only the cases assigned to them and takes
  the steps of handling, not those of intake or routing.
- Anyone else (an editor, for example) sees no case at all.

Nobody handles a case about themselves (Awb 9:7): the person complained about is refused
every step, even as a coordinator.

The same holds for a municipality's other records (its kinds of complaint, organisation
units, mail texts, ombudsman requests and the municipality record itself): staff see and
change those of the municipalities they work for; a record without a municipality (a kind or
mail text the whole install shares) they see and use, and only an administrator changes it.
A case is assigned only to staff of its own municipality.
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


def works_for(user, municipality_id):
    """Is this user one of the staff of this municipality (or an administrator)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_administrator(user) or municipality_id in municipality_ids(user)


def sees_every_municipality(user):
    """An administrator, or staff of every municipality the install serves (one, usually)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_administrator(user):
        return True
    every = frozenset(Municipality.objects.values_list("pk", flat=True))
    return bool(every) and every <= municipality_ids(user)


def municipalities_of(user):
    """The municipalities whose records this user sees: all for an administrator."""
    return records_for(user, Municipality.objects.all())


def records_for(user, queryset):
    """The rows of a municipality's register (a queryset of a model with ``municipality``, or of
    Municipality itself) this user sees: their own municipalities', and those the install shares."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if is_administrator(user):
        return queryset
    if queryset.model is Municipality:
        return queryset.filter(pk__in=municipality_ids(user))
    field = queryset.model._meta.get_field("municipality")
    condition = Q(municipality__in=municipality_ids(user))
    if field.null:
        condition |= Q(municipality=None)
    return queryset.filter(condition)


def may_see_record(user, record):
    """The rule of ``records_for`` for one row already loaded."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_administrator(user):
        return True
    if isinstance(record, Municipality):
        return record.pk in municipality_ids(user)
    if record.municipality_id is None:
        return record._meta.get_field("municipality").null
    return record.municipality_id in municipality_ids(user)


def colleagues(user):
    """The accounts of this user's municipalities' staff and the accounts that work for no
    municipality yet (a new account); every account for an administrator. Whom a functional
    administrator manages, and whom a form offers as a manager, handler or colleague."""
    users = get_user_model()._default_manager.all()
    if is_administrator(user):
        return users
    theirs = users.filter(Q(complaint_municipalities__in=municipality_ids(user)) | Q(complaint_municipalities=None))
    return users.filter(pk__in=theirs.values("pk"))


def staff_choices(user):
    """The active ``colleagues``: what a form offers."""
    return colleagues(user).filter(is_active=True)


def may_change_record(user, record):
    """May this user change (or delete) this row of a register? A shared one only an administrator."""
    if is_administrator(user):
        return user.is_active
    municipality_id = record.pk if isinstance(record, Municipality) else record.municipality_id
    return municipality_id is not None and works_for(user, municipality_id)


def shares_a_municipality(user, other):
    """Does ``other`` work for one of this user's municipalities, or for none yet (a new account)?
    The rule for whose account a functional administrator manages."""
    if is_administrator(user):
        return user.is_active
    theirs = frozenset(other.complaint_municipalities.values_list("pk", flat=True))
    return not theirs or bool(theirs & municipality_ids(user))


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


def visibility_key(user):
    """A short name for the set of cases ``visible_complaints`` gives this user: users with the
    same key see the same cases (for caching a count of them)."""
    if is_administrator(user):
        return "all"
    parts = []
    if user.has_perm(COORDINATE):
        parts.append("m" + ".".join(map(str, sorted(municipality_ids(user)))))
    if is_handler(user):
        parts.append(f"h{user.pk}")
    return "-".join(parts) or "none"


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
    if complaint.destroyed_at is not None:
        return False  # its personal data were destroyed (retention): nothing more happens to it
    if coordinates(user, complaint):
        return True
    return step.role == HANDLER and is_handler(user) and complaint.handler_id == user.pk


def can_edit_details(user, complaint):
    return (
        user.is_active
        and complaint.destroyed_at is None
        and complaint.person_complained_about_user_id != user.pk
        and coordinates(user, complaint)
    )


def may_register(user):
    return is_administrator(user) or (user.is_active and user.has_perm(COORDINATE) and bool(municipality_ids(user)))


def municipalities_for_registration(user):
    """The municipalities this user may register a new complaint for (Awb 9:2)."""
    if is_administrator(user):
        return Municipality.objects.all()
    if user.is_active and user.has_perm(COORDINATE):
        return user.complaint_municipalities.all()
    return Municipality.objects.none()


def handler_candidates(municipality=None):
    """Active users who may handle cases: handlers, coordinators and administrators; with a
    municipality, only its staff (a case goes only to staff of its own municipality)."""
    codenames = [perm.split(".", 1)[1] for perm in (HANDLE, COORDINATE, ADMINISTER)]
    has_permission = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename__in=codenames)
        | Q(user_permissions__codename__in=codenames)
    )
    candidates = get_user_model().objects.filter(has_permission, is_active=True)
    if municipality is not None:
        candidates = candidates.filter(complaint_municipalities=municipality)
    return candidates.distinct().order_by("first_name", "username")


def handler_candidates_seen_by(user):
    """The handler candidates of the municipalities ``user`` sees: whom they may pick or filter
    on, and no name of another municipality's staff."""
    return handler_candidates().filter(complaint_municipalities__in=municipalities_of(user)).distinct()


def may_handle_for(user, municipality):
    """May ``user`` be assigned a case of this municipality?"""
    return handler_candidates(municipality).filter(pk=user.pk).exists()


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
