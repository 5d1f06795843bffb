"""The route finder's rules (klachtwijzer): which question comes next, where the visitor ends up.

Not everything a citizen wants to raise is a complaint (DOMAIN.md, "What a complaint is"): a
decision goes to the objection procedure, a loose paving stone to the report system, a
provider's conduct first to that provider, another organisation's conduct to that
organisation (Awb 2:3). The route finder asks a few questions and sends the visitor there.

The visitor's answers travel in the query string, never in the session, so the browser's
Back button works and every step can be bookmarked:

- ``?antwoorden=1-3`` is the state: the visitor chose answer 1 to the first question, then
  answer 3 to the question that led to. Answers are numbered from 1, as on screen.
- A step's form adds ``vraag=<key of the question shown>&antwoord=<n>``; a valid answer is
  redirected to the canonical ``?antwoorden=1-3-n``.

This module knows nothing of Wagtail: the page turns its StreamField into ``Question`` objects.
"""

import re
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

ANSWERS_PARAM = "antwoorden"
QUESTION_PARAM = "vraag"
ANSWER_PARAM = "antwoord"

ANSWER_SEPARATOR = "-"
# ASCII digits only: str.isdigit() and \d also accept other scripts' digits.
_ANSWERS_PATTERN = re.compile(r"[1-9][0-9]{0,2}(?:-[1-9][0-9]{0,2})*", re.ASCII)
_ANSWER_PATTERN = re.compile(r"[1-9][0-9]{0,2}", re.ASCII)
_MAX_PARAM_LENGTH = 400


@dataclass(frozen=True)
class Option:
    """An answer to a question: it leads to another question (``next_key``) or to a destination."""

    label: str
    next_key: str | None = None
    destination: Any = None


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    hint: str = ""
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A mistake in the editors' configuration; ``question_index`` is None for the whole finder."""

    question_index: int | None
    message: str


@dataclass(frozen=True)
class Answered:
    """A question on the way, the answer given, and the query string that asks it again."""

    question: Question
    option: Option
    query: str


@dataclass(frozen=True)
class Step:
    """What the visitor sees now: a question (possibly with an error) or a destination."""

    question: Question | None = None
    destination: Any = None
    answers: tuple[int, ...] = ()
    trail: tuple[Answered, ...] = ()
    error: str = ""
    notice: str = ""
    redirect_query: str | None = None
    hidden_fields: tuple[tuple[str, str], ...] = ()

    answer_param = ANSWER_PARAM

    @property
    def number(self):
        return len(self.answers) + 1

    @property
    def is_first(self):
        return not self.answers

    @property
    def previous_query(self):
        return answers_query(self.answers[:-1])


def answers_query(answers):
    """The query string of the step reached by these answers; empty for the first question."""
    return f"?{ANSWERS_PARAM}={_answers_value(answers)}" if answers else ""


def _answers_value(answers):
    return ANSWER_SEPARATOR.join(str(n) for n in answers)


def parse_answers(raw):
    """The answer numbers in ``raw`` (e.g. "1-3"), or None when it is not a list of answers."""
    if not raw:
        return ()
    if len(raw) > _MAX_PARAM_LENGTH or not _ANSWERS_PATTERN.fullmatch(raw):
        return None
    return tuple(int(n) for n in raw.split(ANSWER_SEPARATOR))


def configuration_problems(questions):
    """Everything that would make the route finder fail a visitor: checked when editors save."""
    if not questions:
        return [Problem(None, _("Add at least one question: the first question is where the route finder starts."))]
    problems = []
    index_by_key = {}
    for index, question in enumerate(questions):
        if question.key in index_by_key:
            problems.append(
                Problem(
                    index,
                    _("The key “%(key)s” is also used by question %(number)s. Give every question its own key.")
                    % {"key": question.key, "number": index_by_key[question.key] + 1},
                )
            )
        else:
            index_by_key[question.key] = index
    for index, question in enumerate(questions):
        if not question.options:
            problems.append(Problem(index, _("Give this question at least one answer.")))
        for option in question.options:
            if option.next_key is None and option.destination is None:
                problems.append(Problem(index, _("The answer “%(answer)s” leads nowhere.") % {"answer": option.label}))
            elif option.next_key is not None and option.next_key not in index_by_key:
                problems.append(
                    Problem(
                        index,
                        _("The answer “%(answer)s” leads to question “%(key)s”, but no question has that key.")
                        % {"answer": option.label, "key": option.next_key},
                    )
                )
    cycle = find_cycle(questions, index_by_key)
    if cycle:
        problems.append(
            Problem(
                index_by_key[cycle[0]],
                _("These questions lead to each other in a circle, so the route finder never ends: %(circle)s.")
                % {"circle": " → ".join(cycle)},
            )
        )
    return problems


def find_cycle(questions, index_by_key):
    """The keys of one circle of questions (first key repeated at the end), or None."""
    next_keys = {
        question.key: [option.next_key for option in question.options if option.next_key in index_by_key]
        for question in questions
    }
    finished = set()

    def visit(key, path):
        if key in path:
            return [*path[path.index(key) :], key]
        if key in finished:
            return None
        for next_key in next_keys[key]:
            cycle = visit(next_key, [*path, key])
            if cycle:
                return cycle
        finished.add(key)
        return None

    for question in questions:
        cycle = visit(question.key, [])
        if cycle:
            return cycle
    return None


def follow(questions, answers):
    """Replay the answers from the first question: the step they reach, or None when they do not fit."""
    if not questions:
        return None
    by_key = {}
    for question in questions:
        by_key.setdefault(question.key, question)
    question = questions[0]
    trail = []
    for position, number in enumerate(answers):
        if question is None or not 1 <= number <= len(question.options):
            return None
        option = question.options[number - 1]
        trail.append(Answered(question, option, answers_query(answers[:position])))
        if option.next_key is not None:
            question = by_key.get(option.next_key)
            if question is None:
                return None
        elif option.destination is not None:
            question = None
        else:
            return None
    if question is None:
        return Step(destination=trail[-1].option.destination, answers=tuple(answers), trail=tuple(trail))
    return Step(
        question=question, answers=tuple(answers), trail=tuple(trail), hidden_fields=_hidden_fields(question, answers)
    )


def _hidden_fields(question, answers):
    """What a step's form sends along with the chosen answer: the answers so far and which question this is."""
    if answers:
        return ((ANSWERS_PARAM, _answers_value(answers)), (QUESTION_PARAM, question.key))
    return ((QUESTION_PARAM, question.key),)


def step_for(questions, query):
    """The step for a request's query parameters; tampered or outdated ones restart at question 1."""
    answers = parse_answers(query.get(ANSWERS_PARAM, ""))
    step = follow(questions, answers) if answers is not None else None
    if step is None:
        return _start_again(questions)
    submitted_key = query.get(QUESTION_PARAM)
    if submitted_key is None:
        if ANSWER_PARAM in query:
            return _start_again(questions)
        return step
    if step.question is None or submitted_key != step.question.key:
        # The form belonged to another question: an old bookmark, or the editors changed the finder.
        return _start_again(questions)
    raw_answer = query.get(ANSWER_PARAM, "")
    if not raw_answer:
        return replace(step, error=_("Choose an answer."))
    if not _ANSWER_PATTERN.fullmatch(raw_answer) or int(raw_answer) > len(step.question.options):
        return _start_again(questions)
    return replace(step, redirect_query=answers_query((*step.answers, int(raw_answer))))


def _start_again(questions):
    step = follow(questions, ()) or Step()
    notice = _(
        "We could not follow the link you used. It may be out of date. Please start again with the first question."
    )
    return replace(step, notice=notice)
