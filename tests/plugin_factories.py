"""Factories for the plugin apps' models (klachtformulieren, partners): nothing of the reference
portal's ``home``, so the plugin's tests run in any host site (.ci/install_check.sh)."""

import datetime
import io
import itertools
import random

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.documents import get_document_model

from klachtformulieren.cases import references, workflow
from klachtformulieren.intake.pages import ComplaintFormPage
from klachtformulieren.intake.spam import form_started_token
from klachtformulieren.intake.status import new_status_token
from klachtformulieren.models import Channel, Complaint, ComplaintKind, Municipality, OrganisationUnit, Outcome, Status
from klachtformulieren.reporting.pages import AnnualFiguresPage
from klachtformulieren.route_finder.pages import RouteFinderPage


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True


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
    """A case as registered; with ``outcome`` (and ``decided_at``, ``closed_at``) or with
    ``status`` intake or handling, it is brought there by the workflow's in-memory steps, so a
    test case is always in a state the workflow can produce."""

    municipality = factory.SubFactory(MunicipalityFactory)
    received_at = factory.LazyFunction(timezone.now)
    year = factory.LazyAttribute(lambda complaint: timezone.localtime(complaint.received_at).year)
    number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda complaint: references.format_reference(complaint.year, complaint.number))
    name = "J. de Klager"
    email = "klager@example.org"
    description = "De medewerker was onvriendelijk."
    conduct_date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 11, 2))
    status_token_hash = factory.LazyFunction(lambda: new_status_token()[1])

    class Meta:
        model = Complaint

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        complaint = cls._build(model_class, *args, **kwargs)
        complaint.save()
        return complaint

    @classmethod
    def _build(
        cls, model_class, *args, status=Status.RECEIVED, outcome=None, decided_at=None, closed_at=None, **kwargs
    ):
        complaint = model_class(*args, **kwargs)
        if outcome is not None or status == Status.HANDLING:
            workflow.reach_outcome(complaint, outcome=outcome or "", decided_at=decided_at, closed_at=closed_at)
        elif status == Status.INTAKE:
            workflow.apply_record_intake(
                complaint, at=complaint.received_at, kind=complaint.kind, unit=complaint.unit, track=complaint.track
            )
        elif status != Status.RECEIVED:
            raise ValueError(f"Give the outcome that leads to {status}, not the status.")
        return complaint


def with_new_token(data):
    """The same answers with a start token of their own: each token can be sent once."""
    return {**data, "form_started": form_started_token(now=0)}


def at(year, month, day, hour=12):
    """A moment in the municipality's time zone."""
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_default_timezone())


def handled_case(municipality, received, *, outcome="", settled=None, decided=None, **fields):
    """A case as the workflow leaves it: the outcome ("" still being handled), decided at
    ``decided`` and closed or settled at ``settled``."""
    return ComplaintFactory(
        municipality=municipality,
        received_at=received,
        outcome=outcome,
        decided_at=decided,
        closed_at=settled,
        **fields,
    )


def bulk_cases(municipality, count, *, seed):
    """Many varied cases quickly (bulk_create): every kind, unit, channel and outcome."""
    rng = random.Random(seed)
    kinds = [ComplaintKindFactory(municipality=municipality, name=f"Soort {seed}-{n}") for n in range(4)]
    theme = OrganisationUnitFactory(municipality=municipality, name=f"Thema {seed}", level="theme")
    domains = [
        OrganisationUnitFactory(municipality=municipality, name=f"Domein {seed}-{n}", level="domain", parent=theme)
        for n in range(2)
    ]
    teams = [
        OrganisationUnitFactory(municipality=municipality, name=f"Team {seed}-{n}", level="team", parent=domain)
        for n, domain in enumerate(domains * 2)
    ]
    numbers = itertools.count(Complaint.objects.count() + 1)
    outcomes = [*Outcome.values, ""]
    cases = []
    for _ in range(count):
        received = at(rng.choice([2025, 2026]), rng.randint(1, 12), rng.randint(1, 28))
        outcome = rng.choice(outcomes)
        settled = received + datetime.timedelta(days=rng.randint(1, 120)) if outcome else None
        number = next(numbers)
        cases.append(
            ComplaintFactory.build(
                reference=f"T{seed}-{number:07d}",
                number=number,
                municipality=municipality,
                channel=rng.choice(Channel.values),
                received_at=received,
                name="X",
                description="Y",
                conduct_date=received.date(),
                kind=rng.choice([*kinds, None]),
                unit=rng.choice([*teams, *domains, None]),
                outcome=outcome,
                closed_at=settled,
                postponed_weeks=rng.choice([0, 0, 2]),
                apology_offered=rng.random() < 0.1,
            )
        )
        cases[-1].refresh_due_dates()
    Complaint.objects.bulk_create(cases)


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
    """A staff user in one of the role groups (klachtformulieren.cases.roles), working for ``municipalities``."""
    from django.contrib.auth.models import Group

    from klachtformulieren.cases.roles import ensure_roles, group_name

    ensure_roles()
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name(role)))
    for municipality in municipalities:
        municipality.staff.add(user)
    return user


def install_administrator(**kwargs):
    """Who sees every municipality's cases without being a superuser: a Beheerder granted
    ``administer_complaints`` by hand (the central administrator of a shared service)."""
    from django.contrib.auth.models import Permission

    from klachtformulieren.cases.roles import ADMINISTRATOR

    user = role_user(ADMINISTRATOR, **kwargs)
    user.user_permissions.add(Permission.objects.get(codename="administer_complaints"))
    return user


def handler_of(municipality, **kwargs):
    """A handler on the staff of ``municipality``: whom a case of it may be assigned to."""
    from klachtformulieren.cases.roles import HANDLER

    return role_user(HANDLER, municipalities=[municipality], **kwargs)


class AnnualFiguresPageFactory(wagtail_factories.PageFactory):
    title = "Klachten in cijfers"
    slug = factory.Sequence(lambda n: f"klachten-in-cijfers-{n}")
    intro = "<p>Hoeveel klachten kregen wij, en wat deden wij ermee?</p>"

    class Meta:
        model = AnnualFiguresPage


# The route finder (klachtwijzer): answers and where they lead.

OBJECTION_URL = "https://www.proefdorp.example/bezwaar"
REPORT_URL = "https://meldingen.proefdorp.example/"
POLICE_URL = "https://www.politie.example/"


def question(key, text, *options, hint=""):
    return {
        "type": "question",
        "value": {
            "key": key,
            "question": text,
            "hint": hint,
            "options": [{"label": label, "leads_to": [leads_to]} for label, leads_to in options],
        },
    }


def to_question(key):
    return {"type": "next_question", "value": key}


def to_complaint_form(page):
    return {"type": "complaint_form", "value": {"page": page.pk, "explanation": ""}}


def to_objection(page=None, url=OBJECTION_URL):
    explanation = "<p>Bent u het niet eens met een besluit? Maak binnen 6 weken bezwaar.</p>"
    return {"type": "objection", "value": {"page": page.pk if page else None, "url": url, "explanation": explanation}}


def to_report_system(url=REPORT_URL):
    return {"type": "public_space_report", "value": {"url": url, "explanation": ""}}


def to_partners(topic, directory):
    return {"type": "partner_topic", "value": {"topic": topic.pk, "directory": directory.pk, "explanation": ""}}


def to_other_organisation():
    explanation = (
        "<p>Stuurt u uw klacht toch naar ons? Dan sturen wij die door naar de politie en laten het u weten.</p>"
    )
    return {
        "type": "other_organisation",
        "value": {"name": "de politie", "explanation": explanation, "url": POLICE_URL},
    }


def municipal_route(complaint_form, directory, topic):
    """A typical klachtwijzer: every destination kind, one of them behind a second question."""
    return [
        question(
            "waarover",
            "Waarover gaat het?",
            ("Hoe een medewerker mij behandelde", to_complaint_form(complaint_form)),
            ("Een besluit van de gemeente", to_objection()),
            ("Iets op straat, zoals afval of een losse stoeptegel", to_report_system()),
            ("Zorg of hulp die een organisatie voor de gemeente geeft", to_question("welke-hulp")),
            ("Een andere organisatie, zoals de politie", to_other_organisation()),
            hint="Kies wat het beste past.",
        ),
        question(
            "welke-hulp",
            "Om welke hulp gaat het?",
            ("Jeugdhulp", to_partners(topic, directory)),
            ("Iets anders", to_complaint_form(complaint_form)),
        ),
    ]


class RouteFinderPageFactory(wagtail_factories.PageFactory):
    title = "Klachtwijzer"
    slug = factory.Sequence(lambda n: f"klachtwijzer-{n}")
    intro = "<p>Beantwoord een paar vragen. Dan weet u waar u terecht kunt.</p>"

    class Meta:
        model = RouteFinderPage
