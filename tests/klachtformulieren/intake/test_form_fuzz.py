"""Hypothesis throws a thousand generated inputs at the form page per run.

Whatever comes in: no server error, and nothing invalid is ever stored.
"""

import datetime

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtformulieren.intake.spam import form_started_token
from klachtformulieren.models import Complaint

pytestmark = pytest.mark.django_db

texts = st.text(max_size=300) | st.sampled_from(["", " ", "\x00", "<script>", "'; DROP TABLE x; --", "é" * 201])
dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)).map(
    lambda day: day.isoformat()
) | st.sampled_from(["", "31-02-2026", "2026-13-01", "gisteren", "02-11-2026", "0000-00-00"])
emails = st.emails().map(str) | texts

form_inputs = st.fixed_dictionaries(
    {
        "name": texts,
        "description": texts,
        "conduct_date": dates,
    },
    optional={
        "email": emails,
        "postal_address": texts,
        "phone": texts,
        "organisation_name": texts,
        "representative_name": texts,
        "conduct_date_end": dates,
        "conduct_involved": texts,
        "desired_outcome": texts,
        "website": st.just("") | texts,
    },
)


def stored_complaints_are_valid():
    for complaint in Complaint.objects.all():
        assert complaint.name.strip() and "\x00" not in complaint.name
        assert complaint.description.strip()
        assert complaint.email or complaint.postal_address.strip()
        assert complaint.conduct_date <= datetime.date.today()
        assert complaint.conduct_date_end is None or complaint.conduct_date_end >= complaint.conduct_date


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=form_inputs)
def test_generated_form_inputs_never_cause_a_server_error_or_store_invalid_data(client, form_page, data):
    cache.clear()  # the rate limit is tested elsewhere
    response = client.post(form_page.url, {**data, "form_started": form_started_token(0)})

    assert response.status_code in (200, 302)
    stored_complaints_are_valid()
