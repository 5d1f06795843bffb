"""References: a per-year sequence without duplicates or gaps, also under concurrency."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from klachtformulieren.cases import references
from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.intake.services import register_complaint
from klachtformulieren.models import Complaint, ReferenceSequence
from tests.factories import ComplaintFactory


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


@pytest.mark.parametrize(("year", "number"), [(2026, 1), (2026, 123), (1999, 999999)])
def test_a_reference_reads_back_as_its_year_and_number(year, number):
    assert references.parse_reference(references.format_reference(year, number)) == (year, number)


@pytest.mark.parametrize("text", ["2024-12", "2024-0000123", "24-000012", "2024/000012", "x2024-000012", ""])
def test_anything_but_a_reference_written_exactly_is_no_reference(text):
    assert references.parse_reference(text) is None


def test_the_allocator_never_hands_out_a_number_a_case_already_has(municipality):
    ComplaintFactory(municipality=municipality, received_at=timezone.now(), number=7)

    with transaction.atomic():
        taken = references.reserve(timezone.localdate().year, 2)

    assert list(taken) == [8, 9]
    assert ReferenceSequence.objects.get(year=timezone.localdate().year).last_number == 9


def test_the_allocator_continues_after_numbers_brought_along(municipality):
    with transaction.atomic():
        assert list(references.reserve(2025, 2, after=41)) == [42, 43]
        assert references.next_number(2025) == 44
