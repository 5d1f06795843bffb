"""The route finder (klachtwijzer): plain questions that send the visitor to the right place."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from klachtformulieren.route_finder import rules
from klachtformulieren.route_finder.pages import ObjectionDestinationBlock, RouteFinderPage
from partners.pages import PartnerIndexPage
from tests.factories import (
    OBJECTION_URL,
    POLICE_URL,
    REPORT_URL,
    ComplaintFormPageFactory,
    PartnerFactory,
    RouteFinderPageFactory,
    TopicFactory,
    UserFactory,
    municipal_route,
    question,
    to_complaint_form,
    to_objection,
    to_question,
)

pytestmark = pytest.mark.django_db

RESTART_NOTICE = (
    "We could not follow the link you used. It may be out of date. Please start again with the first question."
)


def nl(text):
    """A source string as a Dutch visitor reads it (English until the lead adds the translation)."""
    with translation.override("nl"):
        return translation.gettext(text)


# Building blocks of a configuration, in the StreamField's raw form.


@pytest.fixture
def complaint_form(home_page, site):
    return ComplaintFormPageFactory(parent=home_page, municipality=site.municipalitysettings.municipality)


@pytest.fixture
def directory(home_page, complaint_form):
    page = PartnerIndexPage(title="Organisaties", slug="organisaties", complaint_page=complaint_form)
    home_page.add_child(instance=page)
    return page


@pytest.fixture
def youth_care():
    return TopicFactory(name="Jeugdhulp", slug="jeugdhulp")


@pytest.fixture
def finder(home_page, complaint_form, directory, youth_care):
    return RouteFinderPageFactory(parent=home_page, steps=municipal_route(complaint_form, directory, youth_care))


def answer(client, finder, *numbers):
    """Answer questions one by one, as a browser submits each step's form and follows the redirect."""
    response = client.get(finder.url)
    for number in numbers:
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode()))
        response = client.get(finder.url, {**hidden, "antwoord": number}, follow=True)
        assert response.redirect_chain, "a valid answer redirects to the address of the next step"
    return response


def first_question_shown(html):
    return "<legend" in html and "Waarover gaat het?" in html and 'name="vraag" value="waarover"' in html


# The walk through the questions


def test_first_visit_asks_the_first_question_with_radio_buttons_in_a_fieldset(client, finder):
    response = client.get(finder.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert first_question_shown(html)
    assert f'<form class="kp-form kp-route-finder" action="{finder.url}" method="get"' in html
    assert html.count('type="radio" id="answer-') == 5
    assert '<label class="kp-radios__label" for="answer-4">Zorg of hulp die een organisatie' in html
    assert 'aria-describedby="question-hint"' in html and "Kies wat het beste past." in html
    assert "Beantwoord een paar vragen." in html  # the introduction, on the first question only
    assert f">{nl('Next')}</button>" in html
    assert nl("Start again") not in html


def test_each_answer_redirects_to_a_bookmarkable_address_holding_all_answers(client, finder):
    first = client.get(finder.url, {"vraag": "waarover", "antwoord": "4"})
    second = client.get(finder.url, {"antwoorden": "4", "vraag": "welke-hulp", "antwoord": "1"})

    assert first.status_code == 302 and first["Location"] == f"{finder.url}?antwoorden=4"
    assert second.status_code == 302 and second["Location"] == f"{finder.url}?antwoorden=4-1"


def test_second_question_offers_the_previous_question_and_starting_again(client, finder):
    html = answer(client, finder, 4).content.decode()

    assert "Om welke hulp gaat het?" in html
    assert nl("Question %(number)s") % {"number": 2} in html
    assert '<input type="hidden" name="antwoorden" value="4">' in html
    assert f'<a href="{finder.url}">{nl("Previous question")}</a>' in html
    assert f'<a href="{finder.url}">{nl("Start again")}</a>' in html
    assert "Beantwoord een paar vragen." not in html


def test_bookmarked_result_opens_without_answering_again(client, finder):
    response = client.get(finder.url, {"antwoorden": "2"})

    assert response.status_code == 200
    assert nl("Object to a decision") in response.content.decode()


@pytest.mark.parametrize(
    ("answers", "heading", "link"),
    [
        ((1,), "File a complaint with the municipality", "complaint_form"),
        ((4, 2), "File a complaint with the municipality", "complaint_form"),
        ((2,), "Object to a decision", OBJECTION_URL),
        ((3,), "Report a problem in the public space", REPORT_URL),
        ((4, 1), "Complain to the organisation that does this work", "directory?onderwerp=jeugdhulp"),
        ((5,), "Your complaint is about another organisation", POLICE_URL),
    ],
    ids=["complaint-form", "complaint-form-via-second-question", "objection", "report", "partner", "other"],
)
def test_every_destination_kind_is_reached_by_answering(
    client, finder, complaint_form, directory, answers, heading, link
):
    link = {
        "complaint_form": complaint_form.url,
        "directory?onderwerp=jeugdhulp": f"{directory.url}?onderwerp=jeugdhulp",
    }.get(link, link)

    response = answer(client, finder, *answers)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h2 class="kp-heading-2" id="result-heading">{nl(heading)}</h2>' in html
    assert f'href="{link}"' in html
    assert "<legend" not in html  # a result, not another question
    assert f"<title>{nl(heading)} - Klachtwijzer |" in html


def test_other_organisation_result_explains_how_the_municipality_forwards_it(client, finder):
    html = answer(client, finder, 5).content.decode()

    assert "Dan sturen wij die door naar de politie" in html  # Awb 2:3, in the editors' words
    assert nl("Go to the website of %(name)s") % {"name": "de politie"} in html


def test_partner_result_lists_only_published_partners_of_that_topic(client, finder, directory, youth_care):
    PartnerFactory(name="Jeugdteam Noord", slug="jeugdteam-noord", topics=[youth_care])
    PartnerFactory(name="Stichting Opvoeden", slug="stichting-opvoeden", topics=[youth_care])
    PartnerFactory(name="Verborgen Jeugdzorg", topics=[youth_care], published=False)
    PartnerFactory(name="Afvalbedrijf Groenrijk", topics=[TopicFactory(name="Afval", slug="afval")])

    html = answer(client, finder, 4, 1).content.decode()

    assert f'<a href="{directory.url}jeugdteam-noord/">Jeugdteam Noord</a>' in html
    assert f'<a href="{directory.url}stichting-opvoeden/">Stichting Opvoeden</a>' in html
    assert html.index("Jeugdteam Noord") < html.index("Stichting Opvoeden")
    assert "Verborgen Jeugdzorg" not in html
    assert "Afvalbedrijf Groenrijk" not in html
    assert f'href="{directory.url}?onderwerp=jeugdhulp"' in html


def test_partner_result_without_partners_still_leads_to_the_municipality(client, finder, complaint_form):
    html = answer(client, finder, 4, 1).content.decode()

    assert nl("We cannot show the organisations for this work right now.") in html
    assert f'<a href="{complaint_form.url}">{nl("Complain to the municipality")}</a>' in html


def test_result_lists_the_answers_given_with_a_link_to_change_each(client, finder):
    html = answer(client, finder, 4, 1).content.decode()

    assert "<dt>Waarover gaat het?</dt>" in html and "Zorg of hulp die een organisatie" in html
    assert "<dt>Om welke hulp gaat het?</dt>" in html and "Jeugdhulp" in html
    assert f'<a href="{finder.url}">{nl("Change")}' in html  # back to question 1
    assert f'<a href="{finder.url}?antwoorden=4">{nl("Change")}' in html  # back to question 2
    assert f'<a href="{finder.url}?antwoorden=4">{nl("Previous question")}</a>' in html


def test_next_without_choosing_asks_the_same_question_again_with_an_error(client, finder):
    response = client.get(finder.url, {"antwoorden": "4", "vraag": "welke-hulp"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Om welke hulp gaat het?" in html
    assert 'id="error-summary"' in html and '<a href="#answer-1">' in html
    assert (
        f'id="question-error"><span class="kp-visually-hidden">{nl("Error:")} </span>{nl("Choose an answer.")}' in html
    )
    assert 'aria-describedby="question-error"' in html
    assert f"<title>{nl('Error')}: Om welke hulp gaat het? - Klachtwijzer |" in html


@pytest.mark.parametrize(
    "params",
    [
        {"antwoorden": "9"},
        {"antwoorden": "0"},
        {"antwoorden": "-1"},
        {"antwoorden": "1-1"},  # an answer after the destination
        {"antwoorden": "4-3"},
        {"antwoorden": "abc"},
        {"antwoorden": "4--1"},
        {"antwoorden": "٤"},  # an Arabic-Indic four: a digit to Python, not to us
        {"antwoorden": "99999999999999999999999"},
        {"antwoorden": "4-" * 5000 + "1"},
        {"antwoorden": "<script>alert(1)</script>"},
        {"vraag": "onbekend", "antwoord": "1"},
        {"vraag": "waarover", "antwoord": "6"},
        {"vraag": "waarover", "antwoord": "0"},
        {"vraag": "waarover", "antwoord": "1.5"},
        {"vraag": "waarover", "antwoord": "x"},
        {"antwoord": "1"},  # an answer without its question
        {"antwoorden": "4", "vraag": "waarover", "antwoord": "1"},  # the form of another question
        {"antwoorden": "2", "vraag": "waarover", "antwoord": "1"},  # a form on a result
    ],
)
def test_tampered_or_outdated_parameters_restart_at_the_first_question_with_a_message(client, finder, params):
    response = client.get(finder.url, params)

    html = response.content.decode()
    assert response.status_code == 200
    assert first_question_shown(html)
    assert nl(RESTART_NOTICE) in html
    assert "<script>alert(1)</script>" not in html


def test_the_finder_only_answers_get_requests(client, finder):
    assert client.post(finder.url, {"vraag": "waarover", "antwoord": "1"}).status_code == 405


def test_nonsense_below_the_finder_is_not_found(client, finder):
    assert client.get(f"{finder.url}vraag/1/").status_code == 404


def test_answers_from_before_the_editors_removed_a_question_start_again(client, finder, complaint_form):
    finder.steps = [
        question(
            "waarover", "Waarover gaat het?", ("Iets", to_complaint_form(complaint_form)), ("Anders", to_objection())
        )
    ]
    finder.save_revision().publish()

    response = client.get(finder.url, {"antwoorden": "4-1"})

    html = response.content.decode()
    assert first_question_shown(html)
    assert nl(RESTART_NOTICE) in html


def test_unpublished_destination_page_gives_the_result_without_a_dead_link(client, finder, complaint_form, directory):
    complaint_form.unpublish()
    directory.unpublish()

    complaint = answer(client, finder, 1)
    partners = answer(client, finder, 4, 1)

    assert complaint.status_code == 200 and nl("Go to the complaint form") not in complaint.content.decode()
    assert partners.status_code == 200 and "onderwerp=jeugdhulp" not in partners.content.decode()


def test_deleted_destination_page_and_topic_never_break_the_result(client, finder, complaint_form, youth_care):
    complaint_form.delete()
    youth_care.delete()

    assert client.get(finder.url, {"antwoorden": "1"}).status_code == 200
    assert client.get(finder.url, {"antwoorden": "4-1"}).status_code == 200


def test_a_broken_configuration_saved_past_validation_never_breaks_the_page(client, finder):
    broken = [
        question(
            "waarover", "Waarover gaat het?", ("Verder", to_question("bestaat-niet")), ("Ook", to_question("waarover"))
        )
    ]
    RouteFinderPage.objects.filter(pk=finder.pk).update(steps=broken)

    assert client.get(finder.url, {"antwoorden": "1"}).status_code == 200
    assert client.get(finder.url, {"antwoorden": "2-2-2-2"}).status_code == 200
    RouteFinderPage.objects.filter(pk=finder.pk).update(steps=[])
    assert client.get(finder.url).status_code == 200


# What editors may save (checked in RouteFinderPage.clean)


def steps_errors(page):
    """The messages of a refused configuration: (question index or None, message)."""
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    error = next(e for e in caught.value.error_dict["steps"] if hasattr(e, "block_errors"))
    found = [(None, message) for message in error.non_block_errors.as_data() for message in message.messages]
    for index, block_error in error.block_errors.items():
        found += [(index, message) for e in block_error.non_block_errors.as_data() for message in e.messages]
    return found


def test_the_municipal_route_is_a_valid_configuration(finder):
    finder.full_clean()

    assert rules.configuration_problems(finder.questions()) == []


def test_a_finder_without_a_first_question_is_refused(finder):
    finder.steps = []

    assert [index for index, _ in steps_errors(finder)] == [None]


def test_two_questions_with_the_same_key_are_refused_on_the_second(finder, complaint_form):
    finder.steps = [
        question("waarover", "Eerste?", ("Ja", to_question("vervolg")), ("Nee", to_complaint_form(complaint_form))),
        question("vervolg", "Tweede?", ("Ja", to_objection()), ("Nee", to_complaint_form(complaint_form))),
        question("vervolg", "Derde?", ("Ja", to_objection()), ("Nee", to_complaint_form(complaint_form))),
    ]

    errors = steps_errors(finder)

    assert len(errors) == 1 and errors[0][0] == 2
    assert "vervolg" in errors[0][1]


def test_an_answer_leading_to_a_missing_question_is_refused(finder, complaint_form):
    finder.steps = [
        question("waarover", "Eerste?", ("Ja", to_question("vergeten")), ("Nee", to_complaint_form(complaint_form)))
    ]

    errors = steps_errors(finder)

    assert len(errors) == 1 and errors[0][0] == 0
    assert "vergeten" in errors[0][1] and "Ja" in errors[0][1]


@pytest.mark.parametrize(
    ("keys_and_targets", "circle"),
    [
        ([("a", "b"), ("b", "a")], "a → b → a"),
        ([("a", "a")], "a → a"),
        ([("a", "b"), ("b", "c"), ("c", "b")], "b → c → b"),
    ],
    ids=["two-questions", "to-itself", "behind-the-first"],
)
def test_questions_leading_to_each_other_in_a_circle_are_refused(finder, complaint_form, keys_and_targets, circle):
    finder.steps = [
        question(key, f"Vraag {key}?", ("Verder", to_question(target)), ("Klacht", to_complaint_form(complaint_form)))
        for key, target in keys_and_targets
    ]

    errors = steps_errors(finder)

    assert len(errors) == 1
    assert circle in errors[0][1]


def test_a_circle_cannot_be_saved_at_all(home_page, complaint_form):
    steps = [question("a", "A?", ("Verder", to_question("a")), ("Klacht", to_complaint_form(complaint_form)))]

    with pytest.raises(ValidationError):
        RouteFinderPageFactory(parent=home_page, steps=steps)


def test_objection_destination_needs_a_page_or_a_web_address():
    block = ObjectionDestinationBlock()
    value = block.to_python({"page": None, "url": "", "explanation": "<p>Maak bezwaar.</p>"})

    with pytest.raises(ValidationError) as caught:
        block.clean(value)

    assert "page" in caught.value.block_errors
    assert block.clean(block.to_python({"page": None, "url": OBJECTION_URL, "explanation": "<p>Uitleg</p>"}))


def test_the_finder_is_a_leaf_page():
    assert RouteFinderPage.allowed_subpage_models() == []


def test_editors_can_open_the_route_finder_in_the_admin(client, finder, home_page, youth_care):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    edit = client.get(f"/admin/pages/{finder.pk}/edit/")
    add = client.get(f"/admin/pages/add/klachtformulieren/routefinderpage/{home_page.pk}/")

    assert edit.status_code == 200 and add.status_code == 200
    assert "Jeugdhulp" in edit.content.decode()  # the topic drop-down


# The plain rules


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("", ()), ("1", (1,)), ("4-1-12", (4, 1, 12)), ("0", None), ("1-", None), ("1 2", None), ("1000", None)],
)
def test_parse_answers(raw, parsed):
    assert rules.parse_answers(raw) == parsed


def test_follow_stops_at_the_destination_of_the_last_answer():
    questions = [
        rules.Question("a", "A?", options=(rules.Option("naar b", next_key="b"),)),
        rules.Question("b", "B?", options=(rules.Option("klaar", destination="bestemming"),)),
    ]

    assert rules.follow(questions, ()).question.key == "a"
    assert rules.follow(questions, (1,)).question.key == "b"
    assert rules.follow(questions, (1, 1)).destination == "bestemming"
    assert rules.follow(questions, (1, 1, 1)) is None
    assert rules.follow(questions, (2,)) is None
