"""The compliance report in the admin, with a spreadsheet export."""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from partners.compliance import compliance_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(report):
    header = [_("Partner"), _("Kind"), _("Contract from"), _("Contract until"), _("Contract manager"), _("Problems")]
    body = [
        [
            row.partner.name,
            row.partner.get_kind_display(),
            row.contract.starts_on.isoformat() if row.contract else "",
            row.contract.ends_on.isoformat() if row.contract and row.contract.ends_on else "",
            row.contract.contract_manager if row.contract else "",
            " ".join(row.problems),
        ]
        for row in report
    ]
    return header, body


def neutralise_formula(value):
    """Spreadsheet programs execute cells starting with these characters (CSV injection)."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def compliance_view(request):
    if not request.user.has_perm("partners.view_partner"):
        raise PermissionDenied
    report = compliance_report()
    export = request.GET.get("export")
    stamp = timezone.localdate().isoformat()
    if export in ("xlsx", "csv"):
        header, body = _rows(report)
        if export == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";")
            writer.writerow(header)
            writer.writerows([[neutralise_formula(cell) for cell in line] for line in body])
            response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        else:
            workbook = Workbook()
            sheet = workbook.active
            sheet.title = _("Compliance")[:31]
            sheet.append(header)
            for line in body:
                sheet.append([neutralise_formula(cell) for cell in line])
            buffer = io.BytesIO()
            workbook.save(buffer)
            response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="partners-naleving-{stamp}.{export}"'
        return response
    return TemplateResponse(
        request, "partners/admin/compliance.html", {"report": report, "today": timezone.localdate()}
    )
