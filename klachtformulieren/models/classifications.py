"""Classifications a municipality configures: kinds of complaint and its organisation tree."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class ComplaintKind(models.Model):
    """A kind of complaint (soort klacht), e.g. "improper treatment" or "reachability"."""

    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="complaint_kinds",
        help_text=_("Leave empty for a kind every municipality in this install uses."),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("municipality"),
        FieldPanel("active"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("kind of complaint")
        verbose_name_plural = _("kinds of complaint")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_kind_name_per_municipality"),
        ]

    def __str__(self):
        return self.name


class OrganisationUnit(models.Model):
    """A unit in the municipality's organisation tree: theme > domain > team."""

    class Level(models.TextChoices):
        THEME = "theme", _("Theme")
        DOMAIN = "domain", _("Domain")
        TEAM = "team", _("Team")

    PARENT_LEVEL = {Level.DOMAIN: Level.THEME, Level.TEAM: Level.DOMAIN}

    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="organisation_units",
    )
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_units",
        help_text=_("Handles complaints about this unit's staff (Awb 9:7), unless involved."),
    )
    active = models.BooleanField(_("in use"), default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("level"),
        FieldPanel("parent"),
        FieldPanel("municipality"),
        FieldPanel("manager"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "parent", "name"], name="unique_unit_name_per_parent"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        expected_parent = self.PARENT_LEVEL.get(self.level)
        if expected_parent is None and self.parent_id:
            raise ValidationError({"parent": _("A theme is the top of the tree and has no parent.")})
        if expected_parent and (self.parent is None or self.parent.level != expected_parent):
            raise ValidationError(
                {
                    "parent": _("A %(level)s is part of a %(parent)s.")
                    % {"level": self.get_level_display().lower(), "parent": self.Level(expected_parent).label.lower()}
                }
            )
        if self.parent_id and self.parent.municipality_id != self.municipality_id:
            raise ValidationError({"parent": _("The parent belongs to another municipality.")})
