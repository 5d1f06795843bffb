"""Attachments in quarantine show on the dashboard of whoever may see their case, and no one else."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from klachtformulieren.admin.dashboard import ROWS_PER_PANEL, QuarantinedAttachmentsPanel
from klachtformulieren.cases import roles
from klachtformulieren.cases.links import case_inspect_url
from klachtformulieren.models import ComplaintAttachment
from tests.factories import ComplaintFactory, MunicipalityFactory, role_user

pytestmark = pytest.mark.django_db

Scan = ComplaintAttachment.Scan
PANEL_ID = 'id="klachten-quarantaine-section"'


def attachment_of(complaint, scan, name="foto.png"):
    content = b"\x89PNG\r\n\x1a\n"
    attachment = ComplaintAttachment(
        complaint=complaint,
        name=name,
        content_type="image/png",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        scan=scan,
    )
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


@pytest.fixture
def coordinator(municipality):
    return role_user(roles.COORDINATOR, municipalities=[municipality], username="coordinator")


@pytest.fixture
def quarantined_case(municipality):
    complaint = ComplaintFactory(municipality=municipality)
    attachment_of(complaint, Scan.QUARANTINED, "brief.pdf")
    attachment_of(complaint, Scan.QUARANTINED, "foto.png")
    attachment_of(complaint, Scan.CLEAN, "schoon.png")
    return complaint


def dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_dashboard_lists_cases_with_attachments_in_quarantine(client, coordinator, quarantined_case):
    html = dashboard(client, coordinator)

    assert PANEL_ID in html
    assert f'<a href="{case_inspect_url(quarantined_case.pk)}">{quarantined_case.reference}</a>' in html
    assert "<td>2</td>" in html  # the two in quarantine, not the clean one


def test_the_panel_is_absent_when_nothing_waits(client, coordinator, municipality):
    attachment_of(ComplaintFactory(municipality=municipality), Scan.CLEAN)
    attachment_of(ComplaintFactory(municipality=municipality), Scan.INFECTED)

    assert "klachten-quarantaine" not in dashboard(client, coordinator)


def test_another_municipalitys_quarantine_stays_out_of_sight(client, quarantined_case):
    other = role_user(roles.COORDINATOR, municipalities=[MunicipalityFactory(name="Elders", slug="elders")])

    html = dashboard(client, other)

    assert "klachten-quarantaine" not in html
    assert quarantined_case.reference not in html


def test_a_handler_sees_the_quarantine_of_the_cases_assigned_to_them_only(client, municipality, quarantined_case):
    handler = role_user(roles.HANDLER, municipalities=[municipality], username="handler")
    assert quarantined_case.reference not in dashboard(client, handler)

    quarantined_case.handler = handler
    quarantined_case.save()

    assert quarantined_case.reference in dashboard(client, handler)


def test_the_panel_costs_the_same_queries_however_many_cases(coordinator, municipality):
    def render():
        with CaptureQueriesContext(connection) as queries, translation.override("en"):
            html = QuarantinedAttachmentsPanel(coordinator).render_html({})
        return len(queries), html

    attachment_of(ComplaintFactory(municipality=municipality), Scan.QUARANTINED)
    few, _html = render()
    for _case in range(15):
        attachment_of(ComplaintFactory(municipality=municipality), Scan.QUARANTINED)
    many, html = render()

    assert many <= few
    assert html.count("<tr>") == 1 + ROWS_PER_PANEL  # the header and the first cases
    assert "16 cases have attachments not yet checked for viruses." in html
