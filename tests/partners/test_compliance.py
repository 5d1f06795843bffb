"""The compliance report: the Ombudsman's rule 2 and Haarlem's annual insight."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.compliance import compliance_report
from tests.factories import PartnerAnnualFiguresFactory, PartnerContractFactory, PartnerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def problems_of(partner):
    return next((row.problems for row in compliance_report(TODAY) if row.partner == partner), [])


def compliant_partner(**kwargs):
    partner = PartnerFactory(**kwargs)
    PartnerContractFactory(partner=partner)
    PartnerAnnualFiguresFactory(partner=partner, year=2025)
    return partner


def test_a_compliant_partner_is_not_listed():
    assert problems_of(compliant_partner()) == []


def test_contract_without_complaint_arrangement_is_listed():
    partner = PartnerFactory()
    PartnerContractFactory(partner=partner, has_complaint_arrangement=False)
    PartnerAnnualFiguresFactory(partner=partner, year=2025)

    assert problems_of(partner) == ["Het contract bevat geen klachtenregeling."]


def test_ended_contract_is_listed():
    partner = PartnerFactory()
    PartnerContractFactory(partner=partner, ends_on=datetime.date(2026, 6, 30))
    PartnerAnnualFiguresFactory(partner=partner, year=2025)

    assert problems_of(partner) == ["Het contract is afgelopen."]


def test_partner_without_any_contract_is_listed():
    partner = PartnerFactory()

    assert "Er is geen contract geregistreerd." in problems_of(partner)


def test_missing_figures_for_last_year_are_listed_only_when_the_contract_requires_them():
    partner = PartnerFactory()
    PartnerContractFactory(partner=partner)
    PartnerAnnualFiguresFactory(partner=partner, year=2024)
    relieved = PartnerFactory()
    PartnerContractFactory(partner=relieved, must_report_figures=False)

    assert problems_of(partner) == ["De klachtcijfers over 2025 ontbreken."]
    assert problems_of(relieved) == []


def test_report_takes_a_fixed_number_of_queries():
    for _ in range(3):
        compliant_partner()
    with CaptureQueriesContext(connection) as few:
        compliance_report(TODAY)
    for _ in range(30):
        compliant_partner()
        PartnerFactory()
    with CaptureQueriesContext(connection) as many:
        compliance_report(TODAY)

    assert len(many) == len(few) <= 3
