"""Two-factor sign-in: a staff member sets up an authenticator app before reaching any admin
page, and gives its code (or a backup code) at every sign-in after."""

import time

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from klachtformulieren.cases import roles
from tests.factories import UserFactory, role_user
from tests.portal.test_settings import PRODUCTION_ENV, SETUP, run_python

pytestmark = pytest.mark.django_db

PASSWORD = "Lindenhaven-fietspad-7"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.STAFF_2FA = True


@pytest.fixture
def staff():
    user = role_user(roles.COORDINATOR, username="nieuw")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client):
    return client.post("/admin/login/", {"username": "nieuw", "password": PASSWORD})


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def set_up(client, staff):
    sign_in(client)
    client.get(reverse("portal_2fa_setup"))
    device = TOTPDevice.objects.get(user=staff)
    client.post(reverse("portal_2fa_setup"), {"code": code_for(device), "next": "/admin/"})
    return device


def test_a_new_staff_member_sets_up_the_app_before_any_admin_page(client, staff):
    sign_in(client)

    for path in ("/admin/", "/admin/klachten/zaken/", "/admin/account/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(reverse("portal_2fa_setup"))

    page = client.get(reverse("portal_2fa_setup"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "otpauth" not in html.split("<svg")[0]
    assert "http" not in html.split("<svg")[1].split("</svg>")[0].replace("http://www.w3.org", "")


def test_a_wrong_code_is_refused_and_the_right_one_opens_the_dashboard(client, staff):
    sign_in(client)
    client.get(reverse("portal_2fa_setup"))
    device = TOTPDevice.objects.get(user=staff)

    wrong = client.post(reverse("portal_2fa_setup"), {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400
    assert client.get("/admin/").status_code == 302

    # django-otp makes whoever guesses wait a little longer after each wrong code.
    with time_machine.travel(time.time() + 5):
        device.refresh_from_db()
        right = client.post(reverse("portal_2fa_setup"), {"code": code_for(device), "next": "/admin/"})
    assert right["Location"].startswith(reverse("portal_2fa_backup_codes"))
    codes_page = client.get(right["Location"]).content.decode()
    assert StaticToken.objects.filter(device__user=staff).count() == 10
    assert StaticToken.objects.filter(device__user=staff).first().token in codes_page
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(action="portal.2fa_setup", object_id=str(staff.pk)).exists()


def test_every_later_sign_in_asks_for_the_code_and_takes_a_backup_code_once(client, staff):
    set_up(client, staff)
    client.post("/admin/logout/")
    backup = StaticToken.objects.filter(device__user=staff).first().token

    sign_in(client)
    assert client.get("/admin/")["Location"].startswith(reverse("portal_2fa_verify"))
    assert client.post(reverse("portal_2fa_verify"), {"code": "123456"}).status_code == 400
    with time_machine.travel(time.time() + 5):  # past the wait after a wrong code
        assert client.post(reverse("portal_2fa_verify"), {"code": backup, "next": "/admin/"}).status_code == 302
        assert client.get("/admin/").status_code == 200

        client.post("/admin/logout/")
        sign_in(client)
        assert client.post(reverse("portal_2fa_verify"), {"code": backup}).status_code == 400  # used up


def test_an_administrator_resets_someones_devices_and_it_is_logged(client, staff):
    other = type(client)()
    set_up(other, staff)
    administrator = UserFactory(is_superuser=True)
    client.force_login(administrator)
    TOTPDevice.objects.create(user=administrator, name="authenticator", confirmed=True)
    session = client.session
    # A verified administrator (django-otp keeps the device in the session).
    session["otp_device_id"] = TOTPDevice.objects.get(user=administrator).persistent_id
    session.save()

    assert client.get(reverse("portal_2fa_reset", args=[staff.pk])).status_code == 200
    client.post(reverse("portal_2fa_reset", args=[staff.pk]))

    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticToken.objects.filter(device__user=staff).exists()
    assert ModelLogEntry.objects.filter(action="portal.2fa_reset", object_id=str(staff.pk)).exists()


def test_a_beheerder_cannot_reset_a_superuser(client):
    beheerder = role_user(roles.ADMINISTRATOR)
    superuser = UserFactory(is_superuser=True)
    TOTPDevice.objects.create(user=superuser, name="authenticator", confirmed=True)
    TOTPDevice.objects.create(user=beheerder, name="authenticator", confirmed=True)
    client.force_login(beheerder)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=beheerder).persistent_id
    session.save()

    client.post(reverse("portal_2fa_reset", args=[superuser.pk]))

    assert TOTPDevice.objects.filter(user=superuser).exists()


def test_the_next_address_never_leads_off_site(client, staff):
    sign_in(client)
    client.get(reverse("portal_2fa_setup"))
    device = TOTPDevice.objects.get(user=staff)

    response = client.post(reverse("portal_2fa_setup"), {"code": code_for(device), "next": "https://kwaad.example/"})

    assert "kwaad.example" not in response["Location"]


def test_production_always_asks_for_the_second_step():
    result = run_python(SETUP + "print(settings.STAFF_2FA)", **PRODUCTION_ENV, DJANGO_STAFF_2FA="false")

    assert result.stdout.split() == ["True"], result.stderr[-2000:]


def test_with_two_factor_off_the_dashboard_says_so(client, settings):
    settings.STAFF_2FA = False
    client.force_login(UserFactory(is_superuser=True))

    assert 'id="tweestaps-uit"' in client.get("/admin/").content.decode()


def test_the_admin_icons_load_before_the_second_step(client, staff):
    """The setup page fetches the icon sprite; a redirect there put a whole page into the icons."""
    sign_in(client)

    assert client.get(reverse("wagtailadmin_sprite")).status_code == 200
