import datetime

import pytest

from klachtformulieren.intake.status import new_status_token
from tests.factories import ComplaintFactory, ComplaintFormPageFactory, MunicipalityFactory


@pytest.fixture
def municipality(db):
    return MunicipalityFactory()


@pytest.fixture
def form_page(home_page, municipality):
    return ComplaintFormPageFactory(parent=home_page, municipality=municipality)


@pytest.fixture
def valid_post():
    """The Awb 9:4 core and nothing else: what the law requires, and all the form requires."""
    from klachtformulieren.intake.spam import form_started_token

    return {
        "name": "Jan de Klager",
        "email": "jan@example.org",
        "description": "De medewerker aan de balie schreeuwde tegen mij.",
        "conduct_date": "2026-11-02",
        "form_started": form_started_token(now=0),  # shown long ago: never "too fast"
    }


@pytest.fixture
def file_complaint(client, django_capture_on_commit_callbacks):
    """POST the form as a browser does, running what happens after the commit (mail delivery)."""

    def post(page, data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(page.url, data, **kwargs)

    return post


@pytest.fixture
def complaint_with_token(site_municipality):
    """A case on the site's municipality and the secret of its status link."""
    token, token_hash = new_status_token()
    complaint = ComplaintFactory(
        municipality=site_municipality,
        status_token_hash=token_hash,
        received_at=datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC),
        phone="06 12345678",
        description="Geheim verhaal",
    )
    return complaint, token
