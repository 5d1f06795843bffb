"""Retention by the selection list (Selectielijst gemeenten 2020, process type 13): past its
date a case keeps nothing that names or describes a person, anywhere, while every report of
its year stays byte for byte what it was."""

import datetime
import io
import os
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from wagtail.log_actions import log

from klachtformulieren.cases import retention
from klachtformulieren.models import (
    Complaint,
    ComplaintAttachment,
    ContactMoment,
    DestroyedCase,
    InboundAttachment,
    InboundMailbox,
    InboundMessage,
    Notification,
    OmbudsmanRequest,
    Outcome,
)
from klachtformulieren.reporting.annual import annual_report
from klachtformulieren.reporting.exports import as_json
from tests.factories import AnnualFiguresPageFactory, ComplaintKindFactory, at, handled_case

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = at(2026, 12, 1)


def personal_case(municipality, tag, *, received, closed, outcome=Outcome.UNFOUNDED, **fields):
    """A closed case whose every personal trace carries ``tag``: the case, a history row, a
    mail, a contact moment, an attachment file, an audit entry."""
    decided = closed if outcome in (Outcome.UNFOUNDED, Outcome.WELL_FOUNDED) else None
    complaint = handled_case(
        municipality,
        received,
        outcome=outcome,
        decided=decided,
        settled=closed,
        name=f"Naam {tag}",
        email=f"{tag.lower()}@voorbeeld.nl",
        phone=f"06-{tag}",
        postal_address=f"Straat {tag} 1",
        description=f"Verhaal {tag}",
        desired_outcome=f"Wens {tag}",
        findings=f"Bevinding {tag}",
        person_complained_about=f"Medewerker {tag}",
        extra_answers=[{"question": "Nog iets?", "answer": f"Antwoord {tag}"}],
        hearing_location=f"Spreekkamer bij {tag}",
        hearing_attendees=f"Naam {tag}, de behandelaar",
        awaiting_complainant_for=f"Brief van {tag}",
        **fields,
    )
    complaint.description = f"Verhaal {tag}, aangevuld"
    complaint._change_reason = f"Gecorrigeerd na gesprek met {tag}"
    complaint.save()  # one more history row, with a reason that names the person
    Notification.objects.create(
        complaint=complaint,
        kind=Notification.Kind.ACKNOWLEDGEMENT,
        recipient=complaint.email,
        subject=f"Ontvangen, {tag}",
        body=f"Beste Naam {tag}, wij hebben uw klacht ontvangen.",
        state=Notification.State.SENT,
    )
    ContactMoment.objects.create(
        complaint=complaint, kind="phone", with_whom=f"Naam {tag}", summary=f"Belde {tag}", at=closed
    )
    attachment = ComplaintAttachment(
        complaint=complaint, name=f"{tag}.pdf", content_type="application/pdf", size=20, sha256="0" * 64
    )
    attachment.file.save(f"{tag}.pdf", ContentFile(f"%PDF-1.4 Bijlage {tag}".encode()), save=True)
    log(complaint, "klachtformulieren.view_case", data={"address": f"adres-{tag}"})
    reply = incoming_mail(municipality, tag, complaint=complaint, state=InboundMessage.State.ON_CASE, at=closed)
    reply_file = InboundAttachment(message=reply, name=f"foto-{tag}.pdf", content_type="application/pdf", size=20)
    reply_file.file.save(f"foto-{tag}.pdf", ContentFile(f"%PDF-1.4 Foto {tag}".encode()), save=True)
    return complaint


def incoming_mail(municipality, tag, *, state, at, complaint=None, handled=True):
    mailbox, _created = InboundMailbox.objects.get_or_create(
        municipality=municipality, protocol=InboundMailbox.Protocol.MAILDIR, path="/var/mail/klachten"
    )
    return InboundMessage.objects.create(
        mailbox=mailbox,
        municipality=municipality,
        source_key=f"key-{tag}",
        sender_name=f"Naam {tag}",
        sender_address=f"{tag.lower()}@voorbeeld.nl",
        subject=f"Nog iets van {tag}",
        text=f"Mail van {tag}",
        sent_at=at,
        fetched_at=at,
        handled_at=at if handled else None,
        state=state,
        complaint=complaint,
    )


def every_text_in_the_database():
    """Every value of every column of every table, as text."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the database itself
            texts.extend(str(value) for row in cursor.fetchall() for value in row if value is not None)
    return "\n".join(texts)


def every_file_in_media():
    """Every file under the public media root and the attachments' private storage."""
    contents = []
    private = ComplaintAttachment._meta.get_field("file").storage.location
    for root in {settings.MEDIA_ROOT, private}:
        for directory, _dirs, files in os.walk(root):
            contents.extend(Path(directory, name).read_bytes().decode("latin-1") + name for name in files)
    return "\n".join(contents)


@pytest.fixture
def world(municipality, home_page):
    kind = ComplaintKindFactory(municipality=municipality, name="Bejegening")
    with time_machine.travel(at(2020, 3, 1), tick=False):
        past = [
            personal_case(municipality, f"WEG{i}", received=at(2020, 2, i + 1), closed=at(2020, 5, i + 1), kind=kind)
            for i in range(3)
        ]
        on_hold = personal_case(
            municipality,
            "HOUDVAST",
            received=at(2020, 2, 10),
            closed=at(2020, 5, 10),
            kind=kind,
            retention_hold="Procedure bij de rechtbank loopt nog",
        )
        via_ombudsman = personal_case(municipality, "OMBUDS", received=at(2020, 2, 11), closed=at(2020, 5, 11))
        OmbudsmanRequest.objects.create(
            municipality=municipality, complaint=via_ombudsman, received_on=datetime.date(2020, 9, 1)
        )
    with time_machine.travel(at(2025, 3, 1), tick=False):
        within_term = personal_case(municipality, "BLIJFT", received=at(2025, 2, 1), closed=at(2025, 4, 1))
        not_handled = personal_case(
            municipality, "NIETBEH", received=at(2025, 3, 1), closed=at(2025, 6, 1), outcome=Outcome.NOT_HANDLED
        )
    page = AnnualFiguresPageFactory(parent=home_page, municipality=municipality)
    return {
        "municipality": municipality,
        "past": [*past, not_handled],
        "kept": {"HOUDVAST": on_hold, "OMBUDS": via_ombudsman, "BLIJFT": within_term},
        "page": page,
    }


def reports(client, world):
    """The annual report (JSON) and the figures page of the years concerned."""
    municipality = world["municipality"]
    return {
        year: (
            as_json(annual_report(year, municipality)),
            client.get(world["page"].url, {"jaar": str(year)}).content,
        )
        for year in (2020, 2025)
    }


@time_machine.travel(TODAY, tick=False)
def test_past_its_date_a_case_keeps_no_personal_data_anywhere_and_every_report_stays(client, world):
    before = reports(client, world)

    call_command("apply_retention", stdout=io.StringIO())

    database, media = every_text_in_the_database(), every_file_in_media()
    for complaint in world["past"]:
        tag = complaint.name.removeprefix("Naam ")
        for trace in (tag, tag.lower()):
            assert trace not in database, tag
            assert trace not in media, tag
    assert reports(client, world) == before
    assert {case.reference for case in DestroyedCase.objects.all()} == {case.reference for case in world["past"]}


@time_machine.travel(TODAY, tick=False)
def test_a_case_on_hold_within_its_term_or_via_the_ombudsman_is_untouched(client, world):
    call_command("apply_retention", stdout=io.StringIO())

    database, media = every_text_in_the_database(), every_file_in_media()
    for tag, complaint in world["kept"].items():
        kept = Complaint.objects.get(pk=complaint.pk)
        assert kept.destroyed_at is None and kept.name == f"Naam {tag}"
        assert f"Verhaal {tag}" in database and f"Bijlage {tag}" in media


@time_machine.travel(TODAY, tick=False)
def test_dry_run_lists_the_cases_and_changes_nothing(client, world):
    before = every_text_in_the_database()
    out = io.StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    assert every_text_in_the_database() == before
    assert {line.split("\t")[0] for line in out.getvalue().splitlines() if "\t" in line} == {
        case.reference for case in world["past"]
    }


@time_machine.travel(TODAY, tick=False)
def test_the_destruction_record_names_each_case_its_class_and_dates(world):
    due, record = retention.apply_retention()

    destroyed = {case.reference: case for case in record.cases.all()}
    first = destroyed[world["past"][0].reference]
    not_handled = destroyed[world["past"][-1].reference]
    assert (first.selection_class, first.closed_on, first.retention_until) == (
        "13.1",
        datetime.date(2020, 5, 1),
        datetime.date(2025, 5, 1),
    )
    assert (not_handled.selection_class, not_handled.retention_until) == ("13.1.4", datetime.date(2026, 6, 1))
    assert len(due) == len(world["past"]) == record.cases.count()


def test_retention_dates_per_class_of_the_selection_list(world):
    assert retention.retention_until(world["kept"]["OMBUDS"]) == datetime.date(2030, 5, 11)  # 13.1.2: 10 years
    assert retention.retention_until(world["kept"]["BLIJFT"]) == datetime.date(2030, 4, 1)  # 13.1: 5 years
    assert retention.selection_class(world["past"][-1]) == retention.NOT_HANDLED


@time_machine.travel(TODAY, tick=False)
def test_the_case_file_shows_its_retention_date(client, world, municipality):
    from klachtformulieren.cases import roles
    from klachtformulieren.cases.links import case_inspect_url
    from tests.factories import role_user

    client.force_login(role_user(roles.COORDINATOR, municipalities=[municipality]))

    html = client.get(case_inspect_url(world["kept"]["BLIJFT"].pk)).content.decode()

    assert "1 april 2030" in html and "13.1" in html


@time_machine.travel(TODAY, tick=False)
def test_erasure_on_request_is_the_same_destruction_with_its_own_record(world):
    from tests.factories import UserFactory

    coordinator = UserFactory()
    complaint = world["kept"]["BLIJFT"]

    record = retention.erase_on_request(complaint, coordinator, reason="Verzoek om verwijdering (AVG art. 17)")

    complaint.refresh_from_db()
    assert complaint.destroyed_at is not None and complaint.name == "" and complaint.description == ""
    assert not ComplaintAttachment.objects.filter(complaint=complaint).exists()
    assert record.performed_by == coordinator
    assert record.cases.get().selection_class == "AVG 17"
    assert "BLIJFT" not in every_text_in_the_database()


@time_machine.travel(TODAY, tick=False)
def test_coordinators_read_and_export_the_destruction_records_and_cannot_change_them(client, world, municipality):
    from django.urls import reverse

    from klachtformulieren.cases import roles
    from tests.factories import role_user

    retention.apply_retention()
    client.force_login(role_user(roles.COORDINATOR, municipalities=[municipality]))
    index = reverse("klachtformulieren_destroyedcase_modeladmin_index")

    export = client.get(index, {"export": "csv"})
    content = b"".join(export.streaming_content).decode()
    edit = client.get(
        reverse("klachtformulieren_destroyedcase_modeladmin_edit", args=[DestroyedCase.objects.first().pk])
    )

    assert all(case.reference in content for case in world["past"])
    assert "13.1.4" in content
    assert edit.status_code == 302 and edit["Location"] == reverse("wagtailadmin_home")  # refused


@time_machine.travel(TODAY, tick=False)
def test_after_destruction_nothing_more_happens_to_the_case(world, municipality):
    from klachtformulieren.cases import access, roles
    from klachtformulieren.cases.steps import STEPS
    from tests.factories import role_user

    retention.apply_retention()
    coordinator = role_user(roles.COORDINATOR, municipalities=[municipality])
    destroyed = Complaint.objects.get(pk=world["past"][0].pk)

    assert not access.can_edit_details(coordinator, destroyed)
    assert not any(access.can_take_step(coordinator, destroyed, step) for step in STEPS.values())


@time_machine.travel(TODAY, tick=False)
def test_ombudsman_history_rows_and_old_hold_reasons_go_too(world, municipality):
    complaint = world["past"][0]
    request = OmbudsmanRequest.objects.create(
        municipality=municipality, complaint=complaint, received_on=datetime.date(2020, 6, 1), subject="Over WEG0"
    )
    request.notes = "Gesprek met WEG0"
    request.save()
    complaint.retention_hold = "Rechtszaak van WEG0"
    complaint.save()
    complaint.retention_hold = ""
    complaint.save()

    retention.apply_retention(datetime.date(2031, 1, 1))  # past 13.1.2's ten years too

    assert "WEG0" not in every_text_in_the_database()


@time_machine.travel(TODAY, tick=False)
def test_incoming_mail_without_a_case_is_kept_as_long_as_a_complaint_not_handled(municipality):
    # retention_years_not_handled (1): counted from the day it was handled, or it arrived.
    expired = [
        incoming_mail(municipality, "GEENKLACHT", state=InboundMessage.State.NOT_A_COMPLAINT, at=at(2025, 11, 1)),
        incoming_mail(municipality, "AFWEZIG", state=InboundMessage.State.FILED, at=at(2025, 10, 1), handled=False),
        incoming_mail(municipality, "TEGROOT", state=InboundMessage.State.SET_ASIDE, at=at(2025, 9, 1), handled=False),
    ]
    attachment = InboundAttachment(message=expired[0], name="brief.pdf", content_type="application/pdf", size=9)
    attachment.file.save("brief.pdf", ContentFile(b"%PDF-1.4 GEENKLACHT"), save=True)
    path = Path(attachment.file.path)
    recent = incoming_mail(municipality, "RECENT", state=InboundMessage.State.NOT_A_COMPLAINT, at=at(2026, 6, 1))
    waiting = incoming_mail(municipality, "WACHT", state=InboundMessage.State.INBOX, at=at(2024, 1, 1), handled=False)
    retention.apply_retention()
    assert set(InboundMessage.objects.all()) == {recent, waiting}
    assert not path.exists()
