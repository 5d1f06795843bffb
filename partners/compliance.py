"""The compliance report: which partners fall short of the Ombudsman's rule 2 and Haarlem's annual insight.

A partner is listed when its current contract lacks a complaint arrangement, when it has no
current contract (ended, or never registered), or when the figures for last year are
missing while a contract requires them. One query whatever the number of partners.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Partner, PartnerAnnualFigures, PartnerContract


@dataclass
class ComplianceRow:
    partner: Partner
    contract: PartnerContract | None
    problems: list = field(default_factory=list)


def partners_with_compliance_facts(today=None):
    today = today or timezone.localdate()
    last_year = today.year - 1
    return Partner.objects.prefetch_related(
        Prefetch("contracts", queryset=PartnerContract.objects.order_by("-starts_on"))
    ).annotate(
        has_figures_last_year=Exists(PartnerAnnualFigures.objects.filter(partner=OuterRef("pk"), year=last_year))
    )


def compliance_row(partner, today):
    contracts = list(partner.contracts.all())
    current = next((contract for contract in contracts if contract.is_current(today)), None)
    row = ComplianceRow(partner=partner, contract=current)
    if current is None:
        if contracts:
            row.problems.append(_("The contract has ended."))
        else:
            row.problems.append(_("No contract is registered."))
    elif not current.has_complaint_arrangement:
        row.problems.append(_("The contract lacks a complaint arrangement."))
    reporting_due = current.must_report_figures if current else any(c.must_report_figures for c in contracts)
    if reporting_due and not partner.has_figures_last_year:
        row.problems.append(_("The complaint figures for %(year)s are missing.") % {"year": today.year - 1})
    return row


def compliance_report(today=None):
    """Every partner that falls short, with what is wrong."""
    today = today or timezone.localdate()
    rows = (compliance_row(partner, today) for partner in partners_with_compliance_facts(today))
    return [row for row in rows if row.problems]
