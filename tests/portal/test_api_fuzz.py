"""Generated requests against our API routes: no server errors, and every answer as documented.

Schemathesis reads /api/v3/openapi.json and generates valid and invalid requests for each of
our operations; they go in process to the Django WSGI application (no network, no server), on
a database with a site, a live complaint form, a figures page, a few partners and cases.
"""

import datetime
import math
import time

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, reject, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from klachtformulieren.intake import spam
from klachtformulieren.intake.status import new_status_token
from partners.models import PartnerComplaintChannel
from partners.pages import PartnerIndexPage
from portal.wsgi import application
from tests.factories import (
    AnnualFiguresPageFactory,
    ComplaintFactory,
    ComplaintFormPageFactory,
    ImageFactory,
    PartnerAnnualFiguresFactory,
    PartnerContractFactory,
    PartnerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

# Our routers. Not Wagtail's own page reads: Wagtail 8.0.1 documents only their 200 (they answer
# 400 and 422 to bad input) and answers some input with a 500: /pages/?offset= beyond 2**63,
# /pages/?search= with a NUL character, /pages/?locale= with one (PostgreSQL), and
# /pages/find/?html_path=x&site=a:b. Fuzz them again once Wagtail has fixed those.
OUR_ROUTES = r"^/api/v3/(partners|klachtformulieren)/"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
MINIMUM_REQUESTS = 1_000


@pytest.fixture
def connection_kept_between_requests():
    """Django closes the database connection after each request; the test's transaction lives on
    that connection, so, as Django's own test client does, it stays open while we fuzz."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_content(site, home_page):
    municipality = site.municipalitysettings.municipality
    complaint_form = ComplaintFormPageFactory(parent=home_page, municipality=municipality, slug="klacht-indienen")
    home_page.add_child(
        instance=PartnerIndexPage(title="Organisaties", slug="organisaties", complaint_page=complaint_form)
    )
    youth, waste = TopicFactory(slug="jeugdhulp"), TopicFactory(slug="afval")
    linde = PartnerFactory(slug="de-linde", topics=[youth], logo=ImageFactory(), second_line_url="https://x.example")
    PartnerComplaintChannel.objects.create(partner=linde, kind="phone", value="0599 222 333", opening_hours="Ma-vr")
    PartnerComplaintChannel.objects.create(partner=linde, kind="web_form", value="https://linde.example/klacht")
    PartnerContractFactory(partner=linde)
    PartnerAnnualFiguresFactory(partner=linde)
    PartnerFactory(slug="groenrijk", kind="joint_arrangement", topics=[waste], second_line="")
    PartnerFactory(slug="verborgen", published=False)
    AnnualFiguresPageFactory(parent=home_page, municipality=municipality)
    last_year = timezone.localdate().year - 1
    for month in range(1, 8):
        received_at = datetime.datetime(last_year, month, 3, 10, tzinfo=datetime.UTC)
        ComplaintFactory(municipality=municipality, year=last_year, received_at=received_at)
    token, token_hash = new_status_token()
    ComplaintFactory(municipality=municipality, status_token_hash=token_hash)
    return {"page_id": complaint_form.pk, "token": token, "slug": "de-linde"}


def our_operations():
    schema = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", application)
    return [result.ok() for result in schema.include(path_regex=OUR_ROUTES).get_all_operations()]


def fuzz(operation, mode, *, examples, sent, path_parameters=None):
    """Send up to ``examples`` generated requests to ``operation``, each one counted in ``sent``."""

    # derandomize: the same generated requests on every run, so CI never turns red by chance.
    @settings(
        max_examples=examples, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def send(case):
        cache.clear()  # rate-limit counters would turn later requests into 429s
        if path_parameters and isinstance(case.body, dict):
            # As a browser that loaded the form: a valid start time, the honeypot left empty and a
            # date picked, so that the other answers reach the form and, when valid, registration.
            case.body["form_started"] = spam.form_started_token()
            case.body["conduct_date"] = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
            case.body.pop("website", None)
        # Each request in its own savepoint, rolled back after: requests stay as independent as in
        # production, and a database error in one (PostgreSQL aborts the transaction) spoils no other.
        savepoint = transaction.savepoint()
        try:
            response = case.call()
        except Exception as error:
            # Schemathesis cannot serialise some generated bodies (a binary value inside a JSON
            # body: "Unsupported type: 'Binary'"); such a request is never sent, so skip it.
            if "Unsupported type" in str(error):
                reject()
            raise
        finally:
            transaction.savepoint_rollback(savepoint)
        sent.append(case.operation.label)
        case.validate_response(response, checks=CHECKS)

    send()


@pytest.mark.usefixtures("connection_kept_between_requests")
def test_generated_requests_cause_no_server_error_and_get_documented_answers(api_content):
    operations = our_operations()
    # Random ids and tokens mostly miss, so each operation with a path parameter also gets
    # valid requests for the real form, partner and complaint.
    with_real_ids = [
        (operation, {name: api_content[name] for name in names})
        for operation in operations
        if (names := {parameter.name for parameter in operation.path_parameters}) and names <= set(api_content)
    ]
    runs = [
        *((operation, mode, None) for operation in operations for mode in GenerationMode),
        *((operation, GenerationMode.POSITIVE, real_ids) for operation, real_ids in with_real_ids),
    ]
    # Hypothesis stops early on operations with little to vary, so each gets more than its share.
    examples = math.ceil(2 * MINIMUM_REQUESTS / len(runs))
    sent, failures, started = [], [], time.monotonic()

    for operation, mode, path_parameters in runs:
        try:
            fuzz(operation, mode, examples=examples, sent=sent, path_parameters=path_parameters)
        except Unsatisfiable:
            pass  # nothing about this operation can be invalid, e.g. one free-text path parameter
        except (Exception, BaseExceptionGroup) as failure:
            label = f"{operation.label} ({mode.value}{', real ids' if path_parameters else ''})"
            failures.append(f"{label}:\n{failure}")

    print(f"{len(sent)} requests to {len(operations)} operations in {time.monotonic() - started:.1f} s")
    assert not failures, "\n\n".join(failures)
    assert len(sent) >= MINIMUM_REQUESTS
    assert {operation.label for operation in operations} == set(sent)
    assert {"GET /api/v3/partners/", "GET /api/v3/partners/{slug}/"} < set(sent)
