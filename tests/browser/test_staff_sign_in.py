"""A staff member's sign-in in a real browser: the authenticator app is set up at the first
sign-in before the dashboard opens, and five wrong passwords block the account."""

import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from klachtformulieren.cases.roles import COORDINATOR
from tests.factories import role_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # the UserFactory's password


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.STAFF_2FA = True


def enter_password(page, username, password):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")


def current_code(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_the_first_sign_in_sets_up_the_authenticator_app_before_the_dashboard(page, site):
    user = role_user(COORDINATOR, username="nieuwe-collega")

    enter_password(page, user.username, PASSWORD)
    page.wait_for_url(re.compile(r".*/admin/tweestaps/instellen/.*"))
    expect(page.locator("figure svg")).to_be_visible()

    page.locator("input[name=code]").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator("p.error-message")).to_contain_text("klopt niet")
    expect(page.locator("input[name=code]")).to_have_count(1)
    assert page.goto("/admin/").url.split("?")[0].endswith("/admin/tweestaps/instellen/")

    time.sleep(2)  # django-otp makes a guesser wait after a wrong code
    device = TOTPDevice.objects.get(user=user)
    page.locator("input[name=code]").fill(current_code(device))
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url(re.compile(r".*/admin/tweestaps/reservecodes/.*"))
    expect(page.locator(".kp-backup-codes li")).to_have_count(10)

    page.get_by_role("link", name="Ik heb ze bewaard: verder").click()
    page.wait_for_url(re.compile(r".*/admin/$"))
    expect(page.locator("#main")).to_be_visible()


def test_five_wrong_passwords_block_the_account_and_the_right_one_is_then_refused(page, site):
    user = role_user(COORDINATOR, username="collega")

    for _ in range(5):
        enter_password(page, user.username, "niet-het-wachtwoord")
    expect(page.locator("h1")).to_have_text("Inloggen is even geblokkeerd")

    enter_password(page, user.username, PASSWORD)
    expect(page.locator("h1")).to_have_text("Inloggen is even geblokkeerd")
    assert "/admin/tweestaps/" not in page.url
