"""Factories for every model the tests build: the plugin apps' (tests.plugin_factories) and the
reference portal's own pages and settings (``home``)."""

import factory
import wagtail_factories

from home.models import HomePage, InformationPage, MunicipalitySettings
from tests.plugin_factories import *  # noqa: F403 (one module to import every factory from)
from tests.plugin_factories import MunicipalityFactory


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Klachten over de gemeente"
    slug = factory.Sequence(lambda n: f"home-{n}")
    intro = "Niet goed geholpen? Laat het ons weten."
    complaint_title = "Een klacht indienen"
    complaint_text = "Vertel ons wat er gebeurde."
    complaint_button_label = "Klacht indienen"

    class Meta:
        model = HomePage


class InformationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Informatie {n}")
    slug = factory.Sequence(lambda n: f"informatie-{n}")
    intro = "Een korte inleiding."
    show_in_menus = True

    class Meta:
        model = InformationPage


class MunicipalitySettingsFactory(factory.django.DjangoModelFactory):
    municipality = factory.SubFactory(MunicipalityFactory)

    class Meta:
        model = MunicipalitySettings
