"""The partner register in the admin (wagtail-modeladmin) and the compliance report."""

from django.contrib.admin import SimpleListFilter
from django.db.models import Exists, OuterRef
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from partners import admin_views
from partners.models import Partner, PartnerAnnualFigures, PartnerContract, Topic


class ArrangementFilter(SimpleListFilter):
    title = _("complaint arrangement in the current contract")
    parameter_name = "regeling"

    def lookups(self, request, model_admin):
        return [("ja", _("Yes")), ("nee", _("No"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        current = PartnerContract.objects.filter(
            partner=OuterRef("pk"), starts_on__lte=today, has_complaint_arrangement=True
        ).exclude(ends_on__lt=today)
        if self.value() == "ja":
            return queryset.filter(Exists(current))
        if self.value() == "nee":
            return queryset.exclude(Exists(current))
        return queryset


class FiguresLastYearFilter(SimpleListFilter):
    title = _("figures for last year")
    parameter_name = "cijfers"

    def lookups(self, request, model_admin):
        return [("ja", _("Present")), ("nee", _("Missing"))]

    def queryset(self, request, queryset):
        figures = PartnerAnnualFigures.objects.filter(partner=OuterRef("pk"), year=timezone.localdate().year - 1)
        if self.value() == "ja":
            return queryset.filter(Exists(figures))
        if self.value() == "nee":
            return queryset.exclude(Exists(figures))
        return queryset


class PartnerAdmin(ModelAdmin):
    model = Partner
    menu_icon = "group"
    list_display = ("name", "kind", "published")
    list_filter = ("kind", "topics", "published", ArrangementFilter, FiguresLastYearFilter)
    search_fields = ("name", "description")
    inspect_view_enabled = True


class PartnerAnnualFiguresAdmin(ModelAdmin):
    model = PartnerAnnualFigures
    menu_icon = "table"
    list_display = ("partner", "year", "received", "resolved_informally", "well_founded", "unfounded")
    list_filter = ("year",)
    search_fields = ("partner__name",)


class TopicAdmin(ModelAdmin):
    model = Topic
    menu_icon = "tag"
    list_display = ("name", "slug")


class PartnersGroup(ModelAdminGroup):
    menu_label = _("Partners")
    menu_icon = "group"
    menu_order = 300
    items = (PartnerAdmin, PartnerAnnualFiguresAdmin, TopicAdmin)


modeladmin_register(PartnersGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("partners/naleving/", admin_views.compliance_view, name="partners_compliance")]


class CompliancePermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("partners.view_partner")


@hooks.register("register_reports_menu_item")
def register_compliance_report():
    return CompliancePermissionMenuItem(
        _("Partners: compliance"), reverse("partners_compliance"), icon_name="warning", order=700
    )


@hooks.register("register_log_actions")
def register_export_action(actions):
    actions.register_action(
        admin_views.EXPORT_COMPLIANCE, _("Export the partner compliance report"), _("Partner compliance exported")
    )
