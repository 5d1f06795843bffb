"""The public site's page types."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BODY_BLOCKS, QuickLinkBlock
from home.models.fields import optional_foreign_key


class HomePage(Page):
    """The start page of a municipality's complaint portal: one per Wagtail Site."""

    intro = models.TextField(_("introduction"), blank=True)
    complaint_title = models.CharField(_("complaint route title"), max_length=120, default=_("File a complaint"))
    complaint_text = models.TextField(_("complaint route text"), blank=True)
    complaint_page = optional_foreign_key(
        "wagtailcore.Page",
        _("complaint route target"),
        help_text=_("The page that starts a complaint: the complaint form, or the page explaining how."),
    )
    complaint_button_label = models.CharField(_("button text"), max_length=60, default=_("File a complaint"))
    quick_links = StreamField([("link", QuickLinkBlock())], verbose_name=_("quick links"), blank=True)
    body = StreamField(BODY_BLOCKS, verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("complaint_title"),
                FieldPanel("complaint_text"),
                FieldPanel("complaint_page"),
                FieldPanel("complaint_button_label"),
            ],
            heading=_("Route to filing a complaint"),
        ),
        FieldPanel("quick_links"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class InformationPage(Page):
    """A page of plain-language information, composed from blocks."""

    intro = models.TextField(_("introduction"), blank=True, help_text=_("One or two sentences shown in bold."))
    body = StreamField(BODY_BLOCKS, verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    show_in_menus_default = True
    template = "home/information_page.html"

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
