"""The route finder (klachtwijzer); being written."""

from wagtail.models import Page


class RouteFinderPage(Page):
    class Meta:
        abstract = True
