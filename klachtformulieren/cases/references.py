"""Case references: ``2026-000123``, the year of receipt and its number.

One format, one parser and one allocator, for the form, staff registration, the importer,
the generator and the demo. Numbers come from the year's ``ReferenceSequence``: the row is
locked until the surrounding transaction ends, so concurrent registrations get consecutive
numbers and a rolled-back one frees its number again (no duplicates, no gaps).
"""

import re

from django.db.models import Max
from django.utils import timezone

from klachtformulieren.models import Complaint, ReferenceSequence

PATTERN = re.compile(r"(\d{4})-(\d{6})")


def format_reference(year, number):
    return f"{year}-{number:06d}"


def format_ranges(ranges):
    """``{year: (first, last)}`` as "2025-000001..000120, 2026-000001..000007"."""
    return ", ".join(f"{format_reference(year, first)}..{last:06d}" for year, (first, last) in sorted(ranges.items()))


def parse_reference(text):
    """``(year, number)`` of a reference written exactly, or None."""
    match = PATTERN.fullmatch(text.strip())
    return (int(match[1]), int(match[2])) if match else None


def reserve(year, count=1, *, after=0):
    """Take the next ``count`` numbers of ``year`` (a range), after ``after`` if that is higher.

    Call it inside a transaction; callers that reserve for several years go in order of year,
    so two of them never wait for each other. Numbers already stored (a case written without
    the sequence) are never handed out again.
    """
    ReferenceSequence.objects.get_or_create(year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(year=year)
    stored = Complaint.objects.filter(year=year).aggregate(last=Max("number"))["last"] or 0
    first = max(sequence.last_number, stored, after) + 1
    sequence.last_number = first + count - 1
    sequence.save(update_fields=["last_number"])
    return range(first, first + count)


def next_number(year):
    """The number of one new case of ``year``."""
    return reserve(year).start


def allocate(received_at):
    """The reference, year and number of one new case received at ``received_at`` (the year
    of receipt in local time), as keyword arguments for ``Complaint``."""
    year = timezone.localtime(received_at).year
    number = next_number(year)
    return {"reference": format_reference(year, number), "year": year, "number": number}
