"""What a mail carries besides its text: a letter its PDF, a hearing invitation its .ics, an
acknowledgement the receipt of what was sent."""

from email.mime.application import MIMEApplication
from email.mime.text import MIMEText

from klachtformulieren.correspondence import calendar, pdf, receipt
from klachtformulieren.models import Notification


def for_mail(notification, *, domain):
    """The MIME parts to attach to the mail of ``notification`` (none for most mails)."""
    parts = []
    if notification.complaint_id is None:
        return parts
    if notification.kind in pdf.LETTER_KINDS:
        part = MIMEApplication(pdf.pdf_of(notification), "pdf")
        part.add_header("Content-Disposition", "attachment", filename=pdf.pdf_filename(notification))
        parts.append(part)
    if notification.kind == Notification.Kind.ACKNOWLEDGEMENT:
        kept = receipt.receipt_of(notification.complaint)
        if kept is not None:
            part = MIMEApplication(kept, "pdf")
            part.add_header(
                "Content-Disposition", "attachment", filename=receipt.receipt_filename(notification.complaint)
            )
            parts.append(part)
    if notification.kind == Notification.Kind.HEARING_INVITATION and notification.complaint.hearing_planned_for:
        ics = calendar.hearing_invitation_ics(notification, domain=domain).decode("utf-8")
        part = MIMEText(ics, "calendar", "utf-8")
        part.set_param("method", "REQUEST")
        part.add_header("Content-Disposition", "attachment", filename="hoorzitting.ics")
        parts.append(part)
    return parts
