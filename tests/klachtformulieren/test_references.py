"""References: a per-year sequence without duplicates or gaps, also under concurrency."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.intake.services import register_complaint
from klachtformulieren.models import Complaint, ReferenceSequence


def submission(number=0):
    return ComplaintSubmission(
        name=f"Klager {number}",
        email="k@example.org",
        description="Niet teruggebeld.",
        conduct_date=timezone.localdate(),
    )


@pytest.mark.django_db
def test_references_count_up_per_year_and_restart_in_a_new_year(municipality):
    import datetime

    first = register_complaint(
        submission(), municipality=municipality, received_at=timezone.make_aware(datetime.datetime(2026, 12, 31, 23, 0))
    )
    second = register_complaint(
        submission(), municipality=municipality, received_at=timezone.make_aware(datetime.datetime(2027, 1, 1, 0, 30))
    )
    third = register_complaint(
        submission(), municipality=municipality, received_at=timezone.make_aware(datetime.datetime(2027, 1, 2, 9, 0))
    )

    assert [r.complaint.reference for r in (first, second, third)] == ["2026-000001", "2027-000001", "2027-000002"]


@pytest.mark.django_db
def test_a_failed_registration_leaves_no_gap(municipality, monkeypatch):
    from klachtformulieren.intake import services as intake

    register_complaint(submission(), municipality=municipality)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(intake, "_queue_intake_mails", broken)
    with pytest.raises(RuntimeError):
        register_complaint(submission(), municipality=municipality)
    monkeypatch.undo()
    last = register_complaint(submission(), municipality=municipality)

    assert Complaint.objects.count() == 2
    assert last.complaint.number == 2


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submissions_get_fifty_unique_references_without_gaps(root_page):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL, the production database (CI runs it)")
    from tests.factories import MunicipalityFactory

    municipality = MunicipalityFactory()
    barrier = threading.Barrier(50)
    errors = []

    def file_one(number):
        try:
            barrier.wait(timeout=30)
            register_complaint(submission(number), municipality=municipality)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file_one, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 51))
    assert Complaint.objects.values("reference").distinct().count() == 50
    assert ReferenceSequence.objects.get().last_number == 50
