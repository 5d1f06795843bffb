"""Fictional partners of Lindenhaven for the demo directory.

One has no complaint arrangement in its contract and one has not reported last year's
figures, so the compliance report has something to show.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from partners.models import Partner, PartnerAnnualFigures, PartnerComplaintChannel, PartnerContract
from partners.seed_data import seed_topics

PARTNERS = [
    {
        "name": "Jeugdteam Lindenhaven",
        "slug": "jeugdteam-lindenhaven",
        "kind": Partner.Kind.CONTRACTED,
        "topics": ["jeugdhulp"],
        "description": "Helpt kinderen, jongeren en ouders met opvoeden en opgroeien.",
        "website": "https://jeugdteam.lindenhaven.example/",
        "procedure": "Bespreek uw klacht eerst met uw hulpverlener. Komt u er samen niet uit, dan behandelt de klachtenfunctionaris uw klacht binnen 6 weken.",
        "second_line": "childrens_ombudsman",
        "second_line_name": "De Kinderombudsman",
        "second_line_url": "https://www.kinderombudsman.nl/",
        "channels": [
            ("web_form", "https://jeugdteam.lindenhaven.example/klacht", "", ""),
            ("phone", "0599 123 400", "Werkdagen 9.00 tot 17.00 uur", ""),
        ],
        "arrangement": True,
        "figures": True,
    },
    {
        "name": "Thuiszorg De Linde",
        "slug": "thuiszorg-de-linde",
        "kind": Partner.Kind.CONTRACTED,
        "topics": ["wmo"],
        "description": "Hulp bij het huishouden en begeleiding thuis, in opdracht van de gemeente.",
        "website": "https://delinde-thuiszorg.example/",
        "procedure": "Bel of mail het klantenbureau. U krijgt binnen een week een reactie en binnen 4 weken een oplossing of een besluit.",
        "second_line": "disputes_committee",
        "second_line_name": "Geschillencommissie Zorg",
        "second_line_url": "https://www.degeschillencommissiezorg.nl/",
        "channels": [
            ("email", "klachten@delinde-thuiszorg.example", "", ""),
            ("phone", "0599 222 333", "Maandag tot en met vrijdag 8.30 tot 16.30 uur", ""),
        ],
        "arrangement": False,
        "figures": True,
    },
    {
        "name": "Werkbedrijf Lindenhaven-Oost",
        "slug": "werkbedrijf-lindenhaven-oost",
        "kind": Partner.Kind.JOINT_ARRANGEMENT,
        "topics": ["werk-en-inkomen"],
        "description": "Voert de bijstand en re-integratie uit voor vier gemeenten in de regio.",
        "website": "https://werkbedrijf-oost.example/",
        "procedure": "Het werkbedrijf behandelt klachten zelf, volgens de regels van de Algemene wet bestuursrecht.",
        "second_line": "national_ombudsman",
        "second_line_name": "Nationale ombudsman",
        "second_line_url": "https://www.nationaleombudsman.nl/",
        "channels": [
            ("web_form", "https://werkbedrijf-oost.example/klachten", "", ""),
            ("post", "Postbus 40\n9999 AA Lindenhaven", "", ""),
        ],
        "arrangement": True,
        "figures": False,
    },
    {
        "name": "Stichting Schuldhulp Samen",
        "slug": "stichting-schuldhulp-samen",
        "kind": Partner.Kind.SUBSIDISED,
        "topics": ["schuldhulp"],
        "description": "Vrijwilligers helpen inwoners hun administratie op orde te krijgen.",
        "website": "https://schuldhulpsamen.example/",
        "procedure": "Meld uw klacht bij de coördinator. Zij neemt binnen 5 werkdagen contact met u op.",
        "second_line": "complaints_committee",
        "second_line_name": "Klachtencommissie Schuldhulp Samen",
        "second_line_url": "",
        "channels": [("email", "coordinator@schuldhulpsamen.example", "", "")],
        "arrangement": True,
        "figures": True,
    },
    {
        "name": "Afvalbedrijf Groenrijk",
        "slug": "afvalbedrijf-groenrijk",
        "kind": Partner.Kind.CONTRACTED,
        "topics": ["afval"],
        "description": "Haalt het huisafval op en beheert de milieustraat.",
        "website": "https://groenrijk-afval.example/",
        "procedure": "Container niet geleegd? Meld het via de website of de app. Een klacht over een medewerker gaat via het klachtenformulier.",
        "second_line": "national_ombudsman",
        "second_line_name": "Nationale ombudsman",
        "second_line_url": "https://www.nationaleombudsman.nl/",
        "channels": [
            ("web_form", "https://groenrijk-afval.example/klacht", "", ""),
            ("phone", "0800 1234", "Dagelijks 8.00 tot 20.00 uur", "Gratis"),
        ],
        "arrangement": True,
        "figures": True,
    },
    {
        "name": "Belastingsamenwerking Noordoost",
        "slug": "belastingsamenwerking-noordoost",
        "kind": Partner.Kind.JOINT_ARRANGEMENT,
        "topics": ["belastingen"],
        "description": "Legt de gemeentelijke belastingen op en int ze, ook de WOZ-waarde.",
        "website": "https://belastingen-noordoost.example/",
        "procedure": "Bent u het niet eens met een aanslag? Dan maakt u bezwaar. Voor een klacht over de behandeling gebruikt u het klachtenformulier.",
        "second_line": "national_ombudsman",
        "second_line_name": "Nationale ombudsman",
        "second_line_url": "https://www.nationaleombudsman.nl/",
        "channels": [
            ("web_form", "https://belastingen-noordoost.example/klacht", "", ""),
            ("phone", "0599 555 000", "", ""),
        ],
        "arrangement": True,
        "figures": True,
    },
    {
        "name": "Taxi Regio Vervoer",
        "slug": "taxi-regio-vervoer",
        "kind": Partner.Kind.CONTRACTED,
        "topics": ["leerlingenvervoer", "wmo"],
        "description": "Rijdt het leerlingenvervoer en het Wmo-vervoer.",
        "website": "https://regiovervoer.example/",
        "procedure": "Meld een klacht over een rit binnen 2 weken. U krijgt binnen 10 werkdagen antwoord.",
        "second_line": "other",
        "second_line_name": "Geschillencommissie Openbaar Vervoer",
        "second_line_url": "",
        "channels": [
            ("email", "klachten@regiovervoer.example", "", ""),
            ("phone", "0599 777 888", "Werkdagen 7.00 tot 18.00 uur", ""),
        ],
        "arrangement": True,
        "figures": True,
    },
    {
        "name": "GGD Noordoost",
        "slug": "ggd-noordoost",
        "kind": Partner.Kind.PUBLIC_BODY,
        "topics": ["veiligheid-en-gezondheid", "jeugdhulp"],
        "description": "Zorgt voor de publieke gezondheid: vaccinaties, jeugdgezondheidszorg en hygiëne.",
        "website": "https://ggd-noordoost.example/",
        "procedure": "De klachtenfunctionaris zoekt samen met u naar een oplossing.",
        "second_line": "complaints_committee",
        "second_line_name": "Klachtencommissie GGD",
        "second_line_url": "",
        "channels": [
            ("web_form", "https://ggd-noordoost.example/klacht", "", ""),
            ("desk", "Stationsplein 2, Lindenhaven", "Werkdagen 9.00 tot 12.00 uur", ""),
        ],
        "arrangement": True,
        "figures": True,
    },
]


def seed_demo_partners():
    """Create the demo partners once; returns how many were made."""
    topics = seed_topics()
    if Partner.objects.exists():
        return 0
    today = timezone.localdate()
    with transaction.atomic():
        for index, data in enumerate(PARTNERS):
            data = dict(data)
            topic_slugs = data.pop("topics")
            channels = data.pop("channels")
            arrangement = data.pop("arrangement")
            figures = data.pop("figures")
            partner = Partner(published=True, **data)
            partner.channels = [
                PartnerComplaintChannel(kind=kind, value=value, opening_hours=hours, note=note, sort_order=order)
                for order, (kind, value, hours, note) in enumerate(channels)
            ]
            partner.contracts = [
                PartnerContract(
                    starts_on=datetime.date(today.year - 2, 1, 1),
                    ends_on=datetime.date(today.year + 2, 12, 31),
                    has_complaint_arrangement=arrangement,
                    arrangement_checked_on=datetime.date(today.year - 1, 3, 1) if arrangement else None,
                    contract_manager="P. de Contractbeheerder",
                    contract_manager_email="contractbeheer@lindenhaven.example",
                )
            ]
            partner.topics = [topics[slug] for slug in topic_slugs]
            partner.save()
            if figures:
                received = 12 + index * 5
                informal = received * 2 // 3
                PartnerAnnualFigures.objects.create(
                    partner=partner,
                    year=today.year - 1,
                    received=received,
                    resolved_informally=informal,
                    well_founded=(received - informal) // 2,
                    unfounded=received - informal - (received - informal) // 2,
                    by_nature={"bejegening": received // 2, "wachttijd": received - received // 2},
                    handling_notes="Meestal opgelost in een gesprek met de klant.",
                )
    return len(PARTNERS)
