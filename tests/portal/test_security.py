"""Staff sign-in: lockout after repeated failures, sessions that end, passwords that hold, headers."""

import logging
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from klachtformulieren.cases import roles
from portal.log_filters import MaskPersonalDataFilter
from portal.security import LAST_SEEN_SESSION_KEY
from tests.factories import UserFactory, role_user

pytestmark = pytest.mark.django_db

PASSWORD = "Lindenhaven-fietspad-7"
LOGIN = "/admin/login/"


@pytest.fixture
def staff():
    user = UserFactory(username="coordinator", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_five_wrong_passwords_block_the_account_and_then_the_right_one_is_refused_too(client, staff):
    answers = [sign_in(client, "coordinator", "fout-wachtwoord-123").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth failure blocks

    response = sign_in(client, "coordinator", PASSWORD)

    assert response.status_code == 429
    assert "te vaak mislukt" in response.content.decode()
    assert "15 minuten" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_block_says_nothing_about_whether_the_account_exists(client, staff):
    for username in ("coordinator", "bestaat-niet"):
        for _ in range(5):
            sign_in(client, username, "fout-wachtwoord-123")
    known, unknown = sign_in(client, "coordinator", "x"), sign_in(client, "bestaat-niet", "x")

    assert known.status_code == unknown.status_code == 429
    assert known.content.replace(b"coordinator", b"") == unknown.content.replace(b"bestaat-niet", b"")


def test_a_right_password_after_a_few_failures_signs_in_and_clears_the_count(client, staff):
    for _ in range(4):
        sign_in(client, "coordinator", "fout-wachtwoord-123")

    assert sign_in(client, "coordinator", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(failures_since_start__gt=0).exists()


def test_an_administrator_lifts_a_block_in_the_admin(client, staff):
    for _ in range(5):
        sign_in(client, "coordinator", "fout-wachtwoord-123")
    administrator = UserFactory(username="beheer", is_staff=True, is_superuser=True)
    admin_client = type(client)()
    admin_client.force_login(administrator)

    listing = admin_client.get(reverse("portal_lockouts"))
    assert listing.status_code == 200 and "coordinator" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="coordinator")
    assert admin_client.post(reverse("portal_unlock", args=[attempt.pk])).status_code == 302

    assert sign_in(client, "coordinator", PASSWORD).status_code == 302


def test_staff_without_user_management_cannot_lift_blocks(client):
    client.force_login(role_user(roles.EDITOR))
    sign_in(type(client)(), "coordinator", "fout-wachtwoord-123")

    response = client.get(reverse("portal_lockouts"))

    # Wagtail answers a refused admin page with a redirect to the dashboard and a message.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.post(reverse("portal_unlock", args=[AccessAttempt.objects.get().pk])).status_code == 302
    assert AccessAttempt.objects.exists()


def test_sign_ins_are_logged_without_the_password(client, staff, caplog):
    with caplog.at_level(logging.INFO):
        sign_in(client, "coordinator", "fout-wachtwoord-123")
        sign_in(client, "coordinator", PASSWORD)

    text = caplog.text
    assert "fout-wachtwoord-123" not in text and PASSWORD not in text
    assert "failure" in text.lower() and f"Login of user {staff.pk}" in text


def test_a_staff_session_ends_after_thirty_idle_minutes(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time()) - 31 * 60
    session.save()

    response = client.get("/admin/")

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_an_active_staff_session_goes_on(client, staff):
    client.force_login(staff)
    client.get("/admin/")
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time()) - 29 * 60
    session.save()

    assert client.get("/admin/").status_code == 200


def test_sessions_live_at_most_eight_hours(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "wachtwoord12", "Welkom2026!!", "123456789012", "abcdefghijkl", "qwertyuiop12"]
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", [PASSWORD, "paars olifantje danst 9x", "Kw4rtel-Bos-Molen"])
def test_passphrases_are_accepted(password):
    validate_password(password)


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/zoeken/?q=afval"])
def test_every_response_carries_permissions_and_resource_policies(client, site, path):
    response = client.get(path)

    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_public_pages_carry_the_strict_policy_and_the_admin_its_own(client, site):
    public = client.get("/")["Content-Security-Policy"]
    admin = client.get("/admin/login/")["Content-Security-Policy"]

    assert "script-src 'self'" in public and "unsafe-inline" not in public
    assert "script-src-attr 'none'" in admin and "style-src 'self';" in admin
    assert "object-src 'none'" in admin and "base-uri 'self'" in admin and "form-action 'self'" in admin
    # Nothing from another origin, in either.
    assert "http" not in public and "http" not in admin


def masked(message, *args):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, args, None)
    MaskPersonalDataFilter().filter(record)
    return record.getMessage()


def test_logs_carry_no_email_addresses_or_status_tokens():
    refused = masked("Refused: %s", {"jan.de.klager@example.org": (550, b"User unknown")})
    not_found = masked("Not Found: %s", "/klachten/status/geheim-token-dat-niet-bestaat/")
    api = masked("Not Found: %s", "/api/v3/klachtformulieren/status/geheim-token/")
    assert api == "Not Found: /api/v3/klachtformulieren/status/[token]/"

    assert "jan.de.klager" not in refused and "[e-mailadres]" in refused and "550" in refused
    assert not_found == "Not Found: /klachten/status/[token]/"


def test_the_console_handler_masks_every_record():
    filters = [found for handler in logging.getLogger().handlers for found in handler.filters]

    assert any(isinstance(found, MaskPersonalDataFilter) for found in filters)


def test_sign_ins_failures_and_role_changes_land_in_site_history(client, staff):
    sign_in(client, "coordinator", "fout-wachtwoord-123")
    sign_in(client, "bestaat-niet", "fout-wachtwoord-123")
    sign_in(client, "coordinator", PASSWORD)
    roles.ensure_roles()  # what `manage.py setup_roles` does
    staff.groups.add(Group.objects.get(name=roles.group_name(roles.HANDLER)))

    actions = list(ModelLogEntry.objects.filter(object_id=str(staff.pk)).values_list("action", flat=True))
    assert "portal.login_failed" in actions and "portal.login" in actions and "portal.roles_changed" in actions
    change = ModelLogEntry.objects.get(action="portal.roles_changed")
    assert change.data == {"change": "add", "groups": [roles.group_name(roles.HANDLER)]}
    assert ModelLogEntry.objects.filter(action="portal.login_failed").count() == 1  # none for an unknown name


def test_an_administrator_logs_someone_out_everywhere(client, staff):
    laptop, phone = type(client)(), type(client)()
    laptop.force_login(staff)
    phone.force_login(staff)
    administrator = UserFactory(username="beheer", is_staff=True, is_superuser=True)
    client.force_login(administrator)

    assert client.get(reverse("portal_log_out_everywhere", args=[staff.pk])).status_code == 200
    client.post(reverse("portal_log_out_everywhere", args=[staff.pk]))

    for device in (laptop, phone):
        assert device.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 200  # the administrator's own session goes on
    assert ModelLogEntry.objects.get(action="portal.logged_out_everywhere").data == {"sessions": 2}
