"""The partner register and the compliance report in the admin."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from tests.factories import PartnerAnnualFiguresFactory, PartnerContractFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPLIANCE_URL = "/admin/partners/naleving/"


@pytest.fixture
def staff_client(client):
    user = UserFactory(is_staff=True)
    for codename in ("access_admin", "view_partner"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def partners():
    good = PartnerFactory(name="Goede Zorg")
    PartnerContractFactory(partner=good)
    PartnerAnnualFiguresFactory(partner=good, year=2025)
    lacking = PartnerFactory(name='=HYPERLINK("http://kwaad.example")')
    PartnerContractFactory(partner=lacking, has_complaint_arrangement=False)
    return good, lacking


def test_listing_filters_on_arrangement_and_figures(admin_client, partners, settings):
    import time_machine

    with time_machine.travel("2026-11-24", tick=False):
        without = admin_client.get("/admin/partners/partner/", {"regeling": "nee"}).content.decode()
        missing = admin_client.get("/admin/partners/partner/", {"cijfers": "nee"}).content.decode()
        searched = admin_client.get("/admin/partners/partner/", {"q": "Goede"}).content.decode()

    assert "HYPERLINK" in without and "Goede Zorg" not in without
    assert "HYPERLINK" in missing and "Goede Zorg" not in missing
    assert "Goede Zorg" in searched


def test_compliance_report_lists_who_falls_short(staff_client, partners):
    html = staff_client.get(COMPLIANCE_URL).content.decode()

    assert "Het contract bevat geen klachtenregeling." in html
    assert "Goede Zorg" not in html


def test_compliance_report_exports_to_xlsx_and_neutralises_formulas(staff_client, partners):
    response = staff_client.get(COMPLIANCE_URL, {"export": "xlsx"})

    assert response["Content-Disposition"].startswith('attachment; filename="partners-naleving-')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Partner"
    assert rows[1][0] == '\'=HYPERLINK("http://kwaad.example")'


def test_compliance_report_exports_to_csv(staff_client, partners):
    response = staff_client.get(COMPLIANCE_URL, {"export": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0].startswith("'=")
    assert "klachtenregeling" in rows[1][-1]


def test_a_compliance_export_is_in_the_audit_log(staff_client, partners):
    from wagtail.models import ModelLogEntry

    staff_client.get(COMPLIANCE_URL, {"export": "csv"})

    entry = ModelLogEntry.objects.get(action="partners.export_compliance")
    assert entry.data["format"] == "csv"
    assert entry.user is not None


def test_compliance_report_is_for_staff_who_may_see_partners(client, partners):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    response = client.get(COMPLIANCE_URL, {"export": "csv"})

    assert response.status_code == 302
    assert b"HYPERLINK" not in response.content


def test_partner_edit_and_figures_screens_open(admin_client, partners):
    good, _ = partners
    assert admin_client.get(f"/admin/partners/partner/edit/{good.pk}/").status_code == 200
    assert admin_client.get("/admin/partners/partnerannualfigures/create/").status_code == 200
    assert admin_client.get(f"/admin/partners/partner/inspect/{good.pk}/").status_code == 200
