"""The mails' texts: the built-in defaults, the editors' own (Snippets > Mail texts), the
placeholders of a case and how they are filled in."""

import string

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klachtformulieren.cases.links import case_index_url, case_inspect_url
from klachtformulieren.models import Complaint, MailTemplate, Notification
from klachtformulieren.models.notifications import PLACEHOLDER_NAMES

# Built-in texts, used until editors save their own under Snippets > Mail texts.
DEFAULT_TEMPLATES = {
    Notification.Kind.ACKNOWLEDGEMENT: (
        "Wij hebben uw klacht ontvangen ({kenmerk})",
        "Beste {naam},\n\n"
        "Op {ontvangen_op} hebben wij uw klacht ontvangen. Uw kenmerk is {kenmerk}.\n\n"
        "Wat gebeurt er nu?\n"
        "- Uiterlijk {eerste_contact_uiterlijk} nemen wij contact met u op.\n"
        "- Uiterlijk {besluit_uiterlijk} krijgt u van ons een besluit over uw klacht.\n\n"
        "Hoe het met uw klacht staat, ziet u via deze link: {statuslink}\n"
        "Bewaar deze link goed. Deel hem niet met anderen.\n\n"
        "Dit heeft u ingevuld:\n{antwoorden}\n\n"
        "Met vriendelijke groet,\n{gemeente}",
    ),
    Notification.Kind.COORDINATOR_NOTICE: (
        "Nieuwe klacht {kenmerk}",
        "Er is een nieuwe klacht binnengekomen: {kenmerk}, ontvangen op {ontvangen_op}.\n\n"
        "Eerste contact uiterlijk: {eerste_contact_uiterlijk}\n"
        "Besluit uiterlijk: {besluit_uiterlijk}\n\n"
        "Bekijk de klacht: {link_naar_zaak}",
    ),
    # Awb 9:8 lid 3: in writing within 4 weeks of receipt, with the ground and the way on.
    Notification.Kind.NOT_HANDLED_NOTICE: (
        "Wij behandelen uw klacht niet ({kenmerk})",
        "Beste {geadresseerde},\n\n"
        "Op {ontvangen_op} kregen wij uw klacht. Uw kenmerk is {kenmerk}.\n"
        "Wij hebben uw klacht bekeken. Wij nemen de klacht niet in behandeling. "
        "In deze brief leest u waarom.\n\n"
        "Waarom behandelen wij uw klacht niet?\n"
        "De wet noemt een paar situaties waarin de gemeente een klacht niet hoeft te behandelen "
        "(artikel 9:8 van de Algemene wet bestuursrecht). Bij uw klacht is dat deze situatie:\n"
        "{grond_niet_in_behandeling}\n\n"
        "{toelichting_niet_in_behandeling}\n\n"
        "Bent u het hier niet mee eens?\n"
        "Dan kunt u met uw klacht naar {ombudsman}. "
        "Dat kan tot {termijn_ombudsman} na de datum van deze brief. "
        "Op {website_ombudsman} leest u hoe dat gaat.\n\n"
        "Met vriendelijke groet,\n{ondertekening}",
    ),
    # Awb 2:3: passed on at once, and the complainant is told where to.
    Notification.Kind.FORWARDING_NOTICE: (
        "Uw klacht is doorgestuurd ({kenmerk})",
        "Beste {geadresseerde},\n\n"
        "Op {ontvangen_op} kregen wij uw klacht. Uw kenmerk is {kenmerk}.\n"
        "Wij hebben uw klacht bekeken. Uw klacht hoort thuis bij: {doorgestuurd_naar}. "
        "Daarom hebben wij uw klacht daarnaartoe gestuurd.\n\n"
        "Waarom?\n"
        "{reden_doorverwijzing}\n\n"
        "Wat gebeurt er nu?\n"
        "Uw klacht wordt verder behandeld door {doorgestuurd_naar}. Vragen over uw klacht kunt u vanaf nu "
        "daar stellen. Hoort u niets, of wordt u niet goed geholpen? Laat het ons dan weten. "
        "Noem daarbij uw kenmerk {kenmerk}.\n\n"
        "Met vriendelijke groet,\n{ondertekening}",
    ),
    # Awb 9:11 lid 2: one text for the complainant and for the person complained about.
    Notification.Kind.POSTPONEMENT: (
        "Meer tijd nodig voor klacht {kenmerk}",
        "Beste {geadresseerde},\n\n"
        "Op {ontvangen_op} kregen wij een klacht. Het kenmerk is {kenmerk}.\n"
        "Wij hebben meer tijd nodig om deze klacht goed af te handelen. "
        "Daarom stellen wij de afhandeling uit. "
        "De wet staat dat toe (artikel 9:11 van de Algemene wet bestuursrecht).\n\n"
        "Waarom hebben wij meer tijd nodig?\n"
        "{reden_uitstel}\n\n"
        "Wanneer hoort u van ons?\n"
        "Uiterlijk {besluit_uiterlijk} laten wij u weten hoe wij de klacht hebben afgehandeld.\n\n"
        "Met vriendelijke groet,\n{ondertekening}",
    ),
    # Awb 9:12: findings, judgement, conclusion, the ombudsman and the term. No objection
    # clause: there is no objection against the handling of a complaint (Awb 9:3).
    Notification.Kind.DECISION: (
        "Ons besluit over uw klacht ({kenmerk})",
        "Beste {geadresseerde},\n\n"
        "Op {ontvangen_op} kregen wij uw klacht. Uw kenmerk is {kenmerk}.\n"
        "Wij hebben uw klacht onderzocht. In deze brief leest u wat wij hebben gevonden, "
        "wat wij daarvan vinden en wat onze conclusie is.\n\n"
        "Wat hebben wij gevonden?\n"
        "{bevindingen}\n\n"
        "Wat vinden wij daarvan?\n"
        "{oordeel}\n\n"
        "Onze conclusie\n"
        "Ons oordeel: {uitkomst}.\n\n"
        "Bent u het niet eens met hoe wij uw klacht hebben afgehandeld?\n"
        "Dan kunt u met uw klacht naar {ombudsman}. "
        "Dat kan tot {termijn_ombudsman} na de datum van deze brief. "
        "Op {website_ombudsman} leest u hoe dat gaat.\n\n"
        "Met vriendelijke groet,\n{ondertekening}",
    ),
    Notification.Kind.DEADLINE_REMINDER: (
        "Herinnering: klacht {kenmerk} uiterlijk {besluit_uiterlijk} afhandelen",
        "Beste {naam_behandelaar},\n\n"
        "De klacht {kenmerk} moet uiterlijk {besluit_uiterlijk} zijn afgehandeld ({dagen_over}).\n\n"
        "Lukt dat niet, en is de termijn nog niet voorbij? Stel de afhandeling dan uit en geef de reden. "
        "De klager en de persoon over wie geklaagd wordt krijgen daarover een brief "
        "(artikel 9:11 van de Algemene wet bestuursrecht).\n\n"
        "Bekijk de klacht: {link_naar_zaak}",
    ),
    Notification.Kind.HANDLER_ASSIGNED: (
        "U behandelt klacht {kenmerk}",
        "Beste {naam_behandelaar},\n\n"
        "U bent de behandelaar van klacht {kenmerk} van {gemeente}, ontvangen op {ontvangen_op}.\n\n"
        "Neemt u uiterlijk {eerste_contact_uiterlijk} contact op met de klager, als dat nog niet is gebeurd. "
        "Het besluit over de klacht moet uiterlijk {besluit_uiterlijk} klaar zijn.\n\n"
        "U behandelt de klacht niet als die over uzelf gaat (artikel 9:7 van de Algemene wet bestuursrecht). "
        "Laat het dan meteen weten aan de klachtcoördinatoren.\n\n"
        "Open de klacht: {link_naar_zaak}",
    ),
    # Awb 9:10: both parties are given the chance to be heard; the appointment is attached as .ics.
    Notification.Kind.HEARING_INVITATION: (
        "Uitnodiging voor een gesprek over klacht {kenmerk}",
        "Beste {geadresseerde},\n\n"
        "Op {ontvangen_op} kregen wij een klacht. Het kenmerk is {kenmerk}.\n"
        "Voordat wij een besluit nemen, willen wij met u praten over de klacht. "
        "Dat heet een hoorzitting (artikel 9:10 van de Algemene wet bestuursrecht). "
        "U bent daarvoor van harte uitgenodigd.\n\n"
        "Wanneer?\n{hoorzitting_op}\n\n"
        "Waar?\n{plaats_hoorzitting}\n\n"
        "Wie zijn erbij?\n{aanwezigen_hoorzitting}\n\n"
        "Kunt u niet op deze dag, of wilt u liever niet gehoord worden? Laat het ons dan zo snel mogelijk weten. "
        "Noem daarbij het kenmerk {kenmerk}.\n\n"
        "Met vriendelijke groet,\n{ondertekening}",
    ),
    # "Mijn klachten": the sign-in link asked for on the site; valid 2 hours and once.
    Notification.Kind.MY_COMPLAINTS_LINK: (
        "Uw link naar Mijn klachten",
        "Beste meneer of mevrouw,\n\n"
        "U vroeg om een link naar Mijn klachten. Daar ziet u al uw klachten van de laatste twee jaar, "
        "en hoe het ermee gaat.\n\n"
        "Klik op deze link:\n{link}\n\n"
        "De link werkt {uren} uur en maar één keer. Daarna kunt u een nieuwe link aanvragen.\n\n"
        "Vroeg u deze link niet aan? Dan hoeft u niets te doen.\n\n"
        "Met vriendelijke groet,\n{gemeente}",
    ),
    # The say afterwards: mailed when a case is closed; the link works 14 days.
    Notification.Kind.SURVEY_INVITATION: (
        "Hoe vond u dat wij uw klacht behandelden? ({kenmerk})",
        "Beste {naam},\n\n"
        "Wij hebben uw klacht met kenmerk {kenmerk} afgesloten. Wij willen graag weten hoe u dat vond. "
        "Zo kunnen wij beter worden.\n\n"
        "Beantwoord twee korte vragen via deze link:\n{link}\n\n"
        "Vindt u dat wij nog eens naar uw klacht moeten kijken? Dat kunt u daar ook zeggen.\n\n"
        "De link werkt {dagen} dagen.\n\n"
        "Met vriendelijke groet,\n{gemeente}",
    ),
    Notification.Kind.REOPEN_REQUEST_NOTICE: (
        "Verzoek om opnieuw te kijken naar klacht {kenmerk}",
        "De klager van {kenmerk} vraagt of de gemeente opnieuw naar de klacht kijkt.\n\n"
        "Wat kan beter volgens de klager:\n{wat_kan_beter}\n\n"
        "Neem het verzoek aan of wijs het af met een reden:\n{link_naar_zaak}",
    ),
    Notification.Kind.REOPEN_ACCEPTED: (
        "Wij kijken opnieuw naar uw klacht ({kenmerk})",
        "Beste {naam},\n\n"
        "U vroeg ons opnieuw naar uw klacht met kenmerk {kenmerk} te kijken. Dat doen wij.\n\n"
        "{reden}\n\n"
        "Wij nemen contact met u op.\n\n"
        "Met vriendelijke groet,\n{gemeente}",
    ),
    Notification.Kind.REOPEN_DECLINED: (
        "Wij kijken niet opnieuw naar uw klacht ({kenmerk})",
        "Beste {naam},\n\n"
        "U vroeg ons opnieuw naar uw klacht met kenmerk {kenmerk} te kijken. Dat doen wij niet. "
        "Dit is de reden:\n{reden}\n\n"
        "Bent u het daar niet mee eens? Dan kunt u naar de {ombudsman}. "
        "Dat moet binnen {termijn_ombudsman} na onze brief met ons oordeel over uw klacht.\n"
        "{website_ombudsman}\n\n"
        "Met vriendelijke groet,\n{gemeente}",
    ),
    Notification.Kind.INCOMING_MAIL_NOTICE: (
        "Nieuwe e-mail bij klacht {kenmerk}",
        "Er is een e-mail binnengekomen bij klacht {kenmerk}.\n\n"
        "Van: {afzender}\n"
        "Onderwerp: {onderwerp}\n\n"
        "De e-mail en de bijlagen staan in het dossier:\n{link_naar_zaak}\n\n"
        "Besluit uiterlijk: {besluit_uiterlijk}",
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


def render_body(template, values):
    """A mail's or letter's text: ``render_text``, leaving out every paragraph whose
    placeholders are all empty (no status link for a complaint taken by phone, no answers to
    quote): a sentence that ends in nothing says nothing."""
    values = with_dutch_names(values)
    kept = []
    for paragraph in template.split("\n\n"):
        try:
            names = [name for _literal, name, _spec, _conv in string.Formatter().parse(paragraph) if name]
        except ValueError:
            names = []
        known = [name for name in names if name in values]
        if known and not any(str(values[name]).strip() for name in known):
            continue
        kept.append(paragraph)
    return render_text("\n\n".join(kept), values)


def template_for(kind, municipality=None):
    """The municipality's own text of this kind, else the install's, else the built-in one."""
    texts = MailTemplate.objects.filter(kind=kind)
    own = texts.filter(municipality=municipality).first() if municipality is not None else None
    custom = own or texts.filter(municipality=None).first()
    if custom:
        return custom.subject, custom.body
    return DEFAULT_TEMPLATES[kind]


# Labels in the complainant's own words where the field's name is jargon (B1).
PLAIN_LABELS = {
    "conduct_date": gettext_lazy("when did it happen"),
    "partner": gettext_lazy("about"),
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


def answers_text(complaint):
    """A copy of what the complainant filed (Wmebv: the right to a copy)."""
    lines = []
    for field_name in CORE_FIELDS:
        value = getattr(complaint, field_name)
        if value in (None, ""):
            continue
        if hasattr(value, "isoformat"):
            value = formats.date_format(value, "j F Y")
        label = PLAIN_LABELS.get(field_name) or Complaint._meta.get_field(field_name).verbose_name
        lines.append(f"{str(label).capitalize()}: {value}")
    for answer in complaint.extra_answers:
        lines.append(f"{answer['question']}: {answer['answer']}")
    attachment_label = _("Attachment")
    for attachment in complaint.attachments.all():
        lines.append(f"{attachment_label}: {attachment.name}")
    return "\n".join(lines)


def case_values(complaint, *, status_link="", admin_link=""):
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
