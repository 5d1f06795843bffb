"""Import past complaint registrations from CSV or XLSX; see docs/import.md and complaints_import.py."""

import time

from django.core.management.base import BaseCommand, CommandError

from klachtformulieren.cases.references import format_ranges
from klachtformulieren.management.common import ProgressBar, find_municipality
from klachtformulieren.reporting.imports import DEFAULT_BATCH_SIZE, ImportRefused, import_complaints

ERRORS_SHOWN = 100


class Command(BaseCommand):
    help = (
        "Import past complaint registrations from CSV or XLSX (columns in docs/import.md). Every row is "
        "checked first; one bad row means nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", metavar="SLUG", help="The municipality (default: the only one).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument(
            "--create-missing", action="store_true", help="Create unknown kinds and organisation units."
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="Cases written per batch.")

    def handle(self, *args, file, municipality, dry_run, create_missing, batch_size, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        municipality = find_municipality(municipality)
        progress = ProgressBar(self.stderr) if verbosity > 0 and not dry_run else None
        started = time.monotonic()
        try:
            result = import_complaints(
                file,
                municipality=municipality,
                dry_run=dry_run,
                create_missing=create_missing,
                batch_size=batch_size,
                on_progress=progress.update if progress else None,
            )
        except ImportRefused as refused:
            shown = refused.errors[:ERRORS_SHOWN]
            if len(refused.errors) > ERRORS_SHOWN:
                shown.append(f"... and {len(refused.errors) - ERRORS_SHOWN:,} more.")
            raise CommandError("Nothing was imported:\n" + "\n".join(shown)) from refused
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        if progress:
            progress.finish()
        years = ", ".join(f"{year}: {count:,}" for year, count in result.by_year.items())
        verb = "Would create" if dry_run else "Created"
        if result.created_kinds:
            self.stdout.write(f"{verb} kinds of complaint: {', '.join(result.created_kinds)}.")
        if result.created_units:
            self.stdout.write(f"{verb} organisation units: {', '.join(result.created_units)}.")
        if dry_run:
            self.stdout.write(f"Would import {result.cases:,} cases for {municipality} ({years}). Nothing was written.")
            return
        references = format_ranges(result.references)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.cases:,} cases for {municipality} ({years}) in "
                f"{time.monotonic() - started:.1f} s. References: {references}."
            )
        )
