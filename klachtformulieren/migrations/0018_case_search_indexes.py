"""The case list's search indexes, built without locking the table (CONCURRENTLY): at a
million cases building them takes minutes, while complaints keep coming in."""

from django.db import migrations

# The case list's search (admin/filters.py ``search_condition``): case-insensitive "contains"
# on these columns, served on PostgreSQL by trigram indexes on the same expression Django's
# icontains compiles to (UPPER(column::text)). SQLite has no trigram index; it scans.
TRIGRAM_COLUMNS = ("name", "organisation_name", "email", "description")


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_{column}_trgm_idx ON klachtformulieren_complaint "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_phone_digits_trgm_idx ON klachtformulieren_complaint "
        "USING gin (phone_digits gin_trgm_ops)"
    )


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in (*TRIGRAM_COLUMNS, "phone_digits"):
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS complaint_{column}_trgm_idx")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("klachtformulieren", "0017_letter_drafts"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
