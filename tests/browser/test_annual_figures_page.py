"""The public figures page in a real browser: accessible, usable without JavaScript, nothing loaded from elsewhere."""

import pytest
from django.utils import timezone

from klachtformulieren.models import OmbudsmanRequest, Outcome
from tests.browser.axe import assert_no_axe_violations
from tests.factories import (
    AnnualFiguresPageFactory,
    ComplaintKindFactory,
    OrganisationUnitFactory,
    PartnerFactory,
    at,
    handled_case,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def figures_page(home_page, site):
    """The page with two complete years of cases: large and small counts, a partner, the ombudsman."""
    municipality = site.municipalitysettings.municipality
    year = timezone.localdate().year - 1
    kinds = [ComplaintKindFactory(municipality=municipality, name=name) for name in ("Bejegening", "Bereikbaarheid")]
    theme = OrganisationUnitFactory(municipality=municipality, name="Samenleving", level="theme")
    domain = OrganisationUnitFactory(municipality=municipality, name="Inwoners", level="domain", parent=theme)
    partner = PartnerFactory(name="Thuiszorg De Linde")
    for day in range(1, 13):
        handled_case(
            municipality,
            at(year, 2, day),
            outcome=Outcome.RESOLVED_INFORMALLY,
            settled=at(year, 2, day + 3),
            kind=kinds[day % 2],
            unit=domain,
        )
    handled_case(municipality, at(year, 5, 4), outcome=Outcome.WELL_FOUNDED, decided=at(year, 6, 1), kind=kinds[0])
    handled_case(municipality, at(year, 7, 1), outcome=Outcome.UNFOUNDED, decided=at(year, 7, 20), partner=partner)
    handled_case(municipality, at(year, 12, 20))
    handled_case(municipality, at(year - 1, 4, 1), outcome=Outcome.UNFOUNDED, decided=at(year - 1, 4, 30))
    OmbudsmanRequest.objects.create(municipality=municipality, received_on=at(year, 9, 1).date(), subject="-")
    return AnnualFiguresPageFactory(parent=home_page, municipality=municipality, show_in_menus=True)


def test_figures_page_has_no_axe_violations(page, figures_page):
    page.goto(figures_page.url)

    assert page.locator("h1").inner_text() == "Klachten in cijfers"
    assert page.locator("td.kp-table__hidden").count() > 0  # the hidden small counts are checked too
    assert_no_axe_violations(page)


def test_a_wrong_year_in_the_address_gives_the_notice_without_violations(page, figures_page):
    response = page.goto(f"{figures_page.url}?jaar=3000")

    assert response.status == 200
    assert page.get_by_role("alert").is_visible()
    assert_no_axe_violations(page)


def test_choosing_a_year_works_without_javascript(browser, live_server, figures_page):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    tab = context.new_page()
    last_year = timezone.localdate().year - 1
    tab.goto(figures_page.url)

    tab.locator("select#figures-year").select_option(str(last_year - 1))
    tab.locator("form.kp-figures__year-form button[type=submit]").click()
    tab.wait_for_url(f"**/?jaar={last_year - 1}")

    assert str(last_year - 1) in tab.locator("#figures-summary").inner_text()
    context.close()


def test_wide_tables_scroll_in_their_own_box_on_a_small_screen(page, figures_page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(figures_page.url)

    # WCAG 1.4.10: the page itself never scrolls sideways; a wide table scrolls in its box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = page.locator(".kp-table-scroll", has=page.locator("#figures-soort-caption"))
    assert box.evaluate("element => element.scrollWidth > element.clientWidth")
