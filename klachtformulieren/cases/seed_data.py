"""Seed data: starting lists of classifications, taken from published municipal practice.

A municipality starts from one of these and edits them in the admin (Snippets); nothing
in the code depends on their names.
"""

from klachtformulieren.models import ComplaintKind, OrganisationUnit

# Kinds of complaint as a municipality registers them (after Heerlen's annual report).
MUNICIPAL_KINDS = [
    "Bereikbaarheid (telefonisch of digitaal)",
    "Genomen besluit",
    "Afspraak niet nagekomen",
    "Onheuse bejegening",
    "Onduidelijke of onjuiste informatie",
    "Regelgeving",
    "Schending van privacy",
    "Trage of onvoldoende reactie op een verzoek",
    "Geen handhaving",
    "Overig",
]

# Kinds as a social service registers them (after a municipal social service's report).
SOCIAL_SERVICE_KINDS = [
    "Behandeltermijn",
    "Bejegening",
    "Beleid",
    "Doorverwijzing (over een contractpartner)",
    "Informatie",
    "Proactief (contact om escalatie te voorkomen)",
]


def seed_kinds(municipality, names, *, active=True, start=0):
    """Create the kinds that do not exist yet; returns them by name."""
    kinds = {}
    for offset, name in enumerate(names):
        kinds[name], _ = ComplaintKind.objects.get_or_create(
            municipality=municipality, name=name, defaults={"active": active, "sort_order": start + offset}
        )
    return kinds


def seed_organisation(municipality, tree):
    """Create a theme > domain > team tree from nested dicts/lists; returns teams by name."""
    teams = {}
    for theme_name, domains in tree.items():
        theme, _ = OrganisationUnit.objects.get_or_create(
            municipality=municipality, parent=None, name=theme_name, defaults={"level": OrganisationUnit.Level.THEME}
        )
        for domain_name, team_names in domains.items():
            domain, _ = OrganisationUnit.objects.get_or_create(
                municipality=municipality,
                parent=theme,
                name=domain_name,
                defaults={"level": OrganisationUnit.Level.DOMAIN},
            )
            for team_name in team_names:
                teams[team_name], _ = OrganisationUnit.objects.get_or_create(
                    municipality=municipality,
                    parent=domain,
                    name=team_name,
                    defaults={"level": OrganisationUnit.Level.TEAM},
                )
    return teams
