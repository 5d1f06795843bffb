"""The municipality's details, one set per Wagtail Site (a shared service runs several)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


def one_year_from_today():
    return timezone.localdate() + datetime.timedelta(days=365)


def validate_security_contact(value):
    # RFC 9116 section 2.5.3: a contact is a URI, mailto:, tel: or https:.
    if not value.startswith(("mailto:", "https://", "tel:")):
        raise ValidationError(_("Start the contact with mailto:, https:// or tel:."))


@register_setting(icon="home")
class MunicipalitySettings(BaseSiteSetting):
    municipality_name = models.CharField(_("municipality name"), max_length=100, default=_("Municipality"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The second line (Awb 9:12): most municipalities use the Nationale ombudsman,
    # others a local or regional ombudsman.
    ombudsman_name = models.CharField(_("ombudsman"), max_length=120, default="Nationale ombudsman")
    ombudsman_url = models.URLField(_("ombudsman web address"), default="https://www.nationaleombudsman.nl/")
    ombudsman_term_months = models.PositiveSmallIntegerField(
        _("term to turn to the ombudsman (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Awb 9:24: one year after the municipality's outcome."),
    )

    security_contact = models.CharField(
        _("security contact"),
        max_length=200,
        blank=True,
        validators=[validate_security_contact],
        help_text=_("For /.well-known/security.txt, for example mailto:security@gemeente.nl."),
    )
    security_expires = models.DateField(
        _("security.txt valid until"),
        default=one_year_from_today,
        help_text=_("Review the security contact before this date; at most a year ahead."),
    )
    security_policy_url = models.URLField(_("disclosure policy web address"), blank=True)

    select_related = ["logo", "privacy_page", "accessibility_page"]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("municipality_name"),
                FieldPanel("logo"),
                FieldPanel("phone"),
                FieldPanel("contact_email"),
                FieldPanel("postal_address"),
            ],
            heading=_("Municipality"),
        ),
        MultiFieldPanel([FieldPanel("privacy_page"), FieldPanel("accessibility_page")], heading=_("Statements")),
        MultiFieldPanel(
            [FieldPanel("ombudsman_name"), FieldPanel("ombudsman_url"), FieldPanel("ombudsman_term_months")],
            heading=_("Second line: the ombudsman"),
        ),
        MultiFieldPanel(
            [FieldPanel("security_contact"), FieldPanel("security_expires"), FieldPanel("security_policy_url")],
            heading=_("security.txt"),
        ),
    ]

    class Meta:
        verbose_name = _("municipality")

    def __str__(self):
        return self.municipality_name

    @property
    def ombudsman_term_display(self):
        months = self.ombudsman_term_months
        if months % 12 == 0:
            years = months // 12
            return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
