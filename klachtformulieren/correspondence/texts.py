"""The mails' texts: the built-in defaults, the editors' own (Snippets > Mail texts), the
placeholders of a case and how they are filled in."""

import re
import string

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from klachtformulieren.cases.links import case_index_url, case_inspect_url
from klachtformulieren.models import Complaint, MailTemplate, NotHandledReason, Notification, Outcome
from klachtformulieren.models.notifications import PLACEHOLDER_NAMES

# Built-in texts, used until editors save their own under Snippets > Mail texts. English is the
# source; the Dutch texts are its translation (locale/nl). The {placeholders} keep their Dutch
# names in every language: they are the names editors type (``PLACEHOLDER_NAMES``), and a
# translation must not change them.
DEFAULT_TEMPLATES = {
    Notification.Kind.ACKNOWLEDGEMENT: (
        gettext_lazy("We have received your complaint ({kenmerk})"),
        gettext_lazy(
            "Dear {naam},\n\n"
            "We received your complaint on {ontvangen_op}. Your reference is {kenmerk}.\n\n"
            "What happens now?\n"
            "- We will contact you on {eerste_contact_uiterlijk} at the latest.\n"
            "- You will get our decision on your complaint on {besluit_uiterlijk} at the latest.\n\n"
            "You can see how your complaint is doing through this link: {statuslink}\n"
            "Keep this link safe. Do not share it with others.\n\n"
            "This is what you filled in:\n{antwoorden}\n\n"
            "Kind regards,\n{gemeente}"
        ),
    ),
    Notification.Kind.COORDINATOR_NOTICE: (
        gettext_lazy("New complaint {kenmerk}"),
        gettext_lazy(
            "A new complaint has come in: {kenmerk}, received on {ontvangen_op}.\n\n"
            "First contact at the latest: {eerste_contact_uiterlijk}\n"
            "Decision at the latest: {besluit_uiterlijk}\n\n"
            "See the complaint: {link_naar_zaak}"
        ),
    ),
    # Awb 9:8 lid 3: in writing within 4 weeks of receipt, with the ground and the way on.
    Notification.Kind.NOT_HANDLED_NOTICE: (
        gettext_lazy("We will not handle your complaint ({kenmerk})"),
        gettext_lazy(
            "Dear {geadresseerde},\n\n"
            "We received your complaint on {ontvangen_op}. Your reference is {kenmerk}.\n"
            "We have looked at your complaint. We will not handle it. "
            "In this letter you can read why.\n\n"
            "Why do we not handle your complaint?\n"
            "The law names a few situations in which the municipality does not have to handle a complaint "
            "(article 9:8 of the General Administrative Law Act). For your complaint it is this situation:\n"
            "{grond_niet_in_behandeling}\n\n"
            "{toelichting_niet_in_behandeling}\n\n"
            "Do you not agree?\n"
            "Then you can take your complaint to {ombudsman}. "
            "You can do so until {termijn_ombudsman} after the date of this letter. "
            "On {website_ombudsman} you can read how that works.\n\n"
            "Kind regards,\n{ondertekening}"
        ),
    ),
    # Awb 2:3: passed on at once, and the complainant is told where to.
    Notification.Kind.FORWARDING_NOTICE: (
        gettext_lazy("Your complaint has been passed on ({kenmerk})"),
        gettext_lazy(
            "Dear {geadresseerde},\n\n"
            "We received your complaint on {ontvangen_op}. Your reference is {kenmerk}.\n"
            "We have looked at your complaint. Your complaint belongs with: {doorgestuurd_naar}. "
            "That is why we have sent your complaint there.\n\n"
            "Why?\n"
            "{reden_doorverwijzing}\n\n"
            "What happens now?\n"
            "{doorgestuurd_naar} will handle your complaint from here. From now on you can ask your questions "
            "about your complaint there. Do you hear nothing, or are you not helped well? Then let us know. "
            "Mention your reference {kenmerk}.\n\n"
            "Kind regards,\n{ondertekening}"
        ),
    ),
    # Awb 9:11 lid 2: one text for the complainant and for the person complained about.
    Notification.Kind.POSTPONEMENT: (
        gettext_lazy("More time needed for complaint {kenmerk}"),
        gettext_lazy(
            "Dear {geadresseerde},\n\n"
            "We received a complaint on {ontvangen_op}. Its reference is {kenmerk}.\n"
            "We need more time to deal with this complaint properly. "
            "That is why we are postponing our answer. "
            "The law allows this (article 9:11 of the General Administrative Law Act).\n\n"
            "Why do we need more time?\n"
            "{reden_uitstel}\n\n"
            "When will you hear from us?\n"
            "On {besluit_uiterlijk} at the latest we will tell you how we dealt with the complaint.\n\n"
            "Kind regards,\n{ondertekening}"
        ),
    ),
    # Awb 9:12: findings, judgement, conclusion, the ombudsman and the term. No objection
    # clause: there is no objection against the handling of a complaint (Awb 9:3).
    Notification.Kind.DECISION: (
        gettext_lazy("Our decision on your complaint ({kenmerk})"),
        gettext_lazy(
            "Dear {geadresseerde},\n\n"
            "We received your complaint on {ontvangen_op}. Your reference is {kenmerk}.\n"
            "We have looked into your complaint. In this letter you can read what we found, "
            "what we think of it and what our conclusion is.\n\n"
            "What did we find?\n"
            "{bevindingen}\n\n"
            "What do we think of it?\n"
            "{oordeel}\n\n"
            "Our conclusion\n"
            "Our judgement: {uitkomst}. {uitleg_uitkomst}\n\n"
            "Do you not agree with how we dealt with your complaint?\n"
            "Then you can take your complaint to {ombudsman}. "
            "You can do so until {termijn_ombudsman} after the date of this letter. "
            "On {website_ombudsman} you can read how that works.\n\n"
            "Kind regards,\n{ondertekening}"
        ),
    ),
    Notification.Kind.DEADLINE_REMINDER: (
        gettext_lazy("Reminder: complaint {kenmerk} to be dealt with by {besluit_uiterlijk}"),
        gettext_lazy(
            "Dear {naam_behandelaar},\n\n"
            "Complaint {kenmerk} must be dealt with by {besluit_uiterlijk} at the latest ({dagen_over}).\n\n"
            "Will that not work, and has the term not passed yet? Then postpone the handling and give the reason. "
            "The complainant and the person complained about get a letter about it "
            "(article 9:11 of the General Administrative Law Act).\n\n"
            "See the complaint: {link_naar_zaak}"
        ),
    ),
    Notification.Kind.HANDLER_ASSIGNED: (
        gettext_lazy("You are handling complaint {kenmerk}"),
        gettext_lazy(
            "Dear {naam_behandelaar},\n\n"
            "You are the handler of complaint {kenmerk} of {gemeente}, received on {ontvangen_op}.\n\n"
            "Please contact the complainant by {eerste_contact_uiterlijk} at the latest, if that has not "
            "happened yet. The decision on the complaint must be ready by {besluit_uiterlijk} at the latest.\n\n"
            "You do not handle the complaint if it is about yourself (article 9:7 of the General "
            "Administrative Law Act). Then tell the complaint coordinators at once.\n\n"
            "Open the complaint: {link_naar_zaak}"
        ),
    ),
    # Awb 9:10: both parties are given the chance to be heard; the appointment is attached as .ics.
    Notification.Kind.HEARING_INVITATION: (
        gettext_lazy("Invitation to a talk about complaint {kenmerk}"),
        gettext_lazy(
            "Dear {geadresseerde},\n\n"
            "We received a complaint on {ontvangen_op}. Its reference is {kenmerk}.\n"
            "Before we take a decision, we would like to talk with you about the complaint. "
            "This is called a hearing (article 9:10 of the General Administrative Law Act). "
            "You are warmly invited.\n\n"
            "When?\n{hoorzitting_op}\n\n"
            "Where?\n{plaats_hoorzitting}\n\n"
            "Who will be there?\n{aanwezigen_hoorzitting}\n\n"
            "Can you not come on this day, or would you rather not be heard? Then let us know as soon as "
            "possible. Mention the reference {kenmerk}.\n\n"
            "Kind regards,\n{ondertekening}"
        ),
    ),
    # "Mijn klachten": the sign-in link asked for on the site; valid 2 hours and once.
    Notification.Kind.MY_COMPLAINTS_LINK: (
        gettext_lazy("Your link to My complaints"),
        gettext_lazy(
            "Dear Sir or Madam,\n\n"
            "You asked for a link to My complaints. There you see all your complaints of the last two years, "
            "and how they are doing.\n\n"
            "Click this link:\n{link}\n\n"
            "The link works for {uren} hours and only once. After that you can ask for a new link.\n\n"
            "Did you not ask for this link? Then you do not need to do anything.\n\n"
            "Kind regards,\n{gemeente}"
        ),
    ),
    # The say afterwards: mailed when a case is closed; the link works 14 days.
    Notification.Kind.SURVEY_INVITATION: (
        gettext_lazy("What did you think of how we handled your complaint? ({kenmerk})"),
        gettext_lazy(
            "Dear {naam},\n\n"
            "We have closed your complaint with reference {kenmerk}. We would like to know what you thought "
            "of it. That helps us get better.\n\n"
            "Answer two short questions through this link:\n{link}\n\n"
            "Do you think we should look at your complaint again? You can say so there too.\n\n"
            "The link works for {dagen} days.\n\n"
            "Kind regards,\n{gemeente}"
        ),
    ),
    Notification.Kind.REOPEN_REQUEST_NOTICE: (
        gettext_lazy("Request to look at complaint {kenmerk} again"),
        gettext_lazy(
            "The complainant of {kenmerk} asks the municipality to look at the complaint again.\n\n"
            "What could be better, according to the complainant:\n{wat_kan_beter}\n\n"
            "Accept the request or decline it with a reason:\n{link_naar_zaak}"
        ),
    ),
    Notification.Kind.REOPEN_ACCEPTED: (
        gettext_lazy("We will look at your complaint again ({kenmerk})"),
        gettext_lazy(
            "Dear {naam},\n\n"
            "You asked us to look at your complaint with reference {kenmerk} again. We will do so.\n\n"
            "{reden}\n\n"
            "We will contact you.\n\n"
            "Kind regards,\n{gemeente}"
        ),
    ),
    Notification.Kind.REOPEN_DECLINED: (
        gettext_lazy("We will not look at your complaint again ({kenmerk})"),
        gettext_lazy(
            "Dear {naam},\n\n"
            "You asked us to look at your complaint with reference {kenmerk} again. We will not do so. "
            "This is the reason:\n{reden}\n\n"
            "Do you not agree? Then you can go to the {ombudsman}. "
            "You must do so within {termijn_ombudsman} after our letter with our judgement on your complaint.\n"
            "{website_ombudsman}\n\n"
            "Kind regards,\n{gemeente}"
        ),
    ),
    Notification.Kind.INCOMING_MAIL_NOTICE: (
        gettext_lazy("New e-mail on complaint {kenmerk}"),
        gettext_lazy(
            "An e-mail has come in on complaint {kenmerk}.\n\n"
            "From: {afzender}\n"
            "Subject: {onderwerp}\n\n"
            "The e-mail and its attachments are in the case file:\n{link_naar_zaak}\n\n"
            "Decision at the latest: {besluit_uiterlijk}"
        ),
    ),
}


def absolute_case_link(complaint, base_url=None):
    """The case file's address in full, for a mail (the case list's while the case admin is not
    installed). ``base_url`` defaults to Wagtail's ``WAGTAILADMIN_BASE_URL``."""
    if base_url is None:
        base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    path = case_inspect_url(complaint.pk) or case_index_url()
    return f"{base_url.rstrip('/')}{path}" if path else base_url


class _KeepUnknown(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def with_dutch_names(values):
    """``values`` also under the Dutch placeholder names editors type ({kenmerk} for {reference})."""
    return {**values, **{PLACEHOLDER_NAMES[key]: value for key, value in values.items() if key in PLACEHOLDER_NAMES}}


def render_text(template, values):
    """Fill {placeholders} (by their Dutch or English names); an unknown one stays as typed,
    attribute or index access is refused."""
    values = with_dutch_names(values)
    formatter = string.Formatter()
    parts = []
    for literal, field_name, format_spec, conversion in formatter.parse(template):
        parts.append(literal)
        if field_name is None:
            continue
        if field_name.isidentifier():
            parts.append(str(_KeepUnknown(values)[field_name]))
        else:
            parts.append(
                "{"
                + field_name
                + (f"!{conversion}" if conversion else "")
                + (f":{format_spec}" if format_spec else "")
                + "}"
            )
    return "".join(parts)


# Where a sentence ends in a template: after ".", "?" or "!" and a space, or at a line's end.
SENTENCE_BREAK = re.compile(r"((?<=[.?!])[ \t]+|\n)")


def _placeholders_in(text):
    try:
        return [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name]
    except ValueError:
        return []


def _is_empty(name, values):
    """A placeholder this text fills in, with nothing to fill in (an unknown one is not empty)."""
    return name in values and not str(values[name]).strip()


def _without_empty_sentences(paragraph, values):
    pieces = SENTENCE_BREAK.split(paragraph)  # sentence, break, sentence, break, ...
    kept = ""
    for index in range(0, len(pieces), 2):
        sentence = pieces[index]
        if any(_is_empty(name, values) for name in _placeholders_in(sentence)):
            continue
        kept += (pieces[index - 1] if kept and index else "") + sentence
    return kept


def render_body(template, values):
    """A mail's or letter's text: ``render_text``, leaving out what an empty value would leave
    unfinished: a paragraph whose placeholders are all empty (with its heading: no status link
    for a complaint taken by phone, no answers to quote), and in the other paragraphs each
    sentence or line with an empty placeholder ("Call us on {phone}" without a phone). A
    sentence that ends in nothing says nothing."""
    values = with_dutch_names(values)
    kept = []
    for paragraph in template.split("\n\n"):
        known = [name for name in _placeholders_in(paragraph) if name in values]
        if known and all(_is_empty(name, values) for name in known):
            continue
        paragraph = _without_empty_sentences(paragraph, values)
        if paragraph.strip():
            kept.append(paragraph)
    return render_text("\n\n".join(kept), values)


def default_text(kind):
    """The shipped (subject, body) of ``kind`` in the site's language, or None for a kind without one."""
    texts = DEFAULT_TEMPLATES.get(kind)
    if texts is None:
        return None
    with override(settings.LANGUAGE_CODE):
        return str(texts[0]), str(texts[1])


def template_for(kind, municipality=None):
    """The municipality's own text of this kind, else the install's, else the built-in one (in
    the site's language)."""
    texts = MailTemplate.objects.filter(kind=kind)
    own = texts.filter(municipality=municipality).first() if municipality is not None else None
    custom = own or texts.filter(municipality=None).first()
    if custom:
        return custom.subject, custom.body
    return default_text(kind)


# Labels in the complainant's own words where the field's name is jargon (B1): the copy in the
# acknowledgement and the PDF receipt use them.
PLAIN_LABELS = {
    "conduct_date": gettext_lazy("when did it happen"),
    "conduct_date_end": gettext_lazy("until when"),
    "partner": gettext_lazy("about"),
    "desired_outcome": gettext_lazy("what you would like to happen"),
}


# Every field of the form's fixed core, in the order the form asks them (the copy in the
# acknowledgement and the PDF receipt list them so).
CORE_FIELDS = (
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
    "partner",
    "conduct_involved",
    "desired_outcome",
)


def answer_label(field_name):
    """The label of a core answer in a copy of what was filed, capitalised."""
    label = str(PLAIN_LABELS.get(field_name) or Complaint._meta.get_field(field_name).verbose_name)
    return label[:1].upper() + label[1:]


def answers_text(complaint):
    """A copy of what the complainant filed (Wmebv: the right to a copy), in the site's language."""
    with override(settings.LANGUAGE_CODE):
        lines = []
        for field_name in CORE_FIELDS:
            value = getattr(complaint, field_name)
            if value in (None, ""):
                continue
            if hasattr(value, "isoformat"):
                value = formats.date_format(value, "j F Y")
            lines.append(f"{answer_label(field_name)}: {value}")
        for answer in complaint.extra_answers:
            lines.append(f"{answer['question']}: {answer['answer']}")
        attachment_label = _("Attachment")
        for attachment in complaint.attachments.all():
            lines.append(f"{attachment_label}: {attachment.name}")
    return "\n".join(lines)


# A decision's outcome (Awb 9:12) in plain words, and what it means for the complainant (B1).
OUTCOME_IN_WORDS = {
    Outcome.WELL_FOUNDED: (
        gettext_lazy("well founded"),
        gettext_lazy("That means: you are right. We think that what happened was not right."),
    ),
    Outcome.PARTLY_WELL_FOUNDED: (
        gettext_lazy("partly well founded"),
        gettext_lazy("That means: you are partly right. We think that part of what happened was not right."),
    ),
    Outcome.UNFOUNDED: (
        gettext_lazy("unfounded"),
        gettext_lazy("That means: we do not think you are right. We think that what happened was right."),
    ),
    Outcome.NO_JUDGEMENT: (
        gettext_lazy("no judgement"),
        gettext_lazy(
            "That means: we cannot say whether what happened was right or not. "
            "For example because it is no longer clear what exactly happened."
        ),
    ),
}


# Awb 9:8: the ground for not handling a complaint, in the complainant's words (B1); the
# choices' labels are the law's, for the coordinators.
NOT_HANDLED_IN_WORDS = {
    NotHandledReason.HANDLED_BEFORE: gettext_lazy("We have handled a complaint about the same thing before."),
    NotHandledReason.OLDER_THAN_A_YEAR: gettext_lazy("What happened was more than a year before your complaint."),
    NotHandledReason.OBJECTION_POSSIBLE: gettext_lazy("You could have objected to it."),
    NotHandledReason.APPEAL_POSSIBLE: gettext_lazy("You can or could appeal against it to a court."),
    NotHandledReason.BEFORE_COURT: gettext_lazy("A court is already dealing with it."),
    NotHandledReason.CRIMINAL_INVESTIGATION: gettext_lazy("The police or the public prosecutor is investigating it."),
    NotHandledReason.TOO_SMALL: gettext_lazy("The complaint is clearly too small or not important enough."),
}


def not_handled_ground(reason):
    """The not-handled letter's {grond_niet_in_behandeling} for ``reason``, in the site's language."""
    with override(settings.LANGUAGE_CODE):
        if reason in NOT_HANDLED_IN_WORDS:
            return str(NOT_HANDLED_IN_WORDS[reason])
        return str(NotHandledReason(reason).label) if reason else ""


def outcome_values(outcome):
    """The decision letter's {uitkomst} and {uitleg_uitkomst} for ``outcome``, in the site's language."""
    with override(settings.LANGUAGE_CODE):
        if outcome in OUTCOME_IN_WORDS:
            words, meaning = OUTCOME_IN_WORDS[outcome]
            return {"outcome": str(words), "outcome_explanation": str(meaning)}
        return {"outcome": str(Outcome(outcome).label) if outcome else "", "outcome_explanation": ""}


def ombudsman_values(municipality):
    """Where the complainant can go next (Awb 9:18), with the term in the site's language."""
    with override(settings.LANGUAGE_CODE):
        return {
            "ombudsman": municipality.ombudsman_name,
            "ombudsman_url": municipality.ombudsman_url,
            "ombudsman_term": str(municipality.ombudsman_term_display),
        }


def case_values(complaint, *, status_link="", admin_link=""):
    """The placeholders every text of a case has, with dates in the site's language."""
    with override(settings.LANGUAGE_CODE):
        return {
            "reference": complaint.reference,
            "name": complaint.name,
            "municipality": complaint.municipality.name,
            "received_on": formats.date_format(complaint.received_on, "j F Y"),
            "first_contact_due": formats.date_format(complaint.first_contact_due(), "l j F Y"),
            "decision_due": formats.date_format(complaint.decision_due(), "l j F Y"),
            "status_link": status_link,
            "admin_link": admin_link,
            "answers": answers_text(complaint),
        }
