"""Factories for every model the tests build (factory-boy, wagtail-factories)."""

import io

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model

from home.models import HomePage, InformationPage, MunicipalitySettings
from klachtformulieren.models import Complaint, ComplaintFormPage, ComplaintKind, Municipality, OrganisationUnit
from klachtformulieren.status import new_status_token


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True


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


class MunicipalityFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: "Gemeente Proefdorp" if n == 0 else f"Gemeente Proefdorp {n}")
    slug = factory.Sequence(lambda n: f"proefdorp-{n}")
    phone = "14 0123"
    contact_email = "klachten@proefdorp.example"
    postal_address = "Postbus 1\n1234 AB Proefdorp"
    coordinators_email = "coordinatoren@proefdorp.example"

    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)


class MunicipalitySettingsFactory(factory.django.DjangoModelFactory):
    municipality = factory.SubFactory(MunicipalityFactory)

    class Meta:
        model = MunicipalitySettings


class ComplaintKindFactory(factory.django.DjangoModelFactory):
    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Soort {n}")

    class Meta:
        model = ComplaintKind


class OrganisationUnitFactory(factory.django.DjangoModelFactory):
    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    level = OrganisationUnit.Level.THEME

    class Meta:
        model = OrganisationUnit


class ComplaintFormPageFactory(wagtail_factories.PageFactory):
    title = "Klacht indienen"
    slug = factory.Sequence(lambda n: f"klacht-indienen-{n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    intro = "<p>Vertel ons wat er gebeurde.</p>"
    privacy_notice = "<p>Wij gebruiken uw gegevens alleen voor uw klacht.</p>"
    thank_you_text = "<p>Bedankt.</p>"

    class Meta:
        model = ComplaintFormPage


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A case as it exists after registration (without going through intake)."""

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2026
    number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda complaint: f"{complaint.year}-{complaint.number:06d}")
    name = "J. de Klager"
    email = "klager@example.org"
    description = "De medewerker was onvriendelijk."
    conduct_date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 11, 2))
    status_token_hash = factory.LazyFunction(lambda: new_status_token()[1])

    class Meta:
        model = Complaint


def png_bytes(size=(40, 30), colour=(29, 79, 145)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Afbeelding {n}")
    file = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="afbeelding.png"))


class DocumentFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Klachtenregeling {n}")
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n%demo\n", name="klachtenregeling.pdf"))

    class Meta:
        model = get_document_model()


def every_block_body(*, link_page, image, document):
    """A StreamField body that uses every block type communications staff have."""
    return [
        {"type": "heading", "value": {"text": "Waarover u kunt klagen", "level": "h2"}},
        {"type": "heading", "value": {"text": "Een voorbeeld", "level": "h3"}},
        {"type": "text", "value": "<p>Een medewerker was <b>onvriendelijk</b>.</p><ul><li>Eén</li><li>Twee</li></ul>"},
        {"type": "faq", "value": {"question": "Kost het geld?", "answer": "<p>Nee, het is gratis.</p>"}},
        {
            "type": "process_steps",
            "value": {
                "title": "Zo gaat het",
                "steps": [
                    {"title": "U dient uw klacht in", "text": "<p>Via het formulier.</p>"},
                    {"title": "Wij bellen u", "text": "<p>Binnen 5 werkdagen.</p>"},
                ],
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "title": "Meteen beginnen?",
                "text": "Het kost vijf minuten.",
                "link": {"page": link_page.pk, "external_url": "", "label": "Naar het formulier"},
            },
        },
        {
            "type": "contact",
            "value": {
                "title": "Vragen?",
                "text": "Wij helpen u.",
                "phone": "",
                "email": "",
                "opening_hours": "Werkdagen",
            },
        },
        {"type": "notice", "value": {"kind": "warning", "title": "Let op", "text": "<p>Bezwaar is iets anders.</p>"}},
        {"type": "document", "value": {"document": document.pk, "title": "De klachtenregeling"}},
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Een medewerker aan de balie", "caption": "De balie"},
        },
    ]


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Taak {n}")
    slug = factory.Sequence(lambda n: f"taak-{n}")

    class Meta:
        model = "partners.Topic"


class PartnerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Zorgaanbieder {n}")
    slug = factory.Sequence(lambda n: f"zorgaanbieder-{n}")
    kind = "contracted"
    description = "Helpt inwoners thuis."
    published = True
    procedure = "Bel ons; binnen een week hoort u van ons."
    second_line = "national_ombudsman"

    class Meta:
        model = "partners.Partner"


class PartnerContractFactory(factory.django.DjangoModelFactory):
    partner = factory.SubFactory(PartnerFactory)
    starts_on = factory.LazyFunction(lambda: __import__("datetime").date(2024, 1, 1))
    ends_on = factory.LazyFunction(lambda: __import__("datetime").date(2028, 12, 31))
    has_complaint_arrangement = True
    contract_manager = "Geheime Contractbeheerder"
    contract_manager_email = "contractbeheer-geheim@gemeente.example"

    class Meta:
        model = "partners.PartnerContract"


class PartnerAnnualFiguresFactory(factory.django.DjangoModelFactory):
    partner = factory.SubFactory(PartnerFactory)
    year = 2025
    received = 10
    resolved_informally = 10

    class Meta:
        model = "partners.PartnerAnnualFigures"


def role_user(role, *, municipalities=(), **kwargs):
    """A staff user in one of the role groups (klachtformulieren.roles), working for ``municipalities``."""
    from django.contrib.auth.models import Group

    from klachtformulieren.roles import ensure_roles

    ensure_roles()
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    for municipality in municipalities:
        municipality.staff.add(user)
    return user
