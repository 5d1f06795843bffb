"""Registering a complaint: the one service function behind the form page and the API.

Everything happens in one transaction: the reference, the case, its attachments and the
outbox records for the mails. The mails go out after the commit (see notifications.py).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from klachtformulieren.models import Channel, Complaint, ComplaintAttachment, Notification, ReferenceSequence
from klachtformulieren.notifications import case_values, queue_notification
from klachtformulieren.status import new_status_token


@dataclass(frozen=True)
class Registration:
    complaint: Complaint
    status_token: str  # shown to the complainant once; only its hash is stored
    status_url: str


def next_reference(year):
    """The next number of the year, locked until the surrounding transaction ends."""
    ReferenceSequence.objects.get_or_create(year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def register_complaint(
    submission,
    *,
    municipality,
    channel=Channel.WEB_FORM,
    form_page=None,
    received_at=None,
    status_url_for=lambda token: "",
    admin_url_for=lambda complaint: "",
):
    """Create the case from a validated ``forms.ComplaintSubmission`` (Awb 9:1, 9:4, 9:6).

    ``status_url_for(token)`` and ``admin_url_for(complaint)`` build the absolute links for
    the mails; the caller knows the host name.
    """
    received_at = received_at or timezone.now()
    token, token_hash = new_status_token()
    stored_files = []
    try:
        with transaction.atomic():
            year = timezone.localtime(received_at).year
            number = next_reference(year)
            complaint = Complaint.objects.create(
                reference=f"{year}-{number:06d}",
                year=year,
                number=number,
                municipality=municipality,
                channel=channel,
                received_at=received_at,
                name=submission.name,
                organisation_name=submission.organisation_name,
                postal_address=submission.postal_address,
                email=submission.email,
                phone=submission.phone,
                representative_name=submission.representative_name,
                representative_relation=submission.representative_relation,
                description=submission.description,
                conduct_date=submission.conduct_date,
                conduct_date_end=submission.conduct_date_end,
                partner=submission.partner,
                conduct_involved=submission.conduct_involved,
                desired_outcome=submission.desired_outcome,
                extra_answers=submission.extra_answers,
                form_page=form_page,
                privacy_notice_acknowledged_at=received_at if form_page else None,
                status_token_hash=token_hash,
            )
            for uploaded_file, validated in submission.attachments:
                attachment = ComplaintAttachment(
                    complaint=complaint,
                    name=validated.name,
                    content_type=validated.content_type,
                    size=validated.size,
                    sha256=validated.sha256,
                )
                uploaded_file.seek(0)
                attachment.file.save(validated.name, uploaded_file, save=False)
                stored_files.append(attachment.file)
                attachment.save()
            status_url = status_url_for(token)
            _queue_intake_mails(complaint, status_url=status_url, admin_url=admin_url_for(complaint))
    except BaseException:
        # The rows are rolled back; the files on disk must go too.
        for stored in stored_files:
            stored.storage.delete(stored.name)
        raise
    return Registration(complaint=complaint, status_token=token, status_url=status_url)


def _queue_intake_mails(complaint, *, status_url, admin_url):
    values = case_values(complaint, status_link=status_url, admin_link=admin_url)
    # Awb 9:6: the receipt of a written complaint is acknowledged in writing; without an
    # email address, as a letter the coordinators print and post.
    if complaint.email:
        queue_notification(complaint, Notification.Kind.ACKNOWLEDGEMENT, recipient=complaint.email, values=values)
    else:
        queue_notification(
            complaint,
            Notification.Kind.ACKNOWLEDGEMENT,
            recipient="",
            values=values,
            medium=Notification.Medium.POST,
        )
    queue_notification(
        complaint,
        Notification.Kind.COORDINATOR_NOTICE,
        recipient=complaint.municipality.coordinators_email,
        values=values,
    )
