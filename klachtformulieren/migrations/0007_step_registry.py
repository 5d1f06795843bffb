from django.db import migrations, models

# The step names as they stood when the step moved out of the change reason.
STEPS = {
    "record_intake", "not_handled", "refer", "assign_handler", "inform_person_complained_about",
    "plan_hearing", "waive_hearing", "record_hearing_report", "postpone", "log_contact",
    "resolve_informally", "decide", "withdraw", "close", "reopen", "record_lessons",
}


BATCH = 5000


def step_into_its_field(apps, schema_editor):
    """``"step: reason"`` in the change reason becomes the step in ``history_step`` and the
    reason alone; a staff registration's ``"register_received: <channel>"`` loses its prefix.
    In batches by id, so a history of millions of records never sits in memory at once."""
    HistoricalComplaint = apps.get_model("klachtformulieren", "HistoricalComplaint")
    with_reason = HistoricalComplaint.objects.exclude(history_change_reason=None).exclude(history_change_reason="")
    last = 0
    while True:
        batch = list(
            with_reason.filter(history_id__gt=last)
            .order_by("history_id")
            .only("history_id", "history_type", "history_change_reason")[:BATCH]
        )
        if not batch:
            return
        last = batch[-1].history_id
        changed = []
        for record in batch:
            step, _, reason = record.history_change_reason.partition(":")
            step = step.strip()
            if step in STEPS and record.history_type == "~":
                record.history_step, record.history_change_reason = step, reason.strip()
            elif step == "register_received" and record.history_type == "+":
                record.history_change_reason = ""
            else:
                continue
            changed.append(record)
        HistoricalComplaint.objects.bulk_update(changed, ["history_step", "history_change_reason"], batch_size=1000)


def step_back_into_the_reason(apps, schema_editor):
    """Undo: the step written before the reason again, as the code before this migration reads it."""
    HistoricalComplaint = apps.get_model("klachtformulieren", "HistoricalComplaint")
    last = 0
    while True:
        batch = list(
            HistoricalComplaint.objects.exclude(history_step="")
            .filter(history_id__gt=last)
            .order_by("history_id")
            .only("history_id", "history_step", "history_change_reason")[:BATCH]
        )
        if not batch:
            return
        last = batch[-1].history_id
        for record in batch:
            reason = record.history_change_reason or ""
            record.history_change_reason = f"{record.history_step}: {reason}"[:100] if reason else record.history_step
        HistoricalComplaint.objects.bulk_update(batch, ["history_change_reason"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [("klachtformulieren", "0006_annual_figures_page")]

    operations = [
        migrations.AddField(
            model_name='historicalcomplaint',
            name='history_step',
            field=models.CharField(blank=True, db_index=True, max_length=40, verbose_name='step'),
        ),
        migrations.RunPython(step_into_its_field, step_back_into_the_reason),
    ]
