from django.db import migrations

OPEN = ["received", "intake", "handling"]


def reopened_cases_lose_their_outcome(apps, schema_editor):
    """A case handled again is open: its earlier outcome stays in its history only."""
    Complaint = apps.get_model("klachtformulieren", "Complaint")
    Complaint.objects.filter(status__in=OPEN).exclude(outcome="").update(outcome="", decided_at=None, closed_at=None)


class Migration(migrations.Migration):

    dependencies = [("klachtformulieren", "0007_step_registry")]

    operations = [
        migrations.RunPython(reopened_cases_lose_their_outcome, migrations.RunPython.noop),
    ]
