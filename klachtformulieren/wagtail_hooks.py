"""The one place that registers the plugin's admin screens, URLs, menu items and panels."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from klachtformulieren.admin import access_requests, audit, bulk_actions, dashboard, saved_filters
from klachtformulieren.admin import letters as letter_views
from klachtformulieren.admin import reports as report_views
from klachtformulieren.admin import views as admin_views
from klachtformulieren.admin.cases import case_viewset
from klachtformulieren.admin.holidays import EquatedHolidayViewSet
from klachtformulieren.admin.inbox import inbox_message
from klachtformulieren.admin.mail_texts import MailTextViewSet
from klachtformulieren.admin.mail_texts import register_actions as register_mail_text_actions
from klachtformulieren.admin.registers import ComplaintsGroup
from klachtformulieren.admin.scoping import register_scoped_snippet
from klachtformulieren.intake.pages import ComplaintFormPage
from klachtformulieren.models import (
    InboundMailbox,
    MailTemplate,
    Municipality,
)

modeladmin_register(ComplaintsGroup)
for action_class in bulk_actions.BULK_ACTIONS:
    hooks.register("register_bulk_action", action_class)


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return case_viewset


register_scoped_snippet(Municipality)
register_scoped_snippet(MailTemplate, MailTextViewSet)
register_scoped_snippet(InboundMailbox)
register_snippet(EquatedHolidayViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("klachten/bijlagen/<int:pk>/", admin_views.attachment_download, name="klachtformulieren_attachment"),
        path("klachten/<int:pk>/stap/<slug:name>/", admin_views.step, name="klachtformulieren_step"),
        path("klachten/brieven/<int:pk>/", letter_views.letter_document, name="klachtformulieren_letter"),
        path("klachten/brieven/<int:pk>/opnieuw/", letter_views.send_again, name="klachtformulieren_letter_again"),
        path("klachten/brieven/<int:pk>/per-post/", letter_views.send_by_post, name="klachtformulieren_letter_post"),
        path("klachten/brieven/<int:pk>/pdf/", letter_views.letter_pdf, name="klachtformulieren_letter_pdf"),
        path("klachten/brieven/<int:pk>/concept/", letter_views.letter_draft, name="klachtformulieren_letter_draft"),
        path("klachten/brieven/<int:pk>/goedkeuren/", letter_views.approve, name="klachtformulieren_letter_approve"),
        path("klachten/brieven/<int:pk>/versturen/", letter_views.send_off, name="klachtformulieren_letter_send"),
        path("klachten/inbox/<int:pk>/", inbox_message, name="klachtformulieren_inbox_message"),
        path("klachten/rapportage/", report_views.annual_report_view, name="klachtformulieren_annual_report"),
        path("klachten/inzageverzoek/", access_requests.access_request_view, name="klachtformulieren_access_request"),
        path("klachten/selecties/", saved_filters.save_filter, name="klachtformulieren_saved_filter_add"),
        path(
            "klachten/selecties/<int:pk>/verwijderen/",
            saved_filters.delete_filter,
            name="klachtformulieren_saved_filter_delete",
        ),
    ]


@hooks.register("insert_global_admin_css")
def case_screens_css():
    return format_html('<link rel="stylesheet" href="{}">', static("klachtformulieren/css/admin.css"))


@hooks.register("register_reports_menu_item")
def register_annual_report_menu_item():
    return report_views.AnnualReportMenuItem(
        _("Complaints: annual report"), reverse("klachtformulieren_annual_report"), icon_name="table", order=600
    )


@hooks.register("register_reports_menu_item")
def register_access_request_menu_item():
    return access_requests.AccessRequestMenuItem(
        _("Complaints: access request"), reverse("klachtformulieren_access_request"), icon_name="user", order=610
    )


@hooks.register("construct_homepage_panels")
def add_case_panels(request, panels):
    panels.extend(dashboard.panels_for(request.user, timezone.localdate()))


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    audit.register_actions(actions)


@hooks.register("register_log_actions")
def register_mail_text_log_actions(actions):
    register_mail_text_actions(actions)


@hooks.register("filter_form_submissions_for_user")
def complaint_forms_leave_the_forms_menu(user, pages):
    return ComplaintFormPage.leave_the_forms_listing(user, pages)
