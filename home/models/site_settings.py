"""Site settings, one set per Wagtail Site (a shared service runs a site per municipality)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from home.models.fields import optional_foreign_key


def one_year_from_today():
    return timezone.localdate() + datetime.timedelta(days=365)


def validate_security_contact(value):
    # RFC 9116 section 2.5.3: a contact is a URI, mailto:, tel: or https:.
    if not value.startswith(("mailto:", "https://", "tel:")):
        raise ValidationError(_("Start the contact with mailto:, https:// or tel:."))


@register_setting(icon="home")
class MunicipalitySettings(BaseSiteSetting):
    """What this site shows around its pages: which municipality it is for, and site-only facts."""

    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its name, contact details and ombudsman appear on every page of this site."),
    )
    logo = optional_foreign_key("wagtailimages.Image", _("logo"))
    privacy_page = optional_foreign_key("wagtailcore.Page", _("privacy statement"))
    accessibility_page = optional_foreign_key("wagtailcore.Page", _("accessibility statement"))

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

    select_related = ["municipality", "logo", "privacy_page", "accessibility_page"]

    panels = [
        MultiFieldPanel([FieldPanel("municipality"), FieldPanel("logo")], heading=_("Municipality")),
        MultiFieldPanel([FieldPanel("privacy_page"), FieldPanel("accessibility_page")], heading=_("Statements")),
        MultiFieldPanel(
            [FieldPanel("security_contact"), FieldPanel("security_expires"), FieldPanel("security_policy_url")],
            heading=_("security.txt"),
        ),
    ]

    class Meta:
        verbose_name = _("municipality")

    def __str__(self):
        return str(self.municipality or self.site)
