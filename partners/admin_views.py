"""The compliance report in the admin, with a spreadsheet export.

The partner register is shared by every municipality of an install (one directory of the
organisations that work for them); its export is in the audit log like every other.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from partners.compliance import compliance_report
from partners.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes

EXPORT_COMPLIANCE = "partners.export_compliance"


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


def compliance_view(request):
    if not request.user.has_perm("partners.view_partner"):
        raise PermissionDenied
    report = compliance_report()
    export = request.GET.get("export")
    stamp = timezone.localdate().isoformat()
    if export in ("xlsx", "csv"):
        header, body = _rows(report)
        sections = [(_("Compliance"), [header, *body])]
        if export == "csv":
            response = HttpResponse(csv_bytes(sections), content_type=CSV_CONTENT_TYPE)
        else:
            response = HttpResponse(xlsx_bytes(sections), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="partners-naleving-{stamp}.{export}"'
        # request.user may be a lazy wrapper; Wagtail's log needs the model instance.
        user = get_user_model()._default_manager.get(pk=request.user.pk)
        log(user, EXPORT_COMPLIANCE, user=user, data={"format": export, "partners": len(body)})
        return response
    return TemplateResponse(
        request, "partners/admin/compliance.html", {"report": report, "today": timezone.localdate()}
    )
