"""The public figures page (Awb 9:12a): live figures of a complete year, small counts hidden, no personal data."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Site

from klachtformulieren.models import OmbudsmanRequest, Outcome
from klachtformulieren.reporting.annual import CrossTable
from klachtformulieren.reporting.pages import AnnualFiguresPage
from klachtformulieren.reporting.publication import (
    HIDDEN,
    HIDDEN_SIGN,
    choose_year,
    suppress,
    suppress_counts,
)
from tests.factories import (
    AnnualFiguresPageFactory,
    ComplaintKindFactory,
    MunicipalityFactory,
    OrganisationUnitFactory,
    PartnerFactory,
    UserFactory,
    at,
    bulk_cases,
    handled_case,
)

pytestmark = pytest.mark.django_db

IN_MARCH_2026 = at(2026, 3, 15)


@pytest.fixture
def figures_page(home_page, municipality):
    return AnnualFiguresPageFactory(parent=home_page, municipality=municipality)


def nl(text):
    """A source string as a Dutch visitor reads it."""
    with translation.override("nl"):
        return translation.gettext(text)


def table(rows):
    """A CrossTable from {row: {column: count}}."""
    columns = list(next(iter(rows.values())))
    cells = {(row, column): count for row, counts in rows.items() for column, count in counts.items()}
    return CrossTable(rows=list(rows), columns=columns, cells=cells)


def shown(suppressed):
    """What the visitor reads in each cell: the number, or 'x' (hidden)."""
    return {row.key: ["x" if cell.hidden else cell.value for cell in row.cells] for row in suppressed.rows}


def lines(suppressed):
    rows = [row.cells for row in suppressed.rows]
    return rows + [list(column) for column in zip(*rows, strict=True)]


# The suppression rule (what an outsider can work out: test_disclosure.py)


def test_counts_below_the_threshold_are_hidden_and_the_totals_stay_true():
    counts = table(
        {
            "Bejegening": {"gegrond": 2, "ongegrond": 13, "informeel": 20, "ingetrokken": 0},
            "Informatie": {"gegrond": 17, "ongegrond": 9, "informeel": 30, "ingetrokken": 0},
            "Termijnen": {"gegrond": 8, "ongegrond": 16, "informeel": 25, "ingetrokken": 0},
            "Privacy": {"gegrond": 11, "ongegrond": 12, "informeel": 14, "ingetrokken": 0},
        }
    )

    suppressed = suppress(counts, 5)

    assert not suppressed.totals_only
    assert shown(suppressed)["Bejegening"][0] == "x"
    assert all(row.cells[3].value == 0 for row in suppressed.rows)  # a column of zeros stays 0
    assert suppressed.column_totals == [38, 50, 89, 0]
    assert suppressed.total == 177
    assert [row.total for row in suppressed.rows] == [35, 56, 49, 37]


def test_a_hidden_cell_never_carries_its_number_and_all_look_the_same():
    rows = {"A": {"x": 1, "y": 18, "z": 20}, "B": {"x": 16, "y": 19, "z": 21}, "C": {"x": 17, "y": 19, "z": 22}}
    suppressed = suppress(table(rows), 5)

    hidden = [cell for row in suppressed.rows for cell in [*row.cells, row.total_cell] if cell.hidden]
    assert hidden and all(cell.value is None for cell in hidden)
    assert {(cell.mark, cell.shown, cell.spoken) for cell in hidden} == {(HIDDEN, HIDDEN_SIGN, "verborgen")}


def test_a_kind_with_few_complaints_keeps_its_total_and_hides_how_they_ended():
    # "2 complaints about privacy" is published (the total); how those two ended is not, and
    # cannot be worked out from the other rows and the totals.
    counts = table(
        {
            "Privacy": {"gegrond": 0, "ongegrond": 2, "open": 0},
            "Bejegening": {"gegrond": 6, "ongegrond": 7, "open": 8},
            "Informatie": {"gegrond": 9, "ongegrond": 10, "open": 11},
        }
    )

    suppressed = suppress(counts, 5)

    privacy = suppressed.rows[0]
    assert suppressed.totals_only or all(cell.hidden for cell in privacy.cells)
    assert privacy.total_cell.hidden or privacy.total == 2


def test_every_cell_of_an_outcome_with_few_complaints_is_hidden():
    counts = table(
        {
            "A": {"gegrond": 10, "ingetrokken": 1, "informeel": 20},
            "B": {"gegrond": 12, "ingetrokken": 0, "informeel": 25},
            "C": {"gegrond": 14, "ingetrokken": 0, "informeel": 23},
        }
    )

    suppressed = suppress(counts, 5)

    # Withdrawn totals 1, published with the outcomes: which kind it was is not to be seen.
    assert suppressed.totals_only or all(row.cells[1].hidden for row in suppressed.rows)
    assert suppressed.column_totals == [36, 1, 68]


def test_threshold_one_hides_nothing():
    counts = table({"A": {"x": 1, "y": 0}, "B": {"x": 2, "y": 3}})

    assert shown(suppress(counts, 1)) == {"A": [1, 0], "B": [2, 3]}


def test_complaints_per_partner_hide_small_counts_and_one_more():
    counts = table({"Afval BV": {"n": 2}, "Jeugdteam": {"n": 9}, "Thuiszorg": {"n": 12}})

    listed = suppress_counts(counts, 5)

    assert [(label, cell.value) for label, cell in listed.items] == [
        ("Afval BV", None),
        ("Jeugdteam", None),
        ("Thuiszorg", 12),
    ]
    assert listed.total.value == 23


def test_one_partner_with_few_complaints_hides_the_total_too():
    listed = suppress_counts(table({"Thuiszorg": {"n": 2}}), 5)

    assert listed.items[0][1].hidden and listed.total.hidden
    assert listed.items[0][1].shown == listed.total.shown == HIDDEN_SIGN


@pytest.mark.parametrize(
    ("requested", "year", "rejected"),
    [
        (None, 2025, False),
        ("", 2025, False),
        ("2024", 2024, False),
        ("2026", 2025, True),  # this year: not complete
        ("2031", 2025, True),  # the future
        ("2019", 2025, True),  # no cases
        ("twintig", 2025, True),
        ("2024.0", 2025, True),
        ("9" * 40, 2025, True),
    ],
)
def test_choose_year(requested, year, rejected):
    assert choose_year(requested, years=[2025, 2024], default=2025) == (year, rejected)


# The page


@pytest.fixture
def cases(municipality):
    """Cases in 2024, 2025 and 2026 (the current year when the clock says March 2026)."""
    kind = ComplaintKindFactory(municipality=municipality, name="Bejegening")
    theme = OrganisationUnitFactory(municipality=municipality, name="Samenleving", level="theme")
    domain = OrganisationUnitFactory(municipality=municipality, name="Inwoners", level="domain", parent=theme)
    team = OrganisationUnitFactory(municipality=municipality, name="Burgerzaken", level="team", parent=domain)
    handled_case(municipality, at(2024, 5, 1), outcome=Outcome.UNFOUNDED, decided=at(2024, 5, 20), kind=kind)
    for day in range(1, 7):
        handled_case(
            municipality,
            at(2025, 3, day),
            outcome=Outcome.RESOLVED_INFORMALLY,
            settled=at(2025, 3, day + 5),
            kind=kind,
            unit=team,
        )
    handled_case(
        municipality, at(2025, 6, 2), outcome=Outcome.WELL_FOUNDED, decided=at(2025, 6, 30), apology_offered=True
    )
    handled_case(municipality, at(2026, 2, 1))


@time_machine.travel(IN_MARCH_2026, tick=False)
def test_shows_the_last_complete_year_by_default(client, figures_page, cases):
    response = client.get(figures_page.url)

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.year == 2025
    assert figures.received == 7
    assert (figures.informal.count, figures.informal.base, figures.informal.percent) == (6, 7, 86)
    assert figures.apologies == 1
    assert response.context["years"] == [2025, 2024]  # never the current year
    html = response.content.decode()
    assert '<option value="2025" selected>' in html and '<option value="2024">' in html
    assert 'value="2026"' not in html
    assert 'role="alert"' not in html
    # Kind x outcome at domain level: 6 informal is shown, the single well-founded one is hidden.
    kind_table = figures.cross_tables[0].table
    assert [row.label for row in kind_table.rows] == ["Bejegening", nl("Not classified")]
    unit_table = figures.cross_tables[1].table
    assert [row.label for row in unit_table.rows] == ["Inwoners", nl("Not classified")]
    # 7 complaints: 6 informal, 1 well founded; the rows total 6 and 1, too few to publish per outcome.
    assert kind_table.has_hidden or kind_table.totals_only
    assert "&lt;5" not in html  # one sign for every hidden cell, "<5" no more


@time_machine.travel(IN_MARCH_2026, tick=False)
def test_a_visitor_chooses_another_complete_year(client, figures_page, cases):
    response = client.get(figures_page.url, {"jaar": "2024"})

    assert response.status_code == 200
    assert response.context["figures"].year == 2024
    assert response.context["figures"].received == 1
    assert not response.context["year_rejected"]
    assert '<option value="2024" selected>' in response.content.decode()


@time_machine.travel(IN_MARCH_2026, tick=False)
@pytest.mark.parametrize("requested", ["2026", "2027", "1999", "abc", "-1", "2025; DROP TABLE", "9" * 30])
def test_a_year_we_cannot_show_gives_the_default_year_and_a_notice(client, figures_page, cases, requested):
    response = client.get(figures_page.url, {"jaar": requested})

    assert response.status_code == 200
    assert response.context["figures"].year == 2025
    assert response.context["year_rejected"]
    assert 'role="alert"' in response.content.decode()


@time_machine.travel(IN_MARCH_2026, tick=False)
def test_a_fixed_year_is_shown_first(client, figures_page, cases):
    figures_page.year = 2024
    figures_page.save()

    response = client.get(figures_page.url)

    assert response.context["figures"].year == 2024
    assert response.context["years"] == [2025, 2024]


@time_machine.travel(IN_MARCH_2026, tick=False)
def test_the_fixed_year_must_have_ended(figures_page):
    figures_page.year = 2026

    with pytest.raises(ValidationError) as error:
        figures_page.full_clean()

    assert "year" in error.value.message_dict


@time_machine.travel(IN_MARCH_2026, tick=False)
def test_a_year_without_any_cases_shows_zeros_not_an_error(client, figures_page):
    response = client.get(figures_page.url)

    assert response.status_code == 200
    assert response.context["figures"].received == 0
    assert response.context["years"] == [2025]
    assert "<select" not in response.content.decode()  # nothing to choose


@time_machine.travel(IN_MARCH_2026, tick=False)
def test_only_the_pages_municipality_counts(client, figures_page, cases):
    handled_case(MunicipalityFactory(), at(2025, 4, 1))
    everyone = AnnualFiguresPageFactory(parent=figures_page.get_parent(), municipality=None)

    assert client.get(figures_page.url).context["figures"].received == 7
    assert client.get(everyone.url).context["figures"].received == 8


@time_machine.travel(IN_MARCH_2026, tick=False)
def test_the_page_shows_no_personal_data(client, figures_page, municipality):
    partner = PartnerFactory(name="Thuiszorg De Linde")
    secret = handled_case(
        municipality,
        at(2025, 9, 1),
        outcome=Outcome.WELL_FOUNDED,
        decided=at(2025, 9, 20),
        partner=partner,
        name="Zwanhilde Oosterbroek",
        email="zwanhilde@voorbeeld.example",
        phone="06-98765432",
        postal_address="Kwikstaartlaan 77",
        description="De buurman Ansfried Vlieland kreeg voorrang",
        conduct_involved="Baliemedewerker Gerbrich",
        person_complained_about="Gerbrich Tjalsma",
        findings="Bevinding Pimpelmees",
        decision_reasons="Oordeel Roodborst",
        lessons_learned="Les over Zwanhilde en de Grutto-procedure",
        improvements="Verbetering Boomklever",
    )
    secret.reference = "2025-987654"
    secret.save()
    OmbudsmanRequest.objects.create(
        municipality=municipality,
        received_on=datetime.date(2025, 10, 1),
        subject="Verzoek over Zwanhilde en de Kievit",
        ombudsman_reference="NO-2025-4242",
        notes="Notitie Tureluur",
    )

    html = client.get(figures_page.url).content.decode()

    assert "Thuiszorg De Linde" in html  # organisations are not people
    for personal in [
        "Zwanhilde",
        "Oosterbroek",
        "98765432",
        "Kwikstaart",
        "Ansfried",
        "Gerbrich",
        "Tjalsma",
        "Pimpelmees",
        "Roodborst",
        "Grutto",
        "Boomklever",
        "987654",
        "Kievit",
        "4242",
        "Tureluur",
    ]:
        assert personal not in html


@time_machine.travel(at(2027, 2, 1), tick=False)
def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(client, figures_page, municipality, settings):
    # The page's own queries: the page cache's one read (home/page_cache.py) is not the page's.
    settings.PAGE_CACHE = False

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(figures_page.url)
        assert response.status_code == 200
        return len(context)

    bulk_cases(municipality, 10, seed=11)
    queries()  # warm the site and page caches
    with_10 = queries()
    bulk_cases(municipality, 90, seed=12)
    queries()  # the new kinds and units emptied the page cache and the kept menu: warm them again
    with_100 = queries()

    assert with_10 == with_100 <= 25


# Editors and the demo


def test_editors_can_add_the_page_in_the_admin(client, home_page):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(f"/admin/pages/add/klachtformulieren/annualfigurespage/{home_page.pk}/")

    assert response.status_code == 200
    assert 'name="suppression_threshold"' in response.content.decode()


def test_the_demo_portal_has_a_figures_page_in_the_menu(client, root_page):
    call_command("seed_demo", stdout=io.StringIO())

    page = AnnualFiguresPage.objects.get(slug="klachten-in-cijfers")
    assert page.live and page.show_in_menus
    assert page.municipality.slug == "lindenhaven"
    assert page.get_parent().pk == Site.objects.get(is_default_site=True).root_page_id
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Klachten in cijfers" in response.content.decode()
