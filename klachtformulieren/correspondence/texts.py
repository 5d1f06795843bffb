"""The mails' texts: the built-in defaults, the editors' own (Snippets > Mail texts), the
placeholders of a case and how they are filled in."""

import string

from django.utils import formats
from django.utils.translation import gettext as _

from klachtformulieren.models import Complaint, MailTemplate, Notification

# Built-in texts, used until editors save their own under Snippets > Mail texts.
DEFAULT_TEMPLATES = {
    Notification.Kind.ACKNOWLEDGEMENT: (
        "Wij hebben uw klacht ontvangen ({reference})",
        "Beste {name},\n\n"
        "Op {received_on} hebben wij uw klacht ontvangen. Uw kenmerk is {reference}.\n\n"
        "Wat gebeurt er nu?\n"
        "- Uiterlijk {first_contact_due} nemen wij contact met u op.\n"
        "- Uiterlijk {decision_due} krijgt u van ons een besluit over uw klacht.\n\n"
        "Hoe het met uw klacht staat, ziet u via deze link: {status_link}\n"
        "Bewaar deze link goed. Deel hem niet met anderen.\n\n"
        "Dit heeft u ingevuld:\n{answers}\n\n"
        "Met vriendelijke groet,\n{municipality}",
    ),
    Notification.Kind.COORDINATOR_NOTICE: (
        "Nieuwe klacht {reference}",
        "Er is een nieuwe klacht binnengekomen: {reference}, ontvangen op {received_on}.\n\n"
        "Eerste contact uiterlijk: {first_contact_due}\n"
        "Besluit uiterlijk: {decision_due}\n\n"
        "Bekijk de klacht: {admin_link}",
    ),
    # Awb 9:8 lid 3: in writing within 4 weeks of receipt, with the ground and the way on.
    Notification.Kind.NOT_HANDLED_NOTICE: (
        "Wij behandelen uw klacht niet ({reference})",
        "Beste {addressee},\n\n"
        "Op {received_on} kregen wij uw klacht. Uw kenmerk is {reference}.\n"
        "Wij hebben uw klacht bekeken. Wij nemen de klacht niet in behandeling. "
        "In deze brief leest u waarom.\n\n"
        "Waarom behandelen wij uw klacht niet?\n"
        "De wet noemt een paar situaties waarin de gemeente een klacht niet hoeft te behandelen "
        "(artikel 9:8 van de Algemene wet bestuursrecht). Bij uw klacht is dat deze situatie:\n"
        "{not_handled_ground}\n\n"
        "{not_handled_explanation}\n\n"
        "Bent u het hier niet mee eens?\n"
        "Dan kunt u uw klacht voorleggen aan: {ombudsman}. "
        "Dat kan tot {ombudsman_term} na de datum van deze brief. "
        "Op {ombudsman_url} leest u hoe dat gaat.\n\n"
        "Met vriendelijke groet,\n{signature}",
    ),
    # Awb 2:3: passed on at once, and the complainant is told where to.
    Notification.Kind.FORWARDING_NOTICE: (
        "Uw klacht is doorgestuurd ({reference})",
        "Beste {addressee},\n\n"
        "Op {received_on} kregen wij uw klacht. Uw kenmerk is {reference}.\n"
        "Wij hebben uw klacht bekeken. Uw klacht hoort thuis bij: {referred_to}. "
        "Daarom hebben wij uw klacht daarnaartoe gestuurd.\n\n"
        "Waarom?\n"
        "{referral_reason}\n\n"
        "Wat gebeurt er nu?\n"
        "Uw klacht wordt verder behandeld door {referred_to}. Vragen over uw klacht kunt u vanaf nu "
        "daar stellen. Hoort u niets, of wordt u niet goed geholpen? Laat het ons dan weten. "
        "Noem daarbij uw kenmerk {reference}.\n\n"
        "Met vriendelijke groet,\n{signature}",
    ),
    # Awb 9:11 lid 2: one text for the complainant and for the person complained about.
    Notification.Kind.POSTPONEMENT: (
        "Meer tijd nodig voor klacht {reference}",
        "Beste {addressee},\n\n"
        "Op {received_on} kregen wij een klacht. Het kenmerk is {reference}.\n"
        "Wij hebben meer tijd nodig om deze klacht goed af te handelen. "
        "Daarom stellen wij de afhandeling uit. "
        "De wet staat dat toe (artikel 9:11 van de Algemene wet bestuursrecht).\n\n"
        "Waarom hebben wij meer tijd nodig?\n"
        "{postponement_reason}\n\n"
        "Wanneer hoort u van ons?\n"
        "Uiterlijk {decision_due} laten wij u weten hoe wij de klacht hebben afgehandeld.\n\n"
        "Met vriendelijke groet,\n{signature}",
    ),
    # Awb 9:12: findings, judgement, conclusion, the ombudsman and the term. No objection
    # clause: there is no objection against the handling of a complaint (Awb 9:3).
    Notification.Kind.DECISION: (
        "Ons besluit over uw klacht ({reference})",
        "Beste {addressee},\n\n"
        "Op {received_on} kregen wij uw klacht. Uw kenmerk is {reference}.\n"
        "Wij hebben uw klacht onderzocht. In deze brief leest u wat wij hebben gevonden, "
        "wat wij daarvan vinden en wat onze conclusie is.\n\n"
        "Wat hebben wij gevonden?\n"
        "{findings}\n\n"
        "Wat vinden wij daarvan?\n"
        "{judgement}\n\n"
        "Onze conclusie\n"
        "Uw klacht is beoordeeld als: {outcome}.\n\n"
        "Bent u het niet eens met hoe wij uw klacht hebben afgehandeld?\n"
        "Dan kunt u uw klacht voorleggen aan: {ombudsman}. "
        "Dat kan tot {ombudsman_term} na de datum van deze brief. "
        "Op {ombudsman_url} leest u hoe dat gaat.\n\n"
        "Met vriendelijke groet,\n{signature}",
    ),
    Notification.Kind.DEADLINE_REMINDER: (
        "Herinnering: klacht {reference} uiterlijk {decision_due} afhandelen",
        "Beste {handler_name},\n\n"
        "De klacht {reference} moet uiterlijk {decision_due} zijn afgehandeld ({days_left}).\n\n"
        "Lukt dat niet, en is de termijn nog niet voorbij? Stel de afhandeling dan uit en geef de reden. "
        "De klager en de persoon over wie geklaagd wordt krijgen daarover een brief "
        "(artikel 9:11 van de Algemene wet bestuursrecht).\n\n"
        "Bekijk de klacht: {admin_link}",
    ),
}


class _KeepUnknown(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def render_text(template, values):
    """Fill {placeholders}; an unknown one stays as typed, attribute or index access is refused."""
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


def template_for(kind, municipality=None):
    """The municipality's own text of this kind, else the install's, else the built-in one."""
    texts = MailTemplate.objects.filter(kind=kind)
    own = texts.filter(municipality=municipality).first() if municipality is not None else None
    custom = own or texts.filter(municipality=None).first()
    if custom:
        return custom.subject, custom.body
    return DEFAULT_TEMPLATES[kind]


def answers_text(complaint):
    """A copy of what the complainant filed (Wmebv: the right to a copy)."""
    lines = []
    for field_name in (
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
    ):
        value = getattr(complaint, field_name)
        if value in (None, ""):
            continue
        if hasattr(value, "isoformat"):
            value = formats.date_format(value, "j F Y")
        label = Complaint._meta.get_field(field_name).verbose_name
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
