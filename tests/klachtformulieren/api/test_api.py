"""Complaint forms in the API: /api/v3/klachtformulieren/ (schema, submission, status, figures)."""

import datetime
import json

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from klachtformulieren.apps import KlachtformulierenConfig
from klachtformulieren.cases import workflow
from klachtformulieren.cases.links import case_inspect_url
from klachtformulieren.intake.pages import ComplaintFormField
from klachtformulieren.intake.spam import form_started_token
from klachtformulieren.intake.views import THANK_YOU_SESSION_KEY
from klachtformulieren.models import Complaint, ComplaintAttachment, Notification, Outcome
from tests.factories import (
    AnnualFiguresPageFactory,
    ComplaintFormPageFactory,
    MunicipalityFactory,
    PartnerFactory,
    at,
    handled_case,
    png_bytes,
    with_new_token,
)

pytestmark = pytest.mark.django_db

API = "/api/v3/klachtformulieren"
FORMS = f"{API}/formulieren/"
TODAY = "2026-11-24 10:00:00+01:00"
CORE = ["name", "description", "conduct_date"]


def form_url(page):
    return f"{FORMS}{page.pk}/"


def submit_url(page):
    return f"{FORMS}{page.pk}/indienen/"


def nothing_stored():
    return not (Complaint.objects.exists() or Notification.objects.exists() or ComplaintAttachment.objects.exists())


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    """POST to the API as a front end does, running what happens after the commit (mail delivery)."""

    def post(page, data, *, as_json=True, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            if as_json:
                return client.post(submit_url(page), json.dumps(data), content_type="application/json", **kwargs)
            return client.post(submit_url(page), data, **kwargs)

    return post


# The forms and their schema


def test_list_shows_the_live_complaint_forms_of_the_site(client, form_page, home_page):
    ComplaintFormPageFactory(parent=home_page, title="Concept", live=False, municipality=form_page.municipality)

    body = client.get(FORMS).json()

    assert body == [
        {
            "id": form_page.pk,
            "title": "Klacht indienen",
            "url": f"http://testserver{form_page.url}",
            "municipality": {"name": form_page.municipality.name, "slug": form_page.municipality.slug},
        }
    ]


def test_schema_requires_only_the_awb_9_4_core(client, form_page):
    body = client.get(form_url(form_page)).json()

    fields = {field["name"]: field for field in body["fields"]}
    assert [name for name, field in fields.items() if field["required"]] == CORE
    assert body["at_least_one_of"] == [["email", "postal_address"]]
    assert list(fields) == [
        "name",
        "organisation_name",
        "email",
        "postal_address",
        "phone",
        "representative_name",
        "representative_relation",
        "description",
        "conduct_date",
        "conduct_date_end",
        "conduct_involved",
        "desired_outcome",
        "attachments",
    ]  # no partner question without published partners, as on the page; no anti-spam fields
    assert fields["name"]["label"] == "Naam"
    assert fields["description"]["max_length"] == 10_000
    assert {name: fields[name]["type"] for name in ("email", "phone", "description", "conduct_date")} == {
        "email": "email",
        "phone": "tel",
        "description": "textarea",
        "conduct_date": "date",
    }
    assert "Bijvoorbeeld 20-11-2026." in fields["conduct_date"]["help_text"]
    assert fields["attachments"]["type"] == "file" and fields["attachments"]["multiple"]
    assert body["privacy_notice"] == "<p>Wij gebruiken uw gegevens alleen voor uw klacht.</p>"
    assert body["submit_url"] == f"http://testserver{submit_url(form_page)}"


def test_schema_gives_the_upload_limits_and_the_anti_spam_fields(client, form_page):
    form_page.max_files, form_page.max_file_size_mb = 3, 4
    form_page.save()

    body = client.get(form_url(form_page)).json()

    assert body["uploads"] == {
        "allowed": True,
        "max_files": 3,
        "max_file_size_bytes": 4 * 1024 * 1024,
        "content_types": [
            "application/pdf",
            "image/jpeg",
            "image/png",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/msword",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation",
        ],
        "extensions": [".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".odt", ".ods", ".odp"],
    }
    assert body["anti_spam"]["honeypot_field"] == "website"
    assert body["anti_spam"]["form_started"]  # a signed start time, sent back with the complaint


def test_schema_of_a_form_without_uploads_has_no_attachments(client, form_page):
    form_page.uploads_allowed = False
    form_page.save()

    body = client.get(form_url(form_page)).json()

    assert "attachments" not in [field["name"] for field in body["fields"]]
    assert body["uploads"]["allowed"] is False


def test_wmebv_the_editors_questions_are_optional_with_their_choices(client, form_page):
    ComplaintFormField.objects.create(
        page=form_page, label="Hoe wilt u contact?", field_type="radio", choices="Telefoon\nBrief", required=True
    )
    ComplaintFormField.objects.create(page=form_page, label="Mogen wij u bellen?", field_type="checkbox")
    PartnerFactory(name="Thuiszorg De Linde", slug="thuiszorg-de-linde")
    PartnerFactory(name="Verborgen", slug="verborgen", published=False)

    fields = {field["name"]: field for field in client.get(form_url(form_page)).json()["fields"]}

    assert fields["vraag_hoe_wilt_u_contact"] == {
        "name": "vraag_hoe_wilt_u_contact",
        "type": "radio",
        "label": "Hoe wilt u contact?",
        "help_text": "",
        "required": False,
        "multiple": False,
        "choices": [{"value": "Telefoon", "label": "Telefoon"}, {"value": "Brief", "label": "Brief"}],
        "max_length": None,
        "initial": None,
    }
    assert fields["vraag_mogen_wij_u_bellen"]["type"] == "checkbox"
    assert fields["partner"]["choices"] == [
        {"value": "", "label": "Nee, of dat weet ik niet"},
        {"value": "thuiszorg-de-linde", "label": "Thuiszorg De Linde"},
    ]


@pytest.mark.parametrize("page_id", ["999999", "0", "-1", "abc", "1e3", str(2**70)])
def test_an_unknown_form_is_not_found_and_a_malformed_number_is_refused(client, form_page, page_id):
    response = client.get(f"{FORMS}{page_id}/")

    assert response.status_code in (404, 422)
    assert response["Content-Type"] == "application/problem+json"
    if response.status_code == 404:
        assert response.json()["detail_nl"] == "Er is geen gepubliceerd klachtformulier met dit nummer."


def test_unpublished_and_other_pages_are_not_found(client, form_page, home_page):
    draft = ComplaintFormPageFactory(parent=home_page, live=False, municipality=form_page.municipality)

    assert client.get(form_url(draft)).status_code == 404
    assert client.get(f"{FORMS}{home_page.pk}/").status_code == 404  # not a complaint form
    assert client.post(submit_url(draft), {}, content_type="application/json").status_code == 404


# Filing a complaint


@time_machine.travel(TODAY, tick=False)
def test_json_submission_creates_one_case_acknowledgement_and_coordinator_notice(submit, client, form_page, valid_post):
    response = submit(form_page, valid_post)

    assert response.status_code == 201
    body = response.json()
    complaint = Complaint.objects.get()
    assert body["reference"] == complaint.reference == "2026-000001"
    assert body["status_url"] == f"http://testserver/klachten/status/{body['status_token']}/"
    assert body["decision_due"] == "2027-01-05"
    assert complaint.channel == "web_form" and complaint.form_page_id == form_page.pk
    assert sorted(Notification.objects.values_list("kind", "recipient", "state")) == [
        ("acknowledgement", "jan@example.org", "sent"),
        ("coordinator_notice", "coordinatoren@proefdorp.example", "sent"),
    ]
    assert len(mail.outbox) == 2
    assert client.get(body["status_url"], follow=True).status_code == 200  # the status link works


def test_multipart_submission_stores_a_valid_png_attachment(submit, form_page, valid_post):
    upload = SimpleUploadedFile("foto van balie.png", png_bytes(), content_type="image/png")

    response = submit(form_page, {**valid_post, "attachments": [upload]}, as_json=False)

    assert response.status_code == 201
    attachment = ComplaintAttachment.objects.get()
    assert (attachment.name, attachment.content_type) == ("foto-van-balie.png", "image/png")


def test_a_url_encoded_submission_is_accepted_too(client, form_page, valid_post):
    from urllib.parse import urlencode

    response = client.post(
        submit_url(form_page), urlencode(valid_post), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 201


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("change", "field", "nl", "en"),
    [
        ({"name": ""}, "name", "Vul uw naam in.", "Fill in your name."),
        ({"name": None}, "name", "Vul uw naam in.", "Fill in your name."),
        ({"conduct_date": "31-02-2026"}, "conduct_date", "Vul een geldige datum in", "Fill in a valid date"),
        ({"conduct_date": "2099-01-01"}, "conduct_date", "Deze datum ligt in de toekomst.", "This date lies in"),
        ({"email": "geen-adres"}, "email", "Vul een geldig e-mailadres in", "Fill in a valid email address"),
        # The one-of-two rule is the form's, not the email field's: "__all__", code "no_address".
        ({"email": ""}, "__all__", "Vul uw e-mailadres of uw postadres in", "Fill in your email address or"),
        ({"description": "x" * 10_001}, "description", "niet meer dan 10000 tekens", "at most 10000 characters"),
    ],
)
def test_invalid_answers_are_refused_per_field_in_dutch_and_english(
    submit, form_page, valid_post, change, field, nl, en
):
    response = submit(form_page, {**valid_post, **change})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["detail_nl"].startswith("De klacht is niet verstuurd.")
    [message] = body["field_errors"][field]
    assert nl in message["nl"] and en in message["en"]
    assert nothing_stored()


def test_a_refused_attachment_is_explained_in_both_languages(submit, form_page, valid_post):
    upload = SimpleUploadedFile("brief.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = submit(form_page, {**valid_post, "attachments": [upload]}, as_json=False)

    assert response.status_code == 400
    [message] = response.json()["field_errors"]["attachments"]
    assert message["code"] == "type_not_allowed"
    assert message["nl"] == "“brief.pdf” is geen PDF-, JPEG-, PNG-, Word- of ODF-bestand."
    assert message["en"] == "“brief.pdf” is not a PDF, JPEG, PNG, Word or ODF file."
    assert nothing_stored()


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'"tekst"', b"\xff\xfe\x00", b"[" * 100_000, b'{"a": 1' + b"0" * 5000 + b"}"],
)
def test_a_body_that_is_no_json_object_is_refused(client, form_page, body):
    response = client.post(submit_url(form_page), body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail_nl"].startswith("Het verzoek is niet te lezen")
    assert nothing_stored()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"no boundary"),
        ("multipart/form-data; boundary=", b"--\r\n"),
        ("application/x-www-form-urlencoded; charset=utf-16", b"name=%ff%fe"),
    ],
)
def test_a_broken_form_body_is_refused(client, form_page, content_type, body):
    response = client.generic("POST", submit_url(form_page), body, content_type=content_type)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request cannot be read")
    assert nothing_stored()


def test_more_fields_than_django_allows_are_refused(client, form_page, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5

    response = client.post(submit_url(form_page), {f"veld{number}": "x" for number in range(10)})

    assert response.status_code == 400
    assert nothing_stored()


def test_nested_json_values_are_refused_per_field(submit, form_page, valid_post):
    response = submit(form_page, {**valid_post, "name": {"voornaam": "Jan"}, "phone": [["06"]]})

    assert response.status_code == 400
    assert set(response.json()["field_errors"]) == {"name", "phone"}
    assert nothing_stored()


def test_honeypot_is_refused_with_the_pages_neutral_notice_and_stores_nothing(submit, form_page, valid_post, caplog):
    response = submit(form_page, {**valid_post, "website": "http://spam.example"})

    assert response.status_code == 400
    assert response.json()["detail_nl"].startswith("Uw klacht is nog niet verstuurd")
    assert response.json()["detail"].startswith("Your complaint has not been sent yet")
    assert "honeypot" in caplog.text
    assert nothing_stored()


@pytest.mark.parametrize("form_started", ["now", "vervalst", "", None, 12345])
def test_too_fast_or_without_a_start_time_is_refused(submit, form_page, valid_post, settings, form_started):
    settings.KLACHTFORMULIEREN_MINIMUM_FILL_SECONDS = 3
    started = form_started_token() if form_started == "now" else form_started

    response = submit(form_page, {**valid_post, "form_started": started})

    assert response.status_code == 400
    assert "Uw klacht is nog niet verstuurd" in response.json()["detail_nl"]
    assert nothing_stored()


def test_the_start_time_from_the_schema_is_accepted(submit, client, form_page, valid_post):
    started = client.get(form_url(form_page)).json()["anti_spam"]["form_started"]

    assert submit(form_page, {**valid_post, "form_started": started}).status_code == 201


def test_over_the_rate_limit_is_refused_with_429_shared_with_the_form_page(
    submit, file_complaint, form_page, valid_post, settings
):
    settings.KLACHTFORMULIEREN_SUBMIT_RATE = "2/h"
    file_complaint(form_page, with_new_token(valid_post))  # the form page counts against the same budget
    assert submit(form_page, with_new_token(valid_post)).status_code == 201

    response = submit(form_page, valid_post)

    assert response.status_code == 429
    assert "Wacht een uur" in response.json()["detail_nl"]
    assert Complaint.objects.count() == 2


def test_complaints_sent_back_for_corrections_do_not_use_up_the_limit(submit, form_page, valid_post, settings):
    settings.KLACHTFORMULIEREN_SUBMIT_RATE = "2/h"
    for _ in range(5):
        refused = submit(form_page, with_new_token({**valid_post, "name": ""}))
        assert refused.status_code == 400

    # The refusal carries a new token: the one sent is used up.
    corrected = submit(form_page, {**valid_post, "form_started": refused.json()["form_started"]})

    assert corrected.status_code == 201


def test_a_start_token_sent_twice_is_refused_as_spam(submit, form_page, valid_post):
    assert submit(form_page, valid_post).status_code == 201

    replay = submit(form_page, {**valid_post, "description": "Nog een keer"})

    assert replay.status_code == 400
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("as_json", [False, True])
def test_form_data_from_another_site_is_refused_but_json_clients_are_not(client, form_page, valid_post, as_json):
    """Any web page could file complaints from its visitors' browsers (CSRF for simple requests)."""
    url = submit_url(form_page)
    if as_json:
        response = client.post(
            url, json.dumps(valid_post), content_type="application/json", HTTP_ORIGIN="https://x.example"
        )
    else:
        response = client.post(url, valid_post, HTTP_ORIGIN="https://kwaadwillend.example")

    if as_json:
        assert response.status_code == 201
    else:
        assert response.status_code == 403
        assert "andere website" in response.json()["detail_nl"]
        assert nothing_stored()


def test_form_data_from_the_site_itself_is_taken(client, form_page, valid_post):
    response = client.post(submit_url(form_page), valid_post, HTTP_ORIGIN="http://testserver")

    assert response.status_code == 201


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", ""])
def test_an_unsupported_content_type_is_refused_with_415(client, form_page, valid_post, content_type):
    response = client.post(submit_url(form_page), json.dumps(valid_post), content_type=content_type)

    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["detail"]
    assert nothing_stored()


def test_a_json_body_over_djangos_limit_is_refused_with_413(submit, form_page, valid_post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000

    response = submit(form_page, {**valid_post, "description": "x" * 30_000})

    assert response.status_code == 413
    assert response.json()["title"] == "Content Too Large"
    assert nothing_stored()


def test_files_over_the_forms_limits_are_refused_with_413(submit, form_page, valid_post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    form_page.max_files, form_page.max_file_size_mb = 1, 1
    form_page.save()
    upload = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), content_type="application/pdf")

    response = submit(form_page, {**valid_post, "attachments": [upload]}, as_json=False)

    assert response.status_code == 413
    assert "hoogstens 1 bestanden van 1 MB" in response.json()["detail_nl"]
    assert nothing_stored()


def test_a_file_over_the_size_limit_within_the_request_limit_gets_the_pages_message(submit, form_page, valid_post):
    form_page.max_file_size_mb = 1
    form_page.save()
    upload = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), content_type="application/pdf")

    response = submit(form_page, {**valid_post, "attachments": [upload]}, as_json=False)

    assert response.status_code == 400
    assert response.json()["field_errors"]["attachments"][0]["code"] == "too_large"


# The same complaint through the page and through the API


def rich_complaint(page, *, with_attachment):
    ComplaintFormField.objects.create(
        page=page, label="Hoe wilt u contact?", field_type="radio", choices="Telefoon\nBrief"
    )
    ComplaintFormField.objects.create(page=page, label="Mogen wij u bellen?", field_type="checkbox")
    ComplaintFormField.objects.create(
        page=page, label="Welke dagen?", field_type="checkboxes", choices="maandag\ndinsdag\nwoensdag"
    )
    PartnerFactory(name="Thuiszorg De Linde", slug="thuiszorg-de-linde")
    answers = {
        "name": "Jan de Klager",
        "organisation_name": "Stichting Buurtkracht",
        "email": "jan@example.org",
        "postal_address": "Dorpsstraat 1\n1234 AB Proefdorp",
        "phone": "06 12345678",
        "representative_name": "Karin de Dochter",
        "representative_relation": "dochter",
        "description": "De medewerker aan de balie schreeuwde tegen mij.",
        "conduct_date": "02-11-2026",
        "conduct_date_end": "2026-11-03",
        "partner": "thuiszorg-de-linde",
        "conduct_involved": "Balie stadhuis",
        "desired_outcome": "Excuses",
        "vraag_hoe_wilt_u_contact": "Brief",
        "vraag_welke_dagen": ["maandag", "woensdag"],
        "form_started": form_started_token(now=0),
        "website": "",
    }
    files = {}
    if with_attachment:
        files["attachments"] = [SimpleUploadedFile("foto van balie.png", png_bytes(), content_type="image/png")]
    return answers, files


def case_facts(complaint):
    different = {"id", "reference", "number", "status_token_hash"}
    return {
        field.attname: getattr(complaint, field.attname)
        for field in Complaint._meta.concrete_fields
        if field.attname not in different
    }


def mails_of(complaint, status_url):
    case_path = case_inspect_url(complaint.pk)  # the coordinators' notice links to the case itself

    def normal(text):
        text = text.replace(complaint.reference, "<reference>").replace(status_url, "<status link>")
        return text.replace(case_path, "<case link>")

    notifications = [
        (n.kind, n.medium, n.recipient, n.state, normal(n.subject), normal(n.body))
        for n in complaint.notifications.order_by("kind")
    ]
    sent = sorted(
        (message.to, normal(message.subject), normal(message.body))
        for message in mail.outbox
        if complaint.reference in message.subject
    )
    return notifications, sent


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("encoding", ["json", "multipart"])
def test_the_same_complaint_through_the_page_and_the_api_makes_identical_cases_and_mails(
    file_complaint, submit, client, form_page, encoding
):
    with_attachment = encoding == "multipart"
    answers, files = rich_complaint(form_page, with_attachment=with_attachment)

    # A ticked box: a browser sends "on", a front end true.
    assert file_complaint(form_page, {**answers, "vraag_mogen_wij_u_bellen": "on", **files}).status_code == 302
    if with_attachment:
        files["attachments"][0].seek(0)
        response = submit(
            form_page, with_new_token({**answers, "vraag_mogen_wij_u_bellen": "on", **files}), as_json=False
        )
    else:
        response = submit(form_page, with_new_token({**answers, "vraag_mogen_wij_u_bellen": True}))

    assert response.status_code == 201
    by_page, by_api = Complaint.objects.order_by("number")
    assert by_api.reference == response.json()["reference"]
    assert case_facts(by_page) == case_facts(by_api)
    assert by_page.extra_answers == [
        {"question": "Hoe wilt u contact?", "answer": "Brief"},
        {"question": "Mogen wij u bellen?", "answer": "Ja"},
        {"question": "Welke dagen?", "answer": "maandag, woensdag"},
    ]
    assert [(a.name, a.content_type, a.size, a.sha256) for a in by_page.attachments.all()] == [
        (a.name, a.content_type, a.size, a.sha256) for a in by_api.attachments.all()
    ]
    assert by_page.attachments.count() == int(with_attachment)
    page_status_url = client.session[THANK_YOU_SESSION_KEY]["status_url"]
    page_mails, api_mails = mails_of(by_page, page_status_url), mails_of(by_api, response.json()["status_url"])
    assert page_mails == api_mails
    assert len(page_mails[0]) == 2 and len(page_mails[1]) == 2


def test_json_true_and_false_are_a_ticked_and_an_unticked_box(submit, form_page, valid_post):
    ComplaintFormField.objects.create(page=form_page, label="Mogen wij u bellen?", field_type="checkbox")

    ticked = submit(form_page, {**valid_post, "vraag_mogen_wij_u_bellen": True})
    unticked = submit(form_page, with_new_token({**valid_post, "vraag_mogen_wij_u_bellen": False}))

    assert ticked.status_code == unticked.status_code == 201
    assert [complaint.extra_answers for complaint in Complaint.objects.order_by("number")] == [
        [{"question": "Mogen wij u bellen?", "answer": "Ja"}],
        [],
    ]


# Status


def test_status_gives_the_facts_of_the_status_page_and_nothing_more(client, complaint_with_token):
    complaint, token = complaint_with_token

    response = client.get(f"{API}/status/{token}/")

    assert response.status_code == 200
    assert response.json() == {
        "reference": complaint.reference,
        "received_on": "2026-11-24",
        "step": {
            "title": "Wij hebben uw klacht ontvangen",
            "next_step": "Een klachtencoördinator neemt contact met u op om over uw klacht te praten.",
        },
        "open": True,
        "decision_due": "2027-01-05",
        "municipality": {"name": complaint.municipality.name, "phone": "14 0123"},
        "ombudsman": None,
    }
    assert b"Geheim verhaal" not in response.content and b"12345678" not in response.content
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_status_of_a_closed_complaint_points_to_the_ombudsman(client, complaint_with_token):
    complaint, token = complaint_with_token
    workflow.reach_outcome(complaint, outcome=Outcome.RESOLVED_INFORMALLY, closed_at=timezone.now())
    complaint.save()

    body = client.get(f"{API}/status/{token}/").json()

    assert body["open"] is False and body["decision_due"] is None
    assert body["ombudsman"] == {
        "name": "Nationale ombudsman",
        "url": "https://www.nationaleombudsman.nl/",
        "term": "1 jaar",
    }


def test_wrong_expired_and_unknown_tokens_get_the_same_not_found(client, complaint_with_token):
    complaint, token = complaint_with_token
    complaint.received_at = timezone.now() - datetime.timedelta(days=420)
    closed_at = timezone.now() - datetime.timedelta(days=400)
    workflow.reach_outcome(complaint, outcome=Outcome.RESOLVED_INFORMALLY, closed_at=closed_at)
    complaint.save()

    answers = [client.get(f"{API}/status/{value}/") for value in (token, token[:-1] + "x", "bestaat-niet", "x" * 5000)]

    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1


def test_status_lookups_are_rate_limited(client, complaint_with_token, settings):
    settings.KLACHTFORMULIEREN_STATUS_RATE = "2/h"
    _complaint, token = complaint_with_token
    for _ in range(2):
        client.get(f"{API}/status/{token}/")

    response = client.get(f"{API}/status/{token}/")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"


# Annual figures

IN_MARCH_2026 = at(2026, 3, 15)


@pytest.fixture
def figures_page(home_page, municipality):
    return AnnualFiguresPageFactory(parent=home_page, municipality=municipality)


@pytest.fixture
def cases(municipality):
    """2025: six informal cases and one well-founded one, by a named person; 2024: one case."""
    handled_case(municipality, at(2024, 5, 1), outcome=Outcome.UNFOUNDED, decided=at(2024, 5, 20))
    for day in range(1, 7):
        handled_case(municipality, at(2025, 3, day), outcome=Outcome.RESOLVED_INFORMALLY, settled=at(2025, 3, day + 5))
    secret = handled_case(
        municipality,
        at(2025, 6, 2),
        outcome=Outcome.WELL_FOUNDED,
        decided=at(2025, 6, 30),
        name="Zwanhilde Oosterbroek",
        lessons_learned="Les over de Grutto-procedure",
    )
    secret.reference = "2025-987654"
    secret.save()


@time_machine.travel(IN_MARCH_2026, tick=False)
def test_annual_figures_are_the_pages_figures_with_small_counts_hidden(client, figures_page, cases):
    response = client.get(f"{API}/jaarcijfers/", {"gemeente": figures_page.municipality.slug})

    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["years"], body["received"], body["threshold"]) == (2025, [2025, 2024], 7, 5)
    assert body["informal"] == {"count": 6, "base": 7, "percent": 86}
    kinds = body["cross_tables"][0]
    assert kinds["key"] == "soort" and kinds["total"] == 7
    cells = [cell for row in kinds["rows"] for cell in row["cells"]]
    # Seven cases, one well founded and six settled informally: too few to show per outcome.
    assert kinds["totals_only"] or kinds["withheld"]
    assert cells == []
    assert b"small" not in response.content and b"complement" not in response.content
    for personal in (b"Zwanhilde", b"Oosterbroek", b"Grutto", b"987654"):
        assert personal not in response.content


@time_machine.travel(IN_MARCH_2026, tick=False)
def test_annual_figures_of_another_complete_year(client, figures_page, cases):
    body = client.get(f"{API}/jaarcijfers/", {"jaar": "2024"}).json()

    assert (body["year"], body["received"]) == (2024, 1)


@time_machine.travel(IN_MARCH_2026, tick=False)
@pytest.mark.parametrize("requested", ["2026", "1999", "abc", "-1", "9" * 5000])
def test_a_year_without_figures_is_refused_with_the_years_there_are(client, figures_page, cases, requested):
    response = client.get(f"{API}/jaarcijfers/", {"jaar": requested})

    assert response.status_code == 400
    assert response.json()["years"] == [2025, 2024]


def test_annual_figures_without_a_published_figures_page_are_not_found(client, figures_page, home_page):
    assert client.get(f"{API}/jaarcijfers/", {"gemeente": "bestaat-niet"}).status_code == 404
    assert (
        client.get(f"{API}/jaarcijfers/", {"gemeente": "lin\x00denhaven"}).status_code == 404
    )  # PostgreSQL refuses NUL
    figures_page.unpublish()
    assert client.get(f"{API}/jaarcijfers/").status_code == 404


@time_machine.travel(IN_MARCH_2026, tick=False)
def test_without_a_municipality_the_figures_of_all_municipalities_together(client, figures_page, cases):
    handled_case(MunicipalityFactory(), at(2025, 4, 1))
    AnnualFiguresPageFactory(parent=figures_page.get_parent(), municipality=None)

    assert client.get(f"{API}/jaarcijfers/").json()["received"] == 8
    assert client.get(f"{API}/jaarcijfers/", {"gemeente": figures_page.municipality.slug}).json()["received"] == 7


# The router


def test_the_router_is_mounted_once_even_when_ready_runs_again():
    from django.apps import apps
    from wagtail.api.v3.urls import api

    from klachtformulieren.api import router

    config = apps.get_app_config("klachtformulieren")
    assert isinstance(config, KlachtformulierenConfig)
    config.ready()

    assert sum(mounted is router for _, mounted in api._routers) == 1
