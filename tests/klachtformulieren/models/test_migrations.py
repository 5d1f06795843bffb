"""The data migrations of the step registry, on cases written by the code before it."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from klachtformulieren.correspondence.texts import default_text

BEFORE = [("klachtformulieren", "0006_annual_figures_page")]
AFTER = [("klachtformulieren", "0009_valid_case_states")]
RECEIVED = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_step_moves_out_of_the_change_reason_and_a_reopened_case_is_open():
    apps = migrate(BEFORE)
    Municipality = apps.get_model("klachtformulieren", "Municipality")
    Complaint = apps.get_model("klachtformulieren", "Complaint")
    History = apps.get_model("klachtformulieren", "HistoricalComplaint")
    municipality = Municipality.objects.create(name="Proefdorp", slug="proefdorp")
    # As the old workflow left a case that was decided and then reopened by the ombudsman.
    reopened = Complaint.objects.create(
        reference="2026-000001", year=2026, number=1, municipality=municipality, received_at=RECEIVED,
        name="A", description="B", conduct_date=RECEIVED.date(), status_token_hash="x" * 64,
        status="handling", outcome="unfounded",
    )  # fmt: skip
    fields = {
        field.attname: getattr(reopened, field.attname)
        for field in Complaint._meta.concrete_fields
        if field.attname != "status_token_hash"
    }
    for history_id, (kind, reason) in enumerate(
        [("+", "register_received: phone"), ("~", "decide: Ongegrond, want: zo"), ("~", "assign_handler"), ("~", "")],
        start=1,
    ):
        History.objects.create(
            **fields, history_id=history_id, history_date=RECEIVED, history_type=kind, history_change_reason=reason
        )

    apps = migrate(AFTER)

    History = apps.get_model("klachtformulieren", "HistoricalComplaint")
    records = list(History.objects.order_by("history_id").values_list("history_step", "history_change_reason"))
    assert records == [("", ""), ("decide", "Ongegrond, want: zo"), ("assign_handler", ""), ("", "")]
    case = apps.get_model("klachtformulieren", "Complaint").objects.get()
    assert (case.status, case.outcome) == ("handling", "")

    apps = migrate(BEFORE)

    History = apps.get_model("klachtformulieren", "HistoricalComplaint")
    reasons = list(History.objects.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[1:3] == ["decide: Ongegrond, want: zo", "assign_handler"]
    migrate(AFTER)


PLAIN_BEFORE = [("klachtformulieren", "0022_incoming_mail_notice")]
PLAIN_AFTER = [("klachtformulieren", "0023_plain_language_texts")]
plain_language_texts = importlib.import_module("klachtformulieren.migrations.0023_plain_language_texts")


@pytest.mark.django_db(transaction=True)
def test_a_saved_decision_text_that_was_the_old_default_becomes_the_plain_one_and_an_edited_one_stays():
    apps = migrate(PLAIN_BEFORE)
    Municipality = apps.get_model("klachtformulieren", "Municipality")
    MailTemplate = apps.get_model("klachtformulieren", "MailTemplate")
    municipality = Municipality.objects.create(name="Proefdorp", slug="proefdorp")
    unchanged = MailTemplate.objects.create(
        kind="decision", subject=plain_language_texts.SUBJECT, body=plain_language_texts.OLD_BODY
    )
    edited_body = plain_language_texts.OLD_BODY.replace("Met vriendelijke groet", "Hartelijke groet")
    edited = MailTemplate.objects.create(
        municipality=municipality, kind="decision", subject=plain_language_texts.SUBJECT, body=edited_body
    )

    apps = migrate(PLAIN_AFTER)

    MailTemplate = apps.get_model("klachtformulieren", "MailTemplate")
    assert "Ons oordeel: {uitkomst}. {uitleg_uitkomst}" in MailTemplate.objects.get(pk=unchanged.pk).body
    assert MailTemplate.objects.get(pk=edited.pk).body == edited_body

    apps = migrate(PLAIN_BEFORE)

    assert apps.get_model("klachtformulieren", "MailTemplate").objects.get(pk=unchanged.pk).body == (
        plain_language_texts.OLD_BODY
    )
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_migration_knows_the_texts_as_shipped():
    with override_settings(LANGUAGE_CODE="nl"):
        assert default_text("decision") == (plain_language_texts.SUBJECT, plain_language_texts.NEW_BODY)
