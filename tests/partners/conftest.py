import pytest

from partners.pages import PartnerIndexPage
from tests.factories import ComplaintFormPageFactory


@pytest.fixture
def complaint_page(home_page, site_municipality):
    return ComplaintFormPageFactory(parent=home_page, municipality=site_municipality)


@pytest.fixture
def directory(home_page, complaint_page):
    page = PartnerIndexPage(title="Organisaties", slug="organisaties", complaint_page=complaint_page)
    home_page.add_child(instance=page)
    return page
