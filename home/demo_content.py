"""Demo content for the fictional municipality of Lindenhaven (Dutch, language level B1).

Plain data, so ``seed_demo`` stays a short routine and editors can read what the demo
portal says. Rich text is Wagtail's stored HTML.
"""

MUNICIPALITY = {
    "name": "Gemeente Lindenhaven",
    "slug": "lindenhaven",
    "phone": "14 0999",
    "contact_email": "info@lindenhaven.example",
    "postal_address": "Postbus 1200\n9999 ZZ Lindenhaven",
    "coordinators_email": "klachtencoordinatie@lindenhaven.example",
    "ombudsman_name": "Nationale ombudsman",
    "ombudsman_url": "https://www.nationaleombudsman.nl/",
    "ombudsman_term_months": 12,
}

SITE_SETTINGS = {"security_contact": "mailto:security@lindenhaven.example"}

# The organisation tree: themes made of domains made of teams.
ORGANISATION = {
    "Stad": {
        "Economie": ["Ondernemersloket", "Markten en evenementen"],
        "Ruimte": ["Vergunningen", "Openbare ruimte", "Handhaving"],
    },
    "Samenleving": {
        "Inwoners": ["Burgerzaken", "Werk en inkomen", "Schuldhulp"],
        "Gemeenschap": ["Wmo en jeugd", "Onderwijs en sport"],
    },
    "Bedrijfsvoering": {
        "Middelen": ["Belastingen", "Financiën"],
        "Organisatie": ["Klantcontactcentrum", "Communicatie", "Juridische zaken"],
    },
}

COMPLAINT_FORM = {
    "title": "Klacht indienen",
    "slug": "klacht-indienen",
    "intro": (
        "<p>Vertel ons wat er is gebeurd. Het invullen duurt ongeveer tien minuten. "
        "Na het versturen krijgt u meteen een kenmerk.</p>"
    ),
    "privacy_notice": (
        "<p>Wij gebruiken uw gegevens alleen om uw klacht te behandelen. Alleen de medewerkers die "
        "uw klacht behandelen, kunnen ze zien. Lees meer in onze privacyverklaring.</p>"
    ),
    "thank_you_text": "<p>Bedankt dat u de moeite neemt om ons dit te laten weten. Zo kunnen wij beter worden.</p>",
}

# A question editors added to the demo form, to show that the form builder works (always optional).
COMPLAINT_FORM_QUESTIONS = [
    {
        "label": "Hoe wilt u het liefst dat wij contact opnemen?",
        "field_type": "radio",
        "choices": "Telefoon\nE-mail\nBrief",
        "help_text": "",
    },
]

HOME = {
    "title": "Klachten over de gemeente",
    "slug": "lindenhaven",
    "seo_title": "Klacht indienen bij de gemeente Lindenhaven",
    "intro": (
        "Bent u niet goed geholpen door de gemeente? Laat het ons weten. "
        "Wij nemen elke klacht serieus en zoeken samen met u naar een oplossing."
    ),
    "complaint_title": "Een klacht indienen",
    "complaint_text": (
        "Vertel ons wat er gebeurde, wanneer en wie erbij betrokken was. Binnen 5 werkdagen nemen wij contact met u op."
    ),
    "complaint_button_label": "Klacht indienen",
}

WHAT_IS_A_COMPLAINT = {
    "title": "Wat is een klacht?",
    "slug": "wat-is-een-klacht",
    "intro": "U kunt klagen over hoe de gemeente of iemand die voor de gemeente werkt, met u is omgegaan.",
    "body": [
        {"type": "heading", "value": {"text": "Hierover kunt u klagen", "level": "h2"}},
        {
            "type": "text",
            "value": (
                "<p>Een klacht gaat over gedrag. Bijvoorbeeld:</p>"
                "<ul><li>een medewerker was onvriendelijk of luisterde niet naar u;</li>"
                "<li>u kreeg geen antwoord op uw brief of e-mail;</li>"
                "<li>u kreeg verkeerde of onduidelijke informatie;</li>"
                "<li>een afspraak werd niet nagekomen;</li>"
                "<li>u kon de gemeente niet bereiken.</li></ul>"
                "<p>Het maakt niet uit of het gaat om een medewerker van de gemeente of om een "
                "bedrijf dat werk doet voor de gemeente. U mag ook klagen namens iemand anders.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "Dit is geen klacht", "level": "h2"}},
        {
            "type": "faq",
            "value": {
                "question": "U bent het niet eens met een besluit",
                "answer": (
                    "<p>Heeft u een brief gekregen met een besluit, bijvoorbeeld over een vergunning "
                    "of een uitkering? En vindt u dat besluit niet goed? Dan maakt u bezwaar. "
                    "In de brief staat hoe dat gaat en hoeveel tijd u daarvoor heeft.</p>"
                ),
            },
        },
        {
            "type": "faq",
            "value": {
                "question": "Er is iets kapot of vies op straat",
                "answer": (
                    "<p>Ziet u een losse stoeptegel, een kapotte lantaarnpaal of afval op straat? "
                    "Dat is een melding, geen klacht. Doe een melding openbare ruimte, dan lossen wij "
                    "het zo snel mogelijk op.</p>"
                ),
            },
        },
        {
            "type": "faq",
            "value": {
                "question": "Uw klacht gaat over een andere organisatie",
                "answer": (
                    "<p>Gaat uw klacht over bijvoorbeeld de politie, de provincie of een ziekenhuis? "
                    "Dan sturen wij uw klacht door naar de juiste organisatie. Wij laten u weten "
                    "naar wie en waarom.</p>"
                ),
            },
        },
        {
            "type": "notice",
            "value": {
                "kind": "info",
                "title": "Twijfelt u?",
                "text": "<p>Dien uw klacht toch in. Wij kijken met u mee en zorgen dat uw vraag op de goede plek komt.</p>",
            },
        },
    ],
}

PROCEDURE = {
    "title": "Zo gaat het",
    "slug": "zo-gaat-het",
    "intro": "Zo behandelen wij uw klacht, stap voor stap. U weet steeds wat u van ons kunt verwachten.",
    "body": [
        {
            "type": "process_steps",
            "value": {
                "title": "De stappen",
                "steps": [
                    {
                        "title": "U dient uw klacht in",
                        "text": (
                            "<p>Dat kan via het formulier op deze website, per brief, per telefoon of aan "
                            "de balie. Wij vragen alleen wat nodig is: uw naam, uw adres of e-mailadres, "
                            "wat er gebeurde en wanneer.</p>"
                        ),
                    },
                    {
                        "title": "U krijgt een bevestiging",
                        "text": (
                            "<p>U krijgt een bericht dat wij uw klacht hebben ontvangen, met een "
                            "kenmerk. Daarmee kunt u ook zien hoe het met uw klacht staat.</p>"
                        ),
                    },
                    {
                        "title": "Wij nemen contact met u op",
                        "text": (
                            "<p>Binnen 5 werkdagen belt of mailt een klachtencoördinator u. Wij willen "
                            "goed begrijpen wat er is gebeurd en wat u graag wilt. Vaak is het probleem "
                            "dan al snel opgelost.</p>"
                        ),
                    },
                    {
                        "title": "Wij onderzoeken uw klacht",
                        "text": (
                            "<p>Is uw klacht niet meteen opgelost? Dan behandelt iemand die niet bij de "
                            "zaak betrokken was uw klacht. Wij praten met u en met de medewerker over "
                            "wie u klaagt. Dat heet horen.</p>"
                        ),
                    },
                    {
                        "title": "U krijgt een besluit",
                        "text": (
                            "<p>Binnen 6 weken na ontvangst krijgt u een brief. Daarin staat wat wij "
                            "hebben onderzocht, wat ons oordeel is en wat wij gaan doen.</p>"
                        ),
                    },
                ],
            },
        },
        {
            "type": "notice",
            "value": {
                "kind": "warning",
                "title": "Meer tijd nodig",
                "text": (
                    "<p>Soms hebben wij meer tijd nodig. Dan mogen wij de termijn één keer verlengen, "
                    "met hooguit 4 weken. Wij laten u dat vóór het einde van de 6 weken schriftelijk "
                    "weten, met de reden. Langer duurt het alleen als u het daar schriftelijk mee eens bent.</p>"
                ),
            },
        },
        {"type": "heading", "value": {"text": "Vragen over de procedure", "level": "h2"}},
        {
            "type": "faq",
            "value": {
                "question": "Kost een klacht indienen geld?",
                "answer": "<p>Nee. Een klacht indienen is gratis.</p>",
            },
        },
        {
            "type": "faq",
            "value": {
                "question": "Kan iemand anders de klacht voor mij indienen?",
                "answer": (
                    "<p>Ja. Een familielid, een vriend of een hulpverlener mag namens u klagen. "
                    "Vermeld dan wie de klacht indient en voor wie.</p>"
                ),
            },
        },
        {
            "type": "faq",
            "value": {
                "question": "Wanneer behandelen wij een klacht niet?",
                "answer": (
                    "<p>Bijvoorbeeld als wij dezelfde klacht al eerder hebben behandeld, als wat er "
                    "gebeurde langer dan een jaar geleden is, of als u bezwaar kunt maken. Dat laten "
                    "wij u binnen 4 weken schriftelijk weten.</p>"
                ),
            },
        },
        {
            "type": "contact",
            "value": {
                "title": "Hulp nodig bij uw klacht?",
                "text": "Bel of mail de klachtencoördinatoren. Zij helpen u graag.",
                "phone": "",
                "email": "",
                "opening_hours": "Maandag tot en met vrijdag van 9.00 tot 17.00 uur",
            },
        },
    ],
}

DISAGREE = {
    "title": "Niet tevreden over de afhandeling?",
    "slug": "niet-tevreden",
    "intro": "Bent u het niet eens met hoe wij uw klacht hebben behandeld? Dan kunt u naar de ombudsman.",
    "body": [
        {
            "type": "text",
            "value": (
                "<p>De ombudsman is onafhankelijk. Hij kijkt of de gemeente u netjes heeft behandeld. "
                "U kunt pas naar de ombudsman als u eerst bij ons heeft geklaagd en u van ons een "
                "besluit over uw klacht heeft gekregen.</p>"
                "<p>Doe dit binnen een jaar nadat u ons besluit heeft gekregen. Tegen het besluit over "
                "een klacht kunt u geen bezwaar maken of in beroep gaan.</p>"
            ),
        },
        {
            "type": "call_to_action",
            "value": {
                "title": "Naar de Nationale ombudsman",
                "text": "Op de website van de Nationale ombudsman leest u hoe u daar een klacht indient.",
                "link": {
                    "page": None,
                    "external_url": "https://www.nationaleombudsman.nl/",
                    "label": "Website van de Nationale ombudsman",
                },
            },
        },
        {
            "type": "notice",
            "value": {
                "kind": "info",
                "title": "Gaat het over zorg voor kinderen of jongeren?",
                "text": "<p>Dan kunt u ook terecht bij de Kinderombudsman.</p>",
            },
        },
    ],
}

PRIVACY = {
    "title": "Privacyverklaring",
    "slug": "privacy",
    "show_in_menus": False,
    "intro": "Hier leest u wat wij doen met de gegevens die u ons geeft als u een klacht indient.",
    "body": [
        {"type": "heading", "value": {"text": "Welke gegevens wij vragen", "level": "h2"}},
        {
            "type": "text",
            "value": (
                "<p>Wij vragen alleen wat nodig is om uw klacht te behandelen: uw naam, uw adres of "
                "e-mailadres, wat er gebeurde en wanneer. Uw telefoonnummer is niet verplicht, maar "
                "helpt ons om u snel te bellen. Wij vragen nooit uw burgerservicenummer.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "Wie uw gegevens ziet", "level": "h2"}},
        {
            "type": "text",
            "value": (
                "<p>Alleen de medewerkers die uw klacht behandelen. De medewerker over wie u klaagt, "
                "krijgt een kopie van uw klacht. Zo kan die reageren.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "Hoe lang wij uw gegevens bewaren", "level": "h2"}},
        {
            "type": "text",
            "value": (
                "<p>Wij bewaren een afgehandelde klacht 5 jaar. Ging de klacht daarna naar de "
                "ombudsman, dan 10 jaar. Hebben wij de klacht niet in behandeling genomen, dan 1 jaar. "
                "Daarna verwijderen wij uw gegevens. Alleen anonieme aantallen blijven over voor het "
                "jaarverslag.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "Uw rechten", "level": "h2"}},
        {
            "type": "text",
            "value": (
                "<p>U mag vragen welke gegevens wij van u hebben, en of wij die verbeteren of "
                "verwijderen. U krijgt binnen een maand antwoord.</p>"
            ),
        },
        {
            "type": "contact",
            "value": {
                "title": "Vragen over privacy",
                "text": "",
                "phone": "",
                "email": "privacy@lindenhaven.example",
                "opening_hours": "",
            },
        },
    ],
}

ACCESSIBILITY = {
    "title": "Toegankelijkheidsverklaring",
    "slug": "toegankelijkheid",
    "show_in_menus": False,
    "intro": "Iedereen moet deze website kunnen gebruiken. Ook mensen met een beperking.",
    "body": [
        {
            "type": "text",
            "value": (
                "<p>Wij bouwen deze website volgens de richtlijnen WCAG 2.1, niveau AA. Zo werkt de "
                "website met alleen een toetsenbord, met een schermlezer en op een telefoon. Elke "
                "nieuwe versie testen wij automatisch op toegankelijkheid.</p>"
            ),
        },
        {
            "type": "notice",
            "value": {
                "kind": "info",
                "title": "Loopt u toch tegen een probleem aan?",
                "text": "<p>Laat het ons weten. Wij helpen u dan op een andere manier en lossen het probleem op.</p>",
            },
        },
        {
            "type": "contact",
            "value": {"title": "Een probleem melden", "text": "", "phone": "", "email": "", "opening_hours": ""},
        },
    ],
}

INFORMATION_PAGES = [WHAT_IS_A_COMPLAINT, PROCEDURE, DISAGREE, PRIVACY, ACCESSIBILITY]

# The home page's quick links, by slug of the pages above.
QUICK_LINKS = [
    ("wat-is-een-klacht", "Waarover kunt u klagen, en wanneer gaat het om iets anders?"),
    ("zo-gaat-het", "Van bevestiging tot besluit: wat u van ons kunt verwachten."),
    ("niet-tevreden", "Naar de ombudsman als u het niet eens bent met de afhandeling."),
]

# Demo staff accounts, only created with DEBUG on (never in production).
DEMO_STAFF = [
    {
        "username": "beheerder",
        "password": "demo-beheerder-2026",
        "superuser": True,
        "groups": ["Beheerders"],
        "role": "beheerder",
    },
    {
        "username": "coordinator",
        "password": "demo-coordinator-2026",
        "superuser": False,
        "groups": ["Klachtcoördinatoren"],
        "role": "coördinator",
        "first_name": "Carla",
        "last_name": "Coördinator",
    },
    {
        "username": "behandelaar",
        "password": "demo-behandelaar-2026",
        "superuser": False,
        "groups": ["Klachtbehandelaars"],
        "role": "behandelaar",
        "first_name": "Bram",
        "last_name": "Behandelaar",
    },
    {
        "username": "redacteur",
        "password": "demo-redacteur-2026",
        "superuser": False,
        "groups": ["Redacteuren"],
        "role": "redacteur",
    },
]

PARTNER_DIRECTORY = {
    "title": "Organisaties die voor ons werken",
    "slug": "organisaties",
    "intro": (
        "<p>Veel taken van de gemeente voeren andere organisaties uit, zoals jeugdhulp, thuiszorg en "
        "het ophalen van afval. Hier leest u waar u bij die organisaties terechtkunt met een klacht. "
        "De gemeente blijft verantwoordelijk: wordt u daar niet goed geholpen, dan helpen wij u verder.</p>"
    ),
}

ROUTE_FINDER = {
    "title": "Klachtwijzer: waar kunt u terecht?",
    "slug": "klachtwijzer",
    "intro": "<p>Beantwoord een paar korte vragen. Dan weet u meteen waar u met uw probleem terechtkunt.</p>",
}


ANNUAL_FIGURES = {
    "title": "Klachten in cijfers",
    "slug": "klachten-in-cijfers",
    "intro": (
        "<p>Elk jaar laten wij zien hoeveel klachten wij kregen en wat wij ermee deden. "
        "Zo kunt u zien hoe wij met klachten omgaan en waar wij beter kunnen worden. "
        "De cijfers komen rechtstreeks uit onze klachtenregistratie. Er staan geen namen of andere "
        "persoonlijke gegevens in.</p>"
    ),
}


def route_finder_steps(*, complaint_form, directory, topics):
    """The demo klachtwijzer: every kind of destination, partner care behind a second question."""

    def option(label, leads_to):
        return {"label": label, "leads_to": [leads_to]}

    def to_partners(slug):
        return {
            "type": "partner_topic",
            "value": {"topic": topics[slug].pk, "directory": directory.pk, "explanation": ""},
        }

    to_form = {"type": "complaint_form", "value": {"page": complaint_form.pk, "explanation": ""}}
    return [
        {
            "type": "question",
            "value": {
                "key": "waarover",
                "question": "Waar gaat uw probleem over?",
                "hint": "Kies wat het beste past.",
                "options": [
                    option("Hoe een medewerker van de gemeente mij behandelde of hielp", to_form),
                    option(
                        "Een besluit van de gemeente, zoals een vergunning of een uitkering",
                        {
                            "type": "objection",
                            "value": {
                                "page": None,
                                "url": "https://www.lindenhaven.example/bezwaar",
                                "explanation": (
                                    "<p>Bent u het niet eens met een besluit? Dan maakt u bezwaar. Dat doet u binnen "
                                    "6 weken na de datum van het besluit. In de brief met het besluit staat hoe.</p>"
                                ),
                            },
                        },
                    ),
                    option(
                        "Iets op straat, zoals afval, een losse stoeptegel of een kapotte lamp",
                        {
                            "type": "public_space_report",
                            "value": {"url": "https://meldingen.lindenhaven.example/", "explanation": ""},
                        },
                    ),
                    option(
                        "Zorg, hulp of een dienst die een organisatie voor de gemeente uitvoert",
                        {"type": "next_question", "value": "welke-hulp"},
                    ),
                    option(
                        "Een andere organisatie, zoals de politie of de provincie",
                        {
                            "type": "other_organisation",
                            "value": {
                                "name": "",
                                "explanation": (
                                    "<p>Klaag bij de organisatie zelf. Komt uw klacht toch bij ons binnen? Dan sturen wij "
                                    "hem door naar de juiste organisatie en laten wij u weten naar wie.</p>"
                                ),
                                "url": "",
                            },
                        },
                    ),
                ],
            },
        },
        {
            "type": "question",
            "value": {
                "key": "welke-hulp",
                "question": "Om welke hulp of dienst gaat het?",
                "hint": "",
                "options": [
                    option("Jeugdhulp", to_partners("jeugdhulp")),
                    option("Hulp of begeleiding thuis (Wmo)", to_partners("wmo")),
                    option("Werk of een uitkering", to_partners("werk-en-inkomen")),
                    option("Het ophalen van afval", to_partners("afval")),
                    option("Iets anders", to_form),
                ],
            },
        },
    ]
