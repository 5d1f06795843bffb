"""The receipt of a web complaint as a PDF (Wmebv: a copy of what was sent electronically).

The same PDF is offered on the thank-you page, attached to the acknowledgement mail and kept on
the case. It is made with the letters' library (WeasyPrint) and letterhead helpers.
"""

import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, override

from klachtformulieren.correspondence.pdf import css_string, logo_data_uri
from klachtformulieren.correspondence.texts import CORE_FIELDS, answer_label
from klachtformulieren.models import SubmissionReceipt

# A word longer than a line (a pasted link, a run of characters) gets places where it may break:
# WeasyPrint would otherwise search every character of it for one, which takes minutes.
LONG_WORD = re.compile(r"(\S{40})(?=\S)")


def breakable(value):
    return LONG_WORD.sub("\\1\u200b", str(value))


def submitted_answers(complaint):
    """(question, answer) for every answer given, the fixed core first, then the editors' questions."""
    answers = []
    for field_name in CORE_FIELDS:
        value = getattr(complaint, field_name)
        if value in (None, ""):
            continue
        answers.append((answer_label(field_name), value if hasattr(value, "isoformat") else breakable(value)))
    for answer in complaint.extra_answers:
        if answer.get("answer") not in (None, ""):
            answers.append((breakable(answer["question"]), breakable(answer["answer"])))
    return answers


def receipt_context(complaint):
    municipality = complaint.municipality
    return {
        "complaint": complaint,
        "municipality": municipality,
        "answers": submitted_answers(complaint),
        "attachments": list(complaint.attachments.order_by("pk")),
        "received_at": timezone.localtime(complaint.received_at),
        "footer_css": css_string(f"{municipality.name} · {complaint.reference}"),
        "logo_src": logo_data_uri(municipality),
        "language": settings.LANGUAGE_CODE,
    }


def receipt_pdf(complaint):
    """The receipt as PDF bytes, in the municipality's language."""
    # Imported here: WeasyPrint loads Pango and HarfBuzz when imported (see correspondence.pdf).
    import weasyprint

    with override(settings.LANGUAGE_CODE):
        html = render_to_string("klachtformulieren/receipt_pdf.html", receipt_context(complaint))
    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"])
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def receipt_filename(complaint):
    with override(settings.LANGUAGE_CODE):
        return f"{gettext('receipt')}-{complaint.reference}.pdf"


def keep_receipt(complaint):
    """Make the receipt as the complaint is registered, and keep it on the case."""
    receipt = SubmissionReceipt(complaint=complaint)
    receipt.pdf.save(receipt_filename(complaint), ContentFile(receipt_pdf(complaint)), save=False)
    receipt.save()
    return receipt


def receipt_of(complaint):
    """The kept receipt's bytes, or None (a complaint not filed on the web has none)."""
    receipt = SubmissionReceipt.objects.filter(complaint=complaint).first()
    if receipt is None or not receipt.pdf:
        return None
    with receipt.pdf.open("rb") as kept:
        return kept.read()
