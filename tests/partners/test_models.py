"""The partner register's rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from partners.models import PartnerComplaintChannel
from tests.factories import PartnerAnnualFiguresFactory, PartnerContractFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_channel_addresses_become_links():
    assert PartnerComplaintChannel(kind="phone", value="0599 222 333").href == "tel:0599222333"
    assert PartnerComplaintChannel(kind="email", value="k@p.example").href == "mailto:k@p.example"
    assert PartnerComplaintChannel(kind="web_form", value="https://p.example/klacht").href == "https://p.example/klacht"
    assert PartnerComplaintChannel(kind="post", value="Postbus 1").href == ""


@pytest.mark.parametrize(("kind", "value"), [("web_form", "p.example/klacht"), ("email", "geen adres")])
def test_channel_with_a_malformed_address_is_refused(kind, value):
    with pytest.raises(ValidationError):
        PartnerComplaintChannel(kind=kind, value=value).clean()


def test_contract_cannot_end_before_it_starts():
    contract = PartnerContractFactory.build(starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2025, 1, 1))

    with pytest.raises(ValidationError):
        contract.clean()


def test_contract_is_current_between_its_dates():
    contract = PartnerContractFactory.build(starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))

    assert contract.is_current(datetime.date(2026, 6, 1))
    assert not contract.is_current(datetime.date(2027, 1, 1))


def test_annual_figures_must_add_up_by_outcome_and_by_nature():
    figures = PartnerAnnualFiguresFactory.build(
        partner=PartnerFactory(), received=10, resolved_informally=6, unfounded=3
    )
    with pytest.raises(ValidationError, match=r"tellen op tot 9"):
        figures.clean()

    figures.unfounded = 4
    figures.by_nature = {"bejegening": 3, "wachttijd": 3}
    with pytest.raises(ValidationError):
        figures.clean()

    figures.by_nature = {"bejegening": 4, "wachttijd": 6}
    figures.clean()


def test_partner_changes_are_kept_in_history():
    partner = PartnerFactory(name="Oude naam")
    partner.name = "Nieuwe naam"
    partner.save()

    assert [record.name for record in partner.history.all()] == ["Nieuwe naam", "Oude naam"]


def test_partner_initial_groups_the_a_to_z_list():
    assert PartnerFactory.build(name="'s-Hertogenbosch Zorg").initial == "#"
    assert PartnerFactory.build(name="afval bv").initial == "A"
