"""Answering an access request (AVG art. 15): every case that holds data about one person,
and everything held in it, in one ZIP.

A person is found by what identifies them exactly: an e-mail address, a phone number (at
least 9 digits; +31 6... and 06-... alike), or a name (as written, whatever the case and
spacing), as the complainant or the one who filed for them. Not as the person complained
about: a case file holds the complainant's details, which are not theirs to receive (their
request is answered by hand, from the parts about them). A name alone finds namesakes too:
the coordinator checks the list before downloading. The ZIP holds, per case, a PDF of the case
file (every field and the whole timeline), each mail and letter as a PDF, and the
attachments as they were sent (a file not yet checked for viruses is listed, not included).
The coordinator reviews it before sending: a case file may name other people.
"""

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from klachtformulieren.cases import case_file
from klachtformulieren.models import ComplaintAttachment

FONT = "KlachtenVera"
MIN_PHONE_DIGITS = 9  # a Dutch number without its leading 0: fewer would find strangers


def _digits(text):
    return re.sub(r"\D", "", text or "")


def _normalised(name):
    return " ".join((name or "").split()).casefold()


def find_cases(complaints, *, email="", name="", phone=""):
    """The cases among ``complaints`` (a queryset the user may see) about this person."""
    condition = Q(pk__in=[])
    if email.strip():
        condition |= Q(email__iexact=email.strip())
    if name.strip():
        # Narrowed in the database, then compared exactly in Python (spacing and case aside).
        words = name.split()
        rough = Q(name__icontains=words[0]) | Q(representative_name__icontains=words[0])
        wanted = _normalised(name)
        matches = [
            complaint.pk
            for complaint in complaints.filter(rough).only("pk", "name", "representative_name")
            if wanted in {_normalised(complaint.name), _normalised(complaint.representative_name)}
        ]
        condition |= Q(pk__in=matches)
    if len(_digits(phone)) >= MIN_PHONE_DIGITS:
        wanted = _digits(phone)[-9:]  # 06-12345678 and +31 6 12345678 alike
        matches = [
            complaint.pk
            for complaint in complaints.exclude(phone="").only("pk", "phone")
            if _digits(complaint.phone).endswith(wanted)
        ]
        condition |= Q(pk__in=matches)
    return complaints.filter(condition, destroyed_at=None).select_related("municipality", "kind", "unit", "handler")


def _styles():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(f"{FONT}-Bold", "VeraBd.ttf"))
    return {
        "title": ParagraphStyle("title", fontName=f"{FONT}-Bold", fontSize=15, leading=19, spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=f"{FONT}-Bold", fontSize=11.5, leading=15, spaceBefore=8),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13),
    }


def _paragraph(text, style):
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def pdf(title, sections):
    """A simple A4 document: ``sections`` is a list of (heading, [(label, value)])."""
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, title=title)
    story = [_paragraph(title, styles["title"])]
    for heading, rows in sections:
        story.append(_paragraph(heading, styles["heading"]))
        for label, value in rows:
            if value in (None, "", []):
                continue
            story.append(_paragraph(f"{label}: {value}" if label else value, styles["body"]))
        story.append(Spacer(1, 3 * mm))
    document.build(story)
    return buffer.getvalue()


def _when(moment):
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M") if moment else ""


def case_pdf(complaint):
    answers = [f"{answer.get('question', '')}: {answer.get('answer', '')}" for answer in complaint.extra_answers or []]
    timeline = [
        (
            f"{_when(entry.at)} {entry.title}",
            "\n".join(
                filter(
                    None,
                    [
                        entry.text,
                        _("Changed: %(fields)s") % {"fields": ", ".join(entry.details)} if entry.details else "",
                    ],
                )
            ),
        )
        for entry in case_file.timeline(complaint)
    ]
    sections = [
        (
            _("Complaint"),
            [
                (_("Municipality"), complaint.municipality.name),
                (_("Received"), _when(complaint.received_at)),
                (_("How"), complaint.get_channel_display()),
                (_("Status"), complaint.get_status_display()),
                (_("Outcome"), complaint.get_outcome_display()),
            ],
        ),
        (
            _("Complainant"),
            [
                (_("Name"), complaint.name),
                (_("Organisation"), complaint.organisation_name),
                (_("Postal address"), complaint.postal_address),
                (_("Email"), complaint.email),
                (_("Phone"), complaint.phone),
                (_("Filed by"), complaint.representative_name),
                (_("Relation to the complainant"), complaint.representative_relation),
            ],
        ),
        (
            _("What happened"),
            [
                ("", complaint.description),
                (_("When"), complaint.conduct_date.strftime("%d-%m-%Y") if complaint.conduct_date else ""),
                (_("Where, which team or employee"), complaint.conduct_involved),
                (_("Desired outcome"), complaint.desired_outcome),
                *[("", answer) for answer in answers],
            ],
        ),
        (
            _("Handling"),
            [
                (_("Kind of complaint"), complaint.kind),
                (_("Organisation unit"), complaint.unit),
                (_("Person complained about"), complaint.person_complained_about),
                (_("Report of the hearing"), complaint.hearing_report),
                (_("Reason for postponement"), complaint.postponement_reason),
                (_("Findings"), complaint.findings),
                (_("Judgement and reasons"), complaint.decision_reasons),
            ],
        ),
        (_("Timeline"), timeline),
    ]
    return pdf(_("Complaint %(reference)s") % {"reference": complaint.reference}, sections)


def letter_pdf(notification):
    rows = [
        (_("Date"), _when(notification.created_at)),
        (_("To"), notification.recipient or _("the complainant's postal address")),
        (_("Subject"), notification.subject),
        ("", notification.body),
    ]
    return pdf(notification.get_kind_display(), [("", rows)])


def export_zip(complaints):
    """The ZIP for these cases (see above), as bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for complaint in complaints:
            folder = complaint.reference
            archive.writestr(f"{folder}/{slugify(_('case file'))}.pdf", case_pdf(complaint))
            for number, notification in enumerate(complaint.notifications.order_by("created_at", "pk"), start=1):
                name = f"{number:02d}-{slugify(notification.get_kind_display())}.pdf"
                archive.writestr(f"{folder}/{slugify(_('letters'))}/{name}", letter_pdf(notification))
            withheld = []
            for number, attachment in enumerate(complaint.attachments.all(), start=1):
                if attachment.scan != ComplaintAttachment.Scan.CLEAN:
                    withheld.append(f"{attachment.name}: {attachment.get_scan_display()}")
                    continue
                # Numbered: two files sent under one name stay two files.
                name = f"{number:02d}-{Path(attachment.name).name}"
                with attachment.file.open("rb") as stored:
                    archive.writestr(f"{folder}/{slugify(_('attachments'))}/{name}", stored.read())
            if withheld:
                archive.writestr(
                    f"{folder}/{slugify(_('attachments'))}/{slugify(_('not included'))}.txt", "\n".join(withheld)
                )
    return buffer.getvalue()
