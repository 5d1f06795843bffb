"""What the bulk commands share: choosing the municipality and a progress bar."""

import time

from django.core.management.base import CommandError

from klachtformulieren.models import Municipality


def find_municipality(slug):
    if slug:
        found = Municipality.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No municipality with the short name {slug!r}.")
        return found
    municipalities = list(Municipality.objects.order_by("slug")[:10])
    if len(municipalities) == 1:
        return municipalities[0]
    if not municipalities:
        raise CommandError("There is no municipality yet: create one first (or run seed_demo).")
    raise CommandError(
        "Choose one with --municipality: " + ", ".join(municipality.slug for municipality in municipalities)
    )


class ProgressBar:
    """A one-line bar that redraws itself on a terminal; elsewhere (a log) a line per tenth.

    ``stream`` is the command's ``self.stderr`` (Django's OutputWrapper).
    """

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.interactive = stream.isatty()
        self.started = time.monotonic()
        self.last_tenth = -1

    def update(self, done, total):
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed else 0
        remaining = (total - done) / rate if rate else 0
        filled = self.WIDTH * done // total
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {100 * done // total:3d}% "
            f"{done:,}/{total:,} cases, {rate:,.0f}/s, {elapsed:.0f} s, about {remaining:.0f} s to go"
        )
        if self.interactive:
            self.write(f"\r{line}")
        elif 10 * done // total > self.last_tenth:
            self.last_tenth = 10 * done // total
            self.write(f"{line}\n")

    def finish(self):
        if self.interactive:
            self.write("\n")

    def write(self, text):
        # As it is: no newline added, and not in the red that stderr gets on a terminal.
        self.stream.write(text, style_func=str, ending="")
        self.stream.flush()
