from django.core.management.base import BaseCommand, CommandError

from partners.figures_import import import_partner_figures
from partners.spreadsheet_reading import ImportRefused


class Command(BaseCommand):
    help = (
        "Import partners' annual complaint figures from CSV or XLSX; all rows are checked before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args, **options):
        try:
            result = import_partner_figures(options["file"], dry_run=options["dry_run"])
        except ImportRefused as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.errors)) from error
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(f"{verb}: {result.created} new, {result.updated} updated.")
