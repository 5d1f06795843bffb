"""The editors' questions on the form page: choices announced as a group, optional drop-downs
that send nothing when skipped, and the error summary that takes the focus."""

import pytest

from klachtformulieren.intake.pages import ComplaintFormField
from klachtformulieren.models import Complaint

pytestmark = pytest.mark.django_db


def test_a_radio_question_is_a_fieldset_whose_legend_is_the_question(client, form_page):
    ComplaintFormField.objects.create(
        page=form_page, label="Hoe wilt u contact?", field_type="radio", choices="Telefoon\nBrief"
    )

    page = client.get(form_page.url).content.decode()

    fieldset = page[page.index('<fieldset class="kp-form-field kp-form-choice') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert "<legend" in fieldset and "Hoe wilt u contact?" in fieldset
    assert 'type="radio"' in fieldset and 'for="id_vraag_hoe_wilt_u_contact"' not in fieldset


def test_an_optional_drop_down_starts_empty_and_a_skipped_one_sends_nothing(
    file_complaint, client, form_page, valid_post
):
    ComplaintFormField.objects.create(
        page=form_page, label="Welke afdeling?", field_type="dropdown", choices="Burgerzaken\nBelastingen"
    )

    page = client.get(form_page.url).content.decode()
    select = page[page.index('name="vraag_welke_afdeling"') :]
    assert select.index("Maak een keuze") < select.index("Burgerzaken")

    file_complaint(form_page, valid_post)
    assert [answer["answer"] for answer in Complaint.objects.get().extra_answers] in ([], [""])


def test_after_a_failed_submit_the_error_summary_takes_the_focus_and_the_title_says_error(
    file_complaint, form_page, valid_post
):
    page = file_complaint(form_page, {**valid_post, "name": ""}).content.decode()

    assert 'id="error-summary" autofocus' in page
    assert "<title>Fout" in page


def test_the_privacy_notice_links_to_the_page_the_editors_chose(client, form_page, home_page):
    from tests.factories import InformationPageFactory

    privacy = InformationPageFactory(parent=home_page, title="Privacyverklaring", slug="privacy")
    form_page.privacy_page = privacy
    form_page.save()

    page = client.get(form_page.url).content.decode()

    assert f'href="{privacy.url}"' in page and "privacyverklaring" in page
