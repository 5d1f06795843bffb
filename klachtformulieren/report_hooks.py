"""The annual report under Wagtail's Reports menu (imported by wagtail_hooks.py, which Wagtail loads)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from klachtformulieren import access, report_views


@hooks.register("register_admin_urls")
def register_annual_report_url():
    return [path("klachten/rapportage/", report_views.annual_report_view, name="klachtformulieren_annual_report")]


class AnnualReportMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_coordinator(request.user)


@hooks.register("register_reports_menu_item")
def register_annual_report_menu_item():
    return AnnualReportMenuItem(
        _("Complaints: annual report"), reverse("klachtformulieren_annual_report"), icon_name="table", order=600
    )
