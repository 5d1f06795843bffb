"""Importing partners' annual complaint figures from a spreadsheet (CSV or XLSX).

Columns: ``partner`` (the partner's short name or name), ``year``, ``received`` and the
outcome columns of ``PartnerAnnualFigures.OUTCOME_FIELDS`` (missing ones count as 0), and
optionally ``handling_notes``. Every row is checked first; one bad row means nothing is
written, and the message names the row and the reason.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import Partner, PartnerAnnualFigures
from partners.spreadsheet_reading import ImportRefused, read_rows

REQUIRED_COLUMNS = ("partner", "year", "received")
NUMBER_COLUMNS = ("year", "received", *PartnerAnnualFigures.OUTCOME_FIELDS)


@dataclass
class ImportResult:
    created: int
    updated: int


def import_partner_figures(path, *, dry_run=False):
    partners = {}
    for partner in Partner.objects.all():
        partners[partner.slug.lower()] = partner
        partners[partner.name.lower()] = partner
    records, errors, seen = [], [], set()
    for number, row in read_rows(path, required=REQUIRED_COLUMNS):
        partner = partners.get(row.get("partner", "").lower())
        if partner is None:
            errors.append(
                _("Row %(row)s: unknown partner “%(partner)s”.") % {"row": number, "partner": row.get("partner", "")}
            )
            continue
        values = {}
        for column in NUMBER_COLUMNS:
            raw = row.get(column, "") or "0"
            try:
                values[column] = int(float(raw)) if float(raw) == int(float(raw)) and float(raw) >= 0 else None
            except ValueError:
                values[column] = None
            if values[column] is None:
                errors.append(
                    _("Row %(row)s: %(column)s must be a whole number, not “%(value)s”.")
                    % {"row": number, "column": column, "value": raw}
                )
        if any(value is None for value in values.values()):
            continue
        if (partner.pk, values["year"]) in seen:
            errors.append(
                _("Row %(row)s: %(partner)s %(year)s appears twice.")
                % {"row": number, "partner": partner, "year": values["year"]}
            )
            continue
        seen.add((partner.pk, values["year"]))
        figures = PartnerAnnualFigures.objects.filter(
            partner=partner, year=values["year"]
        ).first() or PartnerAnnualFigures(partner=partner, year=values["year"])
        for column, value in values.items():
            setattr(figures, column, value)
        figures.handling_notes = row.get("handling_notes", figures.handling_notes)
        try:
            figures.full_clean(exclude=["by_nature"])
        except ValidationError as error:
            errors.append(_("Row %(row)s: %(reason)s") % {"row": number, "reason": " ".join(error.messages)})
            continue
        records.append(figures)
    if errors:
        raise ImportRefused(errors)
    result = ImportResult(created=sum(1 for r in records if r.pk is None), updated=sum(1 for r in records if r.pk))
    if not dry_run:
        with transaction.atomic():
            for figures in records:
                figures._change_reason = "Imported from a spreadsheet"
                figures.save()
    return result
