"""Every letter as a PDF on the municipality's letterhead (WeasyPrint).

The PDF is made from the letter's record whenever it is asked for: the case file's download,
the attachment of the mail, the print of a letter by post. The record holds everything the
letter says (subject, text, addressee, the day it was sent off), so the same letter always
gives the same document, and destroying a case's personal data (retention) leaves no copy
behind in a file.
"""

import base64
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import override

from klachtformulieren.cases.steps import STEPS
from klachtformulieren.models import Notification

logger = logging.getLogger(__name__)

# The kinds that are a handling step's letter (``Step.letter``): drafted, checked, sent, and a PDF.
LETTER_KINDS = frozenset(step.letter for step in STEPS.values() if step.letter)


def addressee_lines(notification):
    """Who the letter is to, as on an envelope. A letter to the complainant (their email
    address, or none: by post) carries their name and postal address."""
    complaint = notification.complaint
    if notification.recipient in ("", complaint.email):
        lines = [complaint.name, complaint.organisation_name, *complaint.postal_address.splitlines()]
        if notification.medium == Notification.Medium.EMAIL:
            lines.append(notification.recipient)
    else:
        lines = [notification.recipient]
    return [line for line in lines if line.strip()]


def letter_date(notification):
    """The date the letter bears: the day it was sent off; a draft bears today's date."""
    if notification.state == Notification.State.DRAFT:
        return timezone.localdate()
    return timezone.localdate(notification.dispatched_at or notification.created_at)


def logo_data_uri(municipality):
    """The municipality's logo, embedded in the document (nothing is fetched); "" without one."""
    if municipality.logo_id is None:
        return ""
    try:
        rendition = municipality.logo.get_rendition("max-600x240|format-png")
        with rendition.file.open("rb") as image:
            data = image.read()
    except Exception:  # a logo whose file is gone must not stop a letter
        logger.warning("The logo of municipality %s could not be read", municipality.pk, exc_info=True)
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def css_string(text):
    """``text`` as a quoted CSS string (the page footer's content): no quote or line break ends it."""
    escaped = "".join(f"\\{ord(char):x} " if char in '\\"\n\r<>' else char for char in " ".join(text.split()))
    return f'"{escaped}"'


def letter_context(notification):
    """What the printed letter shows, in the HTML preview and in the PDF alike."""
    complaint = notification.complaint
    municipality = complaint.municipality
    return {
        "return_address": ", ".join(
            line.strip() for line in [municipality.name, *municipality.postal_address.splitlines()] if line.strip()
        ),
        "footer_css": css_string(f"{municipality.name} · {complaint.reference}"),
        "notification": notification,
        "complaint": complaint,
        "municipality": municipality,
        "addressee_lines": addressee_lines(notification),
        "letter_date": letter_date(notification),
        "is_draft": notification.state == Notification.State.DRAFT,
        "logo_src": logo_data_uri(municipality),
        "language": settings.LANGUAGE_CODE,
    }


def pdf_filename(notification):
    with override(settings.LANGUAGE_CODE):
        kind = slugify(notification.get_kind_display())
    return f"{notification.complaint.reference}-{kind}-{notification.pk}.pdf"


def letter_pdf(notification):
    """The letter as PDF bytes, in the municipality's language whatever the reader's."""
    # Imported here, not at the top: WeasyPrint loads Pango and HarfBuzz (system libraries,
    # see the Makefile) when imported, and only letters need them.
    import weasyprint

    with override(settings.LANGUAGE_CODE):
        html = render_to_string("klachtformulieren/letters/letter_pdf.html", letter_context(notification))
    # Only data: URIs (the embedded logo): a letter never fetches anything.
    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"])
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def keep_as_sent(notification):
    """Make the PDF once, as the letter is sent off, and keep it on the letter: the mail carries
    it, the case file offers it, and a later letterhead does not change it."""
    notification.pdf.save(pdf_filename(notification), ContentFile(letter_pdf(notification)), save=False)
    notification.save(update_fields=["pdf"])


def pdf_of(notification):
    """The letter's PDF: as it was sent, once it was; a draft's, made now (it says it is a draft)."""
    if notification.pdf:
        with notification.pdf.open("rb") as kept:
            return kept.read()
    return letter_pdf(notification)
