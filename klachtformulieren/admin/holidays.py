"""The days equated with holidays by Royal Decree (Atw art. 3 lid 3), in the Settings menu.

Only who may change the install's configuration sees it: a superuser, or a role granted the
model's permissions (``klachtformulieren.equatedholiday``). Saving or deleting a day moves every
term it touches at once (see ``models.holidays``); Wagtail logs who did it.
"""

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from klachtformulieren.models import EquatedHoliday


class WeekdayColumn(Column):
    def get_value(self, instance):
        return formats.date_format(instance.day, "l j F Y")


class EquatedHolidayViewSet(SnippetViewSet):
    model = EquatedHoliday
    icon = "date"
    menu_label = _("Days equated with holidays")
    add_to_settings_menu = True
    menu_order = 660
    list_display = [WeekdayColumn("day", label=_("Day"), sort_key="day"), "decree"]
    ordering = ["-day"]
    panels = [
        HelpPanel(
            content=_(
                "<p>A term that ends on a Saturday, Sunday or a generally recognised holiday runs on to the "
                "next working day (Algemene termijnenwet). Every few years a Royal Decree equates further "
                "days with those holidays, usually the Friday after Ascension Day. The known decrees are "
                "here already; add the days of a new decree when it is published.</p>"
            )
        ),
        FieldPanel("day"),
        FieldPanel("decree"),
    ]
