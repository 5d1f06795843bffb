"""Snippets > Mail texts as an editor or administrator uses them: every kind starts from its
shipped default, can go back to it, shows its own placeholders, and can be previewed with a
real case without anything being sent."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from klachtformulieren.admin import audit
from klachtformulieren.admin.mail_texts import RESET, kinds_on_default
from klachtformulieren.cases import roles
from klachtformulieren.correspondence.texts import DEFAULT_TEMPLATES, default_text
from klachtformulieren.models import MailTemplate, Notification
from tests.factories import ComplaintFactory, MunicipalityFactory, UserFactory, role_user

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_klachtformulieren_mailtemplate"


@pytest.fixture
def municipality():
    return MunicipalityFactory(name="Gemeente Proefdorp")


@pytest.fixture
def administrator(client, municipality):
    user = role_user(roles.ADMINISTRATOR, municipalities=[municipality], first_name="Bea", last_name="Heer")
    client.force_login(user)
    return user


def own_text(municipality, kind=Notification.Kind.ACKNOWLEDGEMENT, **kwargs):
    return MailTemplate.objects.create(
        municipality=municipality,
        kind=kind,
        subject=kwargs.get("subject", "Ontvangen: {kenmerk}"),
        body=kwargs.get("body", "Beste {naam},\n\nWij hebben uw klacht {kenmerk} ontvangen."),
    )


# --- Unknown placeholders ------------------------------------------------------------------------------------------


def test_an_unknown_placeholder_is_refused_on_save_with_a_dutch_message(client, administrator, municipality):
    response = client.post(
        reverse(f"{URLS}:add"),
        {
            "municipality": municipality.pk,
            "kind": "decision",
            "subject": "Besluit {kenmerk}",
            "body": "Beste {geadresseerde},\n\nUw klacht is {uitkomts}.",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Onbekende invulplek {uitkomts}. Deze soort tekst kent:" in html
    assert "{uitkomst}" in html  # the known names, to correct the typing error
    assert not MailTemplate.objects.exists()


# --- Starting from the shipped default -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(DEFAULT_TEMPLATES), ids=str)
def test_a_new_text_of_a_kind_starts_from_its_shipped_default(client, administrator, kind):
    subject, body = default_text(kind)

    response = client.get(reverse(f"{URLS}:add") + f"?kind={kind}")

    form = response.context["form"]
    assert response.status_code == 200
    assert form["kind"].value() == kind
    assert form["subject"].value() == subject
    assert form["body"].value() == body
    # Beside the editor: this kind's own placeholders, in Dutch.
    assert "Deze soort tekst kent deze invulplekken" in response.content.decode()


def test_on_an_english_site_a_new_text_starts_from_the_english_default(client, administrator, settings):
    settings.LANGUAGE_CODE = "en"

    response = client.get(reverse(f"{URLS}:add") + "?kind=acknowledgement")

    form = response.context["form"]
    assert form["subject"].value() == "We have received your complaint ({kenmerk})"
    assert form["body"].value().startswith("Dear {naam},")


def test_the_prefilled_default_is_saved_as_edited(client, administrator, municipality):
    subject, body = default_text(Notification.Kind.POSTPONEMENT)

    response = client.post(
        reverse(f"{URLS}:add") + "?kind=postponement",
        {
            "municipality": municipality.pk,
            "kind": "postponement",
            "subject": subject,
            "body": body.replace("Met vriendelijke groet", "Hartelijke groet"),
        },
    )

    assert response.status_code == 302
    text = MailTemplate.objects.get()
    assert text.subject == subject and "Hartelijke groet" in text.body


def test_an_unknown_kind_on_the_create_url_starts_empty(client, administrator):
    response = client.get(reverse(f"{URLS}:add") + "?kind=nonsense")

    assert response.status_code == 200
    assert not response.context["form"]["subject"].value()


def test_the_create_screen_offers_every_kind_to_start_from(client, administrator):
    html = client.get(reverse(f"{URLS}:add")).content.decode()

    for kind in DEFAULT_TEMPLATES:
        assert f"?kind={kind}" in html


# --- Which kinds use the default -----------------------------------------------------------------------------------


def test_the_listing_shows_which_kinds_still_use_the_shipped_default(client, administrator, municipality):
    own_text(municipality)
    subject, body = default_text(Notification.Kind.DECISION)
    MailTemplate.objects.create(municipality=municipality, kind="decision", subject=subject, body=body)

    html = client.get(reverse(f"{URLS}:list")).content.decode()

    assert "Soorten die nog de standaardtekst gebruiken" in html
    section = html.split("Soorten die nog de standaardtekst gebruiken")[1].split("</section>")[0]
    assert "Verdaging" in section or "verdaging" in section  # postponement: no text of its own
    assert f"?kind={Notification.Kind.POSTPONEMENT}" in section
    assert f'?kind={Notification.Kind.ACKNOWLEDGEMENT}"' not in section.split("<details>")[0]
    assert "Eigen tekst" in html  # the acknowledgement
    assert "Standaardtekst, ongewijzigd" in html  # the decision letter, saved as shipped


def test_kinds_on_default_are_counted_per_user(municipality):
    other = MunicipalityFactory()
    own_text(other, kind=Notification.Kind.DECISION)
    user = role_user(roles.ADMINISTRATOR, municipalities=[municipality])

    kinds = [kind for kind, _label in kinds_on_default(user)]

    assert Notification.Kind.DECISION in kinds  # another municipality's text is not theirs
    assert set(kinds) == set(Notification.Kind.values)


# --- Back to the default -------------------------------------------------------------------------------------------


def test_restoring_the_default_asks_first_and_changes_nothing_until_confirmed(client, administrator, municipality):
    text = own_text(municipality)

    response = client.get(reverse(f"{URLS}:reset", args=[text.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ja, zet de standaardtekst terug" in html
    assert default_text(Notification.Kind.ACKNOWLEDGEMENT)[0] in html
    text.refresh_from_db()
    assert text.subject == "Ontvangen: {kenmerk}"


def test_restoring_the_default_puts_the_shipped_text_back_and_logs_it(client, administrator, municipality):
    text = own_text(municipality)
    edit = client.get(reverse(f"{URLS}:edit", args=[text.pk])).content.decode()
    assert reverse(f"{URLS}:reset", args=[text.pk]) in edit

    response = client.post(reverse(f"{URLS}:reset", args=[text.pk]))

    assert response.status_code == 302 and response["Location"] == reverse(f"{URLS}:edit", args=[text.pk])
    text.refresh_from_db()
    assert (text.subject, text.body) == default_text(Notification.Kind.ACKNOWLEDGEMENT)
    entry = ModelLogEntry.objects.get(action=RESET, object_id=str(text.pk))
    assert entry.user == administrator
    history = client.get(reverse(f"{URLS}:history", args=[text.pk])).content.decode()
    assert "Mailtekst teruggezet naar de standaardtekst" in history


def test_only_who_may_change_a_text_restores_its_default(client, municipality):
    text = own_text(municipality)
    other_text = own_text(MunicipalityFactory())
    client.force_login(role_user(roles.EDITOR, municipalities=[municipality]))
    shared = MailTemplate.objects.create(kind="decision", subject="Gedeeld {kenmerk}", body="Gedeeld")
    # An editor changes their own municipality's texts, not the install's shared one.
    assert client.post(reverse(f"{URLS}:reset", args=[shared.pk]))["Location"] == reverse("wagtailadmin_home")

    client.force_login(role_user(roles.ADMINISTRATOR, municipalities=[municipality]))
    assert client.post(reverse(f"{URLS}:reset", args=[other_text.pk])).status_code == 404

    text.refresh_from_db()
    other_text.refresh_from_db()
    shared.refresh_from_db()
    assert text.subject == other_text.subject == "Ontvangen: {kenmerk}"
    assert shared.subject == "Gedeeld {kenmerk}"
    assert not ModelLogEntry.objects.filter(action=RESET).exists()


def test_a_coordinator_without_mail_text_rights_cannot_restore(client, municipality):
    text = own_text(municipality)
    client.force_login(role_user(roles.COORDINATOR, municipalities=[municipality]))

    response = client.post(reverse(f"{URLS}:reset", args=[text.pk]))

    # Wagtail answers a refusal with a redirect to the dashboard and a message.
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    text.refresh_from_db()
    assert text.subject == "Ontvangen: {kenmerk}"


# --- Preview with a real case --------------------------------------------------------------------------------------


def test_the_preview_fills_in_a_visible_case_and_sends_nothing(client, administrator, municipality, mailoutbox):
    text = own_text(municipality, subject="Ontvangen: {kenmerk}", body="Beste {naam},\n\nOntvangen op {ontvangen_op}.")
    complaint = ComplaintFactory(
        municipality=municipality,
        name="Jan de Klager",
        received_at=datetime.datetime(2026, 10, 27, 10, tzinfo=datetime.UTC),
    )
    notifications_before = Notification.objects.count()

    response = client.get(reverse(f"{URLS}:preview_with_case", args=[text.pk]), {"reference": complaint.reference})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Ontvangen: {complaint.reference}" in html
    assert "Beste Jan de Klager," in html
    assert "Ontvangen op 27 oktober 2026." in html
    assert Notification.objects.count() == notifications_before
    assert mailoutbox == []
    assert ModelLogEntry.objects.filter(action=audit.VIEW_LETTER, object_id=str(complaint.pk)).exists()


def test_the_preview_of_a_case_the_user_may_not_see_is_not_found(client, administrator, municipality):
    text = own_text(municipality)
    elsewhere = ComplaintFactory(municipality=MunicipalityFactory(), name="Geheime Klager")

    response = client.get(reverse(f"{URLS}:preview_with_case", args=[text.pk]), {"reference": elsewhere.reference})

    assert response.status_code == 404
    assert "Geheime Klager" not in response.content.decode()
    assert not ModelLogEntry.objects.filter(action=audit.VIEW_LETTER).exists()


def test_the_preview_of_an_unknown_reference_is_not_found(client, administrator, municipality):
    text = own_text(municipality)

    response = client.get(reverse(f"{URLS}:preview_with_case", args=[text.pk]), {"reference": "2026-999999"})

    assert response.status_code == 404


def test_the_preview_asks_for_a_reference_in_dutch(client, administrator, municipality):
    text = own_text(municipality)

    html = client.get(reverse(f"{URLS}:preview_with_case", args=[text.pk])).content.decode()

    assert "Kenmerk van een zaak" in html
    assert "Er wordt niets verstuurd" in html


def test_a_superuser_previews_any_case(client, municipality):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    text = own_text(municipality)
    complaint = ComplaintFactory(municipality=MunicipalityFactory(), name="Piet Klager")

    response = client.get(reverse(f"{URLS}:preview_with_case", args=[text.pk]), {"reference": complaint.reference})

    assert response.status_code == 200
    assert "Beste Piet Klager," in response.content.decode()
