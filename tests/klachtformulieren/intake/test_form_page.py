"""Filing a complaint through the form page (Awb 9:1, 9:4, 9:6; Wmebv)."""

import time

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from klachtformulieren.intake.pages import ComplaintFormField
from klachtformulieren.intake.spam import form_started_token
from klachtformulieren.models import Complaint, ComplaintAttachment, Notification, Status
from tests.factories import png_bytes, with_new_token

pytestmark = pytest.mark.django_db

TODAY = "2026-11-24 10:00:00+01:00"


def nothing_stored():
    return (
        not Complaint.objects.exists()
        and not Notification.objects.exists()
        and not ComplaintAttachment.objects.exists()
    )


@time_machine.travel(TODAY, tick=False)
def test_art_9_1_an_organisation_or_someone_on_behalf_of_another_may_complain(file_complaint, form_page, valid_post):
    response = file_complaint(
        form_page,
        {
            **valid_post,
            "organisation_name": "Stichting Buurtkracht",
            "representative_name": "Karin de Dochter",
            "representative_relation": "dochter",
        },
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.organisation_name == "Stichting Buurtkracht"
    assert (complaint.representative_name, complaint.representative_relation) == ("Karin de Dochter", "dochter")


@time_machine.travel(TODAY, tick=False)
def test_art_9_4_valid_submission_creates_one_case_one_acknowledgement_one_coordinator_notice(
    file_complaint, client, form_page, valid_post
):
    response = file_complaint(form_page, valid_post)

    assert response.status_code == 302
    assert response["Location"].endswith("/bedankt/")
    complaint = Complaint.objects.get()
    assert complaint.reference == "2026-000001"
    assert complaint.status == Status.RECEIVED
    assert complaint.municipality == form_page.municipality
    assert complaint.form_page_id == form_page.pk
    assert complaint.privacy_notice_acknowledged_at is not None
    kinds = sorted(Notification.objects.values_list("kind", "recipient", "state"))
    assert kinds == [
        ("acknowledgement", "jan@example.org", "sent"),
        ("coordinator_notice", "coordinatoren@proefdorp.example", "sent"),
    ]
    assert len(mail.outbox) == 2


@time_machine.travel(TODAY, tick=False)
def test_art_9_6_acknowledgement_has_reference_copy_of_answers_next_steps_and_status_link(
    file_complaint, client, form_page, valid_post
):
    file_complaint(form_page, valid_post)

    acknowledgement = next(message for message in mail.outbox if message.to == ["jan@example.org"])
    assert "2026-000001" in acknowledgement.subject
    assert "De medewerker aan de balie schreeuwde tegen mij." in acknowledgement.body  # Wmebv copy
    assert "dinsdag 1 december 2026" in acknowledgement.body  # first contact: 5 working days
    assert "dinsdag 5 januari 2027" in acknowledgement.body  # decision: 6 weeks, 5 January 2027
    assert "http://testserver/klachten/status/" in acknowledgement.body


@time_machine.travel(TODAY, tick=False)
def test_thank_you_page_shows_reference_due_date_and_status_link_and_refresh_files_nothing(
    file_complaint, client, form_page, valid_post
):
    response = file_complaint(form_page, valid_post, follow=True)

    html = response.content.decode()
    assert "2026-000001" in html
    assert "5 januari 2027" in html
    assert "/klachten/status/" in html
    client.get(form_page.url + "bedankt/")
    assert Complaint.objects.count() == 1


def test_thank_you_page_without_a_submission_returns_to_the_form(client, form_page):
    response = client.get(form_page.url + "bedankt/")

    assert response.status_code == 302
    assert response["Location"] == form_page.url


def test_form_shows_only_the_awb_core_as_required(client, form_page):
    html = client.get(form_page.url).content.decode()

    # Name, description and date; "email or postal address" is checked together, not marked.
    assert html.count('class="kp-form-label__required"') == 3
    assert 'name="name"' in html and 'name="conduct_date"' in html
    assert 'name="website"' in html  # the honeypot is there, hidden


def test_wmebv_questions_editors_add_are_never_required(file_complaint, client, form_page, valid_post):
    ComplaintFormField.objects.create(
        page=form_page, label="Bent u eerder geholpen?", field_type="singleline", required=True
    )
    assert ComplaintFormField.objects.get().required is False

    response = file_complaint(form_page, valid_post)

    assert response.status_code == 302


def test_editors_questions_are_stored_as_answers(file_complaint, client, form_page, valid_post):
    ComplaintFormField.objects.create(
        page=form_page, label="Hoe wilt u contact?", field_type="radio", choices="Telefoon\nBrief"
    )

    file_complaint(form_page, {**valid_post, "vraag_hoe_wilt_u_contact": "Brief"})

    assert Complaint.objects.get().extra_answers == [{"question": "Hoe wilt u contact?", "answer": "Brief"}]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "Vul uw naam in."),
        ({"description": ""}, "description", "Beschrijf wat er is gebeurd."),
        ({"conduct_date": ""}, "conduct_date", "Vul de datum in waarop het gebeurde."),
        ({"conduct_date": "31-02-2026"}, "conduct_date", "Vul een geldige datum in"),
        ({"conduct_date": "2099-01-01"}, "conduct_date", "Deze datum ligt in de toekomst."),
        ({"email": "geen-adres"}, "email", "Vul een geldig e-mailadres in"),
        ({"phone": "bel me maar"}, "phone", "Vul een telefoonnummer in"),
        ({"conduct_date_end": "2026-10-01"}, "conduct_date_end", "Het einde van de periode ligt voor het begin."),
    ],
)
def test_art_9_4_invalid_input_is_refused_with_a_dutch_message_and_stores_nothing(
    file_complaint, client, form_page, valid_post, change, field, message
):
    response = file_complaint(form_page, {**valid_post, **change})

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert 'aria-invalid="true"' in html
    assert nothing_stored()
    # What the citizen typed is kept.
    assert "De medewerker aan de balie schreeuwde tegen mij." in html or "description" in change


def contact_group(html):
    return html.split('<fieldset class="kp-fieldset kp-form-contact')[1].split("</fieldset>")[0]


def test_the_contact_fields_are_one_group_whose_hint_states_the_one_of_two_rule_once(client, form_page):
    html = client.get(form_page.url).content.decode()
    group = contact_group(html)

    rule = "Vul er minstens één van de twee in, zodat wij u kunnen antwoorden."  # the page's editable help text
    assert html.count(rule) == 1
    assert group.index("<legend") < group.index("Hoe kunnen wij u bereiken?") < group.index(rule)
    assert group.index(rule) < group.index('id="id_email"') < group.index('id="id_postal_address"')
    assert 'aria-describedby="contact-hint"' in group
    # Neither address is required or optional on its own: the label says neither.
    email_label = group.split('for="id_email">')[1].split("</label>")[0]
    assert email_label == "E-mailadres"
    assert "(niet verplicht)" in group.split('for="id_phone">')[1].split("</label>")[0]


def test_the_rule_is_stated_by_the_form_when_the_editors_left_the_help_text_empty(client, form_page):
    form_page.contact_help_text = ""
    form_page.save_revision().publish()

    group = contact_group(client.get(form_page.url).content.decode())

    assert "Vul uw e-mailadres of uw postadres in. Allebei mag ook." in group


def test_art_9_4_no_address_at_all_is_an_error_of_the_group_not_of_the_empty_optional_email(
    file_complaint, form_page, valid_post
):
    response = file_complaint(form_page, {**valid_post, "email": ""})

    assert response.status_code == 200
    html = response.content.decode()
    group = contact_group(html)
    message = "Vul uw e-mailadres of uw postadres in, zodat wij u kunnen antwoorden."
    # Legend, hint, error, then the fields; the group points at its hint and its error.
    assert group.index('id="contact-hint"') < group.index(message) < group.index('id="id_email"')
    assert 'aria-describedby="contact-hint contact-error"' in group
    assert "kp-form-field--invalid" in html.split('<fieldset class="kp-fieldset kp-form-contact')[1].split(">")[0]
    # The empty email field itself is no error.
    email_input = group.split('id="id_email"')[0].rsplit("<input", 1)[1] + group.split('id="id_email"')[1].split(">")[0]
    assert "aria-invalid" not in email_input
    assert 'id="id_email-error"' not in html
    # The error summary leads to the group's first field.
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert f'<a href="#id_email">{message}</a>' in summary
    assert nothing_stored()


def test_postal_address_alone_is_enough_and_gets_a_letter_instead_of_a_mail(
    file_complaint, client, form_page, valid_post
):
    post = {**valid_post, "email": "", "postal_address": "Dorpsstraat 1\n1234 AB Proefdorp"}

    assert file_complaint(form_page, post).status_code == 302

    acknowledgement = Notification.objects.get(kind="acknowledgement")
    assert acknowledgement.medium == "post"
    assert acknowledgement.state == "pending"
    assert len(mail.outbox) == 1  # only the coordinators' notice


def test_honeypot_is_refused_neutrally_and_stores_nothing(file_complaint, client, form_page, valid_post, caplog):
    response = file_complaint(form_page, {**valid_post, "website": "http://spam.example"})

    assert response.status_code == 200
    assert "Uw klacht is nog niet verstuurd" in response.content.decode()
    assert nothing_stored()
    assert "honeypot" in caplog.text


def test_form_sent_too_fast_is_refused_and_keeps_the_values(file_complaint, client, form_page, valid_post, settings):
    settings.KLACHTFORMULIEREN_MINIMUM_FILL_SECONDS = 3
    from klachtformulieren.intake.spam import form_started_token

    response = file_complaint(form_page, {**valid_post, "form_started": form_started_token()})

    html = response.content.decode()
    assert "Uw klacht is nog niet verstuurd" in html
    assert "Jan de Klager" in html
    assert nothing_stored()


def test_form_without_a_start_time_is_refused(file_complaint, client, form_page, valid_post):
    response = file_complaint(form_page, {**valid_post, "form_started": "vervalst"})

    assert "Uw klacht is nog niet verstuurd" in response.content.decode()
    assert nothing_stored()


def test_over_the_rate_limit_is_refused_with_429_and_a_clear_message(
    file_complaint, client, form_page, valid_post, settings
):
    settings.KLACHTFORMULIEREN_SUBMIT_RATE = "2/h"
    for _ in range(2):
        assert file_complaint(form_page, with_new_token(valid_post)).status_code == 302

    response = file_complaint(form_page, valid_post)

    assert response.status_code == 429
    assert "Wacht een uur" in response.content.decode()
    assert Complaint.objects.count() == 2


def test_a_citizen_correcting_mistakes_is_never_locked_out(file_complaint, client, form_page, valid_post, settings):
    """The limit counted forms sent back for corrections: on a shared PC, a citizen was locked out."""
    settings.KLACHTFORMULIEREN_SUBMIT_RATE = "2/h"
    data = {**valid_post, "name": ""}
    for _ in range(6):
        response = file_complaint(form_page, data)
        assert response.status_code == 200
        # The form comes back with a new token that still counts from when it was first shown.
        data = {**data, "form_started": response.context["form"]["form_started"].value()}

    assert file_complaint(form_page, {**data, "name": "Jan de Klager"}).status_code == 302


def test_the_same_start_token_sent_twice_files_one_complaint(file_complaint, client, form_page, valid_post):
    assert file_complaint(form_page, valid_post).status_code == 302

    replay = file_complaint(form_page, {**valid_post, "description": "Nog een keer"})

    assert Complaint.objects.count() == 1
    # A double click: the same browser sees the thank-you page of the complaint it filed.
    assert replay.status_code == 302 and replay["Location"].endswith("bedankt/")


def test_a_start_token_replayed_by_another_client_is_refused_and_files_nothing(client, form_page, valid_post):
    first = type(client)()
    first.post(form_page.url, valid_post)

    replay = client.post(form_page.url, {**valid_post, "description": "Nog een keer"})

    assert replay.status_code == 200
    assert "al verstuurd" in replay.content.decode()
    assert Complaint.objects.count() == 1


def test_a_form_left_open_too_long_keeps_its_values_and_gets_a_fresh_token(
    file_complaint, form_page, valid_post, settings
):
    settings.KLACHTFORMULIEREN_FORM_TOKEN_HOURS = 24
    old = {**valid_post, "form_started": form_started_token(now=time.time() - 25 * 3600)}

    response = file_complaint(form_page, old)

    assert response.status_code == 200
    assert "lang open" in response.content.decode()
    assert response.context["form"]["description"].value() == valid_post["description"]
    fresh = response.context["form"]["form_started"].value()
    assert fresh != old["form_started"]
    assert nothing_stored()
    assert file_complaint(form_page, {**old, "form_started": fresh}).status_code == 302


def test_attachment_is_stored_privately_with_a_sanitised_name(file_complaint, client, form_page, valid_post, settings):
    upload = SimpleUploadedFile("../../foto van balie.png", png_bytes(), content_type="image/png")

    file_complaint(form_page, {**valid_post, "attachments": [upload]})

    attachment = ComplaintAttachment.objects.get()
    assert attachment.name == "foto-van-balie.png"
    assert attachment.content_type == "image/png"
    assert str(settings.KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT) in attachment.file.path
    assert str(settings.MEDIA_ROOT) not in attachment.file.path


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("brief.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"),
            "geen PDF",
        ),
        (
            SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), content_type="application/pdf"),
            "groter dan",
        ),
    ],
)
def test_disguised_or_oversized_file_is_refused_and_nothing_is_stored(
    file_complaint, client, form_page, valid_post, upload, message, tmp_path
):
    form_page.max_file_size_mb = 1
    form_page.save()

    response = file_complaint(form_page, {**valid_post, "attachments": [upload]})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_stored()


def test_too_many_files_are_refused(file_complaint, client, form_page, valid_post):
    form_page.max_files = 1
    form_page.save()
    files = [SimpleUploadedFile(f"f{i}.png", png_bytes(), content_type="image/png") for i in range(2)]

    response = file_complaint(form_page, {**valid_post, "attachments": files})

    assert "hooguit 1" in response.content.decode()
    assert nothing_stored()


def test_uploads_can_be_switched_off(client, form_page):
    form_page.uploads_allowed = False
    form_page.save()

    assert 'type="file"' not in client.get(form_page.url).content.decode()


def test_a_partner_page_preselects_the_partner_and_the_case_records_it(file_complaint, client, form_page, valid_post):
    from tests.factories import PartnerFactory

    partner = PartnerFactory(name="Thuiszorg De Linde", slug="thuiszorg-de-linde")
    PartnerFactory(name="Verborgen", slug="verborgen", published=False)

    html = client.get(form_page.url, {"partner": "thuiszorg-de-linde"}).content.decode()
    assert '<option value="thuiszorg-de-linde" selected>' in html
    assert "Verborgen" not in html

    file_complaint(form_page, {**valid_post, "partner": "thuiszorg-de-linde"})
    assert Complaint.objects.get().partner == partner


def test_an_unpublished_partner_cannot_be_chosen(file_complaint, client, form_page, valid_post):
    from tests.factories import PartnerFactory

    PartnerFactory(slug="verborgen", published=False)

    response = file_complaint(form_page, {**valid_post, "partner": "verborgen"})

    assert response.status_code == 200
    assert nothing_stored()


def test_the_form_loads_the_plugins_own_styles_and_hides_the_spam_trap_in_its_own_markup(client, form_page):
    html = client.get(form_page.url).content.decode()

    assert "/static/klachtformulieren/css/public.css" in html
    assert '<div class="kp-honeypot" hidden style="display: none !important">' in html
