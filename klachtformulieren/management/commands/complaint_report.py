"""The annual report of one year on the command line: JSON, CSV or XLSX."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from klachtformulieren.models import Municipality
from klachtformulieren.reporting import exports as report_exports
from klachtformulieren.reporting.annual import UNIT_DEPTHS, annual_report

FORMATS = {"json": report_exports.as_json, "csv": report_exports.as_csv, "xlsx": report_exports.as_xlsx}


class Command(BaseCommand):
    help = "Print or write the annual complaint report of a year (Awb 9:12a). See docs/reporting.md."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--municipality", metavar="SLUG", help="one municipality (default: all of this install)")
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument("--unit-depth", choices=UNIT_DEPTHS, default="domain")
        parser.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")

    def handle(self, *args, year, municipality, format, unit_depth, output, **options):
        if not 1900 <= year <= timezone.localdate().year:
            raise CommandError(f"--year {year}: choose a year between 1900 and this year.")
        chosen = None
        if municipality:
            chosen = Municipality.objects.filter(slug=municipality).first()
            if chosen is None:
                known = ", ".join(Municipality.objects.values_list("slug", flat=True)) or "none"
                raise CommandError(f"--municipality {municipality!r} does not exist (known: {known}).")
        report = annual_report(year, chosen, unit_depth=unit_depth)
        content = FORMATS[format](report)
        if isinstance(content, str):
            content = content.encode("utf-8")
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"Report {year} written to {output} ({len(content)} bytes).")
        elif format == "xlsx":
            raise CommandError("XLSX is binary: use --output FILE.")
        else:
            self.stdout.write(
                content.decode("utf-8").removeprefix("\ufeff"), ending="" if content.endswith(b"\n") else "\n"
            )
