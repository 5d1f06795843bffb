"""Generate many realistic complaint cases with their history, for benchmarks and development.

What the cases look like and how references continue: see klachtformulieren/generator.py.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError

from klachtformulieren.bulk import generator
from klachtformulieren.cases.references import format_ranges
from klachtformulieren.management.common import ProgressBar, find_municipality


class Command(BaseCommand):
    help = (
        "Generate N fictional complaint cases with their history for one municipality (benchmarks, "
        "development): spread over the last years, every channel, kind, team and state. References "
        "continue each year's sequence; the intake continues after them. Never on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many cases to generate.")
        parser.add_argument(
            "--municipality",
            metavar="SLUG",
            help="The municipality (default: the only one). Without kinds or teams, a minimal set is created.",
        )
        parser.add_argument("--seed", type=int, help="Random seed, for the same cases again (default: random).")
        parser.add_argument(
            "--years", type=int, default=generator.DEFAULT_YEARS, help="Spread over this many years back from today."
        )
        parser.add_argument(
            "--batch-size", type=int, default=generator.DEFAULT_BATCH_SIZE, help="Cases written per batch."
        )

    def handle(self, *args, count, municipality, seed, years, batch_size, verbosity, **options):
        if count < 1 or years < 1 or batch_size < 1:
            raise CommandError("count, --years and --batch-size must be at least 1.")
        municipality = find_municipality(municipality)
        if seed is None:
            seed = random.SystemRandom().randrange(2**32)
        self.stdout.write(f"Generating {count:,} cases for {municipality} (seed {seed}).")
        progress = ProgressBar(self.stderr) if verbosity > 0 else None
        started = time.monotonic()
        result = generator.generate_complaints(
            count,
            municipality=municipality,
            seed=seed,
            years=years,
            batch_size=batch_size,
            on_progress=progress.update if progress else None,
        )
        if progress:
            progress.finish()
        for made in result.created:
            self.stdout.write(f"Created first: {made}.")
        references = format_ranges(result.references)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.cases:,} cases and {result.history_records:,} history records "
                f"in {time.monotonic() - started:.1f} s (seed {seed}). References: {references}."
            )
        )
