"""The admin's Content-Security-Policy holds in a real browser: the screens staff use every
day (Draftail and StreamField, the date pickers, inline panels, choosers, the charts of the
annual report) work under it without a single violation, and it refuses what it should."""

import datetime

import pytest
from django.urls import reverse

from klachtformulieren.cases import roles
from klachtformulieren.models import Status
from tests.factories import ComplaintFactory, MunicipalityFactory, PartnerFactory, UserFactory, role_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # the UserFactory's password

# Collects every violation the browser reports, before any script of the page runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  const where = event.sourceFile + ':' + event.lineNumber;
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline') + ' ' + where);
});
"""


def sign_in(page, username):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/admin/")


def violations_on(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, url
    assert "script-src-attr 'none'" in response.headers["content-security-policy"]
    return page.evaluate("window.__cspViolations")


def test_the_admin_screens_work_under_the_admin_policy(page, site):
    page.context.add_init_script(LISTEN)
    municipality = MunicipalityFactory()
    admin = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    municipality.staff.add(admin)
    complaint = ComplaintFactory(
        municipality=municipality,
        status=Status.RECEIVED,
        received_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2),
    )
    partner = PartnerFactory()
    sign_in(page, admin.username)

    screens = [
        "/admin/",
        reverse("wagtailadmin_explore", args=[site.root_page.pk]),
        reverse("wagtailadmin_pages:edit", args=[site.root_page.pk]),
        reverse("wagtailsnippets_klachtformulieren_municipality:edit", args=[municipality.pk]),
        reverse("klachtformulieren_complaintkind_modeladmin_create"),
        reverse("klachtformulieren_cases:index"),
        reverse("klachtformulieren_cases:inspect", args=[complaint.pk]),
        reverse("klachtformulieren_step", args=[complaint.pk, "record_intake"]),  # the date-time picker
        reverse("partners_partner_modeladmin_edit", args=[partner.pk]),  # inline panels
        reverse("klachtformulieren_annual_report"),  # the charts
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailimages:index"),
        reverse("wagtailusers_users:index"),
    ]

    found = {url: violations_on(page, url) for url in screens}
    # An inline panel's new row comes from a template with its own inline script.
    violations_on(page, reverse("partners_partner_modeladmin_edit", args=[partner.pk]))
    page.locator("button[id$='-ADD']").first.click()
    page.wait_for_timeout(300)
    found["inline panel: add a row"] = page.evaluate("window.__cspViolations")

    assert {url: seen for url, seen in found.items() if seen} == {}


def test_the_admin_policy_refuses_an_injected_script_from_elsewhere_and_inline_handlers(page, site):
    page.context.add_init_script(LISTEN)
    coordinator = role_user(roles.COORDINATOR, username="coordinator")
    sign_in(page, coordinator.username)
    page.goto("/admin/")

    page.evaluate(
        """() => {
        const script = document.createElement('script');
        script.src = 'http://127.0.0.2:9/kwaad.js';
        document.body.appendChild(script);
        const button = document.createElement('div');
        button.setAttribute('onclick', 'window.__clicked = true');
        document.body.appendChild(button);
        button.click();
    }"""
    )
    page.wait_for_timeout(200)

    seen = " ".join(page.evaluate("window.__cspViolations"))
    assert "script-src-elem http://127.0.0.2:9/kwaad.js" in seen
    assert "script-src-attr" in seen
    assert page.evaluate("window.__clicked === undefined")
