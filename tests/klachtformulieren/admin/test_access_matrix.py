"""The access matrix: every admin URL of the case screens, for every role and an anonymous visitor.

One case of municipality A, assigned to handler 1, in handling, with an attachment and a
letter. Each cell says what the role gets: the page (200), a redirect back to the case
because the step does not fit the case's state (302, only for who may take it), refused
(403; Wagtail shows it as a redirect to the dashboard with a message), not found (404: the
case is not theirs to know about) or the login page (anonymous).
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from klachtformulieren.cases import roles
from klachtformulieren.cases.steps import STEPS
from klachtformulieren.models import ComplaintAttachment, Notification, Status
from tests.factories import ComplaintFactory, MunicipalityFactory, UserFactory, role_user

pytestmark = pytest.mark.django_db

OK, BACK, DENIED, NOT_FOUND, LOGIN = 200, 302, 403, 404, "login"

ROLES = [
    "anonymous",
    "editor",
    "handler",
    "other_handler",
    "coordinator",
    "other_coordinator",
    "administrator",
    "other_administrator",
    "superuser",
]
COORDINATING = {"coordinator": OK, "administrator": OK, "superuser": OK}
HIDDEN = {
    "editor": NOT_FOUND,
    "other_handler": NOT_FOUND,
    "other_coordinator": NOT_FOUND,
    "other_administrator": NOT_FOUND,
}


def row(default_hidden=NOT_FOUND, **cells):
    """Anonymous always goes to the login page; the rest as given."""
    return {"anonymous": LOGIN, **dict.fromkeys(HIDDEN, default_hidden), **cells}


# A step the handler may take, that fits a case in handling.
HANDLER_STEP = row(handler=OK, **COORDINATING)
# A coordinator's step that fits a case in handling.
COORDINATOR_STEP = row(handler=DENIED, **COORDINATING)
# A coordinator's step that does not fit a case in handling: sent back to the case with a message.
COORDINATOR_STEP_NOT_NOW = row(handler=DENIED, coordinator=BACK, administrator=BACK, superuser=BACK)

MATRIX = {
    "listing": row(
        editor=DENIED, handler=OK, other_handler=OK, other_coordinator=OK, other_administrator=OK, **COORDINATING
    ),
    "register": row(
        editor=DENIED,
        handler=DENIED,
        other_handler=DENIED,
        other_coordinator=OK,
        other_administrator=OK,
        **COORDINATING,
    ),
    "inspect": row(handler=OK, **COORDINATING),
    "edit": row(handler=DENIED, **COORDINATING),
    "delete": row(handler=NOT_FOUND, coordinator=NOT_FOUND, administrator=NOT_FOUND, superuser=NOT_FOUND),
    "history": row(handler=NOT_FOUND, coordinator=NOT_FOUND, administrator=NOT_FOUND, superuser=NOT_FOUND),
    "attachment": row(handler=OK, **COORDINATING),
    "letter": row(handler=OK, **COORDINATING),
    "step:record_intake": COORDINATOR_STEP_NOT_NOW,
    "step:not_handled": COORDINATOR_STEP_NOT_NOW,
    "step:refer": COORDINATOR_STEP_NOT_NOW,
    "step:assign_handler": COORDINATOR_STEP,
    "step:inform_person_complained_about": HANDLER_STEP,
    "step:plan_hearing": HANDLER_STEP,
    "step:waive_hearing": HANDLER_STEP,
    "step:record_hearing_report": HANDLER_STEP,
    "step:postpone": HANDLER_STEP,
    "step:log_contact": HANDLER_STEP,
    "step:resolve_informally": HANDLER_STEP,
    "step:decide": HANDLER_STEP,
    "step:withdraw": COORDINATOR_STEP,
    "step:close": COORDINATOR_STEP_NOT_NOW,
    "step:reopen": COORDINATOR_STEP_NOT_NOW,
    "step:record_lessons": HANDLER_STEP,
    "step:classify": COORDINATOR_STEP,
    "step:ask_complainant": HANDLER_STEP,
    # Only once the case waits for the complainant; until then sent back with a message.
    "step:complainant_answered": row(handler=BACK, coordinator=BACK, administrator=BACK, superuser=BACK),
    # Only on a closed case whose complainant asked to look again.
    "step:accept_reopen_request": COORDINATOR_STEP_NOT_NOW,
    "step:decline_reopen_request": COORDINATOR_STEP_NOT_NOW,
    "print": row(handler=OK, **COORDINATING),
    "step:no_such_step": row(handler=NOT_FOUND, coordinator=NOT_FOUND, administrator=NOT_FOUND, superuser=NOT_FOUND),
}


def test_the_matrix_covers_every_step():
    assert {key.split(":", 1)[1] for key in MATRIX if key.startswith("step:")} >= set(STEPS)


@pytest.fixture
def world(db):
    municipality = MunicipalityFactory()
    other_municipality = MunicipalityFactory()
    handler = role_user(roles.HANDLER, municipalities=[municipality], username="handler")
    users = {
        "editor": role_user(roles.EDITOR, username="editor"),
        "handler": handler,
        "other_handler": role_user(roles.HANDLER, municipalities=[other_municipality], username="other_handler"),
        "coordinator": role_user(roles.COORDINATOR, municipalities=[municipality], username="coordinator"),
        "other_coordinator": role_user(
            roles.COORDINATOR, municipalities=[other_municipality], username="other_coordinator"
        ),
        "administrator": role_user(roles.ADMINISTRATOR, municipalities=[municipality], username="administrator"),
        "other_administrator": role_user(
            roles.ADMINISTRATOR, municipalities=[other_municipality], username="other_administrator"
        ),
        "superuser": UserFactory(username="superuser", is_superuser=True, is_staff=True),
    }
    complaint = ComplaintFactory(
        municipality=municipality,
        handler=handler,
        status=Status.HANDLING,
        received_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=3),
        person_complained_about="Baliemedewerker",
    )
    attachment = ComplaintAttachment(
        complaint=complaint, name="bewijs.pdf", content_type="application/pdf", size=8, sha256="0" * 64
    )
    attachment.file.save("bewijs.pdf", ContentFile(b"%PDF-1.4"), save=True)
    letter = Notification.objects.create(
        complaint=complaint, kind=Notification.Kind.ACKNOWLEDGEMENT, recipient="k@example.org", subject="S", body="B"
    )
    urls = {
        "listing": reverse("klachtformulieren_cases:index"),
        "register": reverse("klachtformulieren_cases:add"),
        "inspect": reverse("klachtformulieren_cases:inspect", args=[complaint.pk]),
        "edit": reverse("klachtformulieren_cases:edit", args=[complaint.pk]),
        "delete": reverse("klachtformulieren_cases:delete", args=[complaint.pk]),
        "history": f"/admin/klachten/zaken/history/{complaint.pk}/",
        "attachment": reverse("klachtformulieren_attachment", args=[attachment.pk]),
        "letter": reverse("klachtformulieren_letter", args=[letter.pk]),
        "print": f"{reverse('klachtformulieren_cases:print')}?id={complaint.pk}",
    }
    for key in MATRIX:
        if key.startswith("step:"):
            urls[key] = reverse("klachtformulieren_step", args=[complaint.pk, key.split(":", 1)[1]])
    return {"users": users, "urls": urls, "complaint": complaint}


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    outcomes = {}
    for name, url in world["urls"].items():
        response = client.get(url)
        if response.status_code == 302 and "/login/" in response["Location"]:
            outcomes[name] = LOGIN
        elif response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"):
            outcomes[name] = DENIED  # Wagtail answers PermissionDenied with the dashboard and a message
        else:
            outcomes[name] = response.status_code
    expected = {name: MATRIX[name][role] for name in world["urls"]}
    assert outcomes == expected


@pytest.mark.parametrize("role", ["editor", "other_handler", "other_coordinator", "other_administrator"])
def test_posting_a_step_on_a_case_one_may_not_see_changes_nothing(client, world, role):
    client.force_login(world["users"][role])
    complaint = world["complaint"]

    response = client.post(
        reverse("klachtformulieren_step", args=[complaint.pk, "decide"]),
        {"outcome": "unfounded", "findings": "x", "reasons": "y"},
    )

    complaint.refresh_from_db()
    assert response.status_code == NOT_FOUND
    assert complaint.status == Status.HANDLING


def test_a_handler_guessing_ids_finds_only_their_own_cases(client, world):
    own = world["complaint"]
    others = ComplaintFactory.create_batch(5, municipality=own.municipality, handler=world["users"]["other_handler"])
    client.force_login(world["users"]["handler"])

    listing = client.get(reverse("klachtformulieren_cases:index")).content.decode()

    assert own.reference in listing
    for case in others:
        assert case.reference not in listing
        inspect = reverse("klachtformulieren_cases:inspect", args=[case.pk])
        assert client.get(inspect).status_code == NOT_FOUND


def test_the_person_complained_about_may_take_no_step_even_as_coordinator(client, world):
    complaint = world["complaint"]
    coordinator = world["users"]["coordinator"]
    complaint.person_complained_about_user = coordinator
    complaint.save()
    client.force_login(coordinator)

    response = client.get(reverse("klachtformulieren_step", args=[complaint.pk, "log_contact"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
