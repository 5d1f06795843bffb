"""Registering a complaint: from the web (the form page and the API) and by staff (Awb 9:2).

Everything happens in one transaction: the reference, the case, its attachments and the
outbox records for the mails. The mails go out after the commit (see correspondence.outbox).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtformulieren import conf
from klachtformulieren.cases import references
from klachtformulieren.correspondence.outbox import queue_notification
from klachtformulieren.correspondence.receipt import keep_receipt
from klachtformulieren.correspondence.texts import absolute_case_link, case_values
from klachtformulieren.intake.status import new_status_token
from klachtformulieren.models import Channel, Complaint, ComplaintAttachment, Notification


@dataclass(frozen=True)
class Registration:
    complaint: Complaint
    status_token: str  # shown to the complainant once; only its hash is stored
    status_url: str


class RegistrationRefused(Exception):
    """Staff registration refused; the message says why."""


def register_complaint(
    submission,
    *,
    municipality,
    channel=Channel.WEB_FORM,
    form_page=None,
    received_at=None,
    status_url_for=lambda token: "",
    admin_url_for=lambda complaint: "",
    registered_by=None,
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
            complaint = Complaint(
                **references.allocate(received_at),
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
            complaint._history_user = registered_by
            complaint.save(force_insert=True)
            for uploaded_file, validated in submission.attachments:
                attachment = ComplaintAttachment(
                    complaint=complaint,
                    name=validated.name,
                    content_type=validated.content_type,
                    size=validated.size,
                    sha256=validated.sha256,
                    scan=validated.scan,  # QUARANTINED: kept, not downloadable until a rescan finds it clean
                )
                uploaded_file.seek(0)
                attachment.file.save(validated.name, uploaded_file, save=False)
                stored_files.append(attachment.file)
                attachment.save()
            if channel == Channel.WEB_FORM:
                # Wmebv: who sends a complaint electronically gets a copy of what they sent.
                stored_files.append(keep_receipt(complaint).pdf)
            status_url = status_url_for(token)
            _queue_intake_mails(complaint, status_url=status_url, admin_url=admin_url_for(complaint))
    except BaseException:
        # The rows are rolled back; the files on disk must go too.
        for stored in stored_files:
            stored.storage.delete(stored.name)
        raise
    return Registration(complaint=complaint, status_token=token, status_url=status_url)


def _acknowledgement_held(address):
    """Why an acknowledgement to this address is not mailed now, or "".

    An acknowledgement quotes what was filed to whatever address was typed in: more than a few a
    day to one address is someone using the form to mail a stranger. The complaint is registered
    all the same; the coordinators see the acknowledgement as not sent and decide.
    """
    limit = conf.setting("ACKNOWLEDGEMENTS_PER_ADDRESS")
    since = timezone.now() - datetime.timedelta(days=1)
    sent_today = Notification.objects.filter(
        kind=Notification.Kind.ACKNOWLEDGEMENT, recipient__iexact=address, created_at__gte=since
    ).count()
    if sent_today < limit:
        return ""
    return _("Not mailed: this address already had %(count)d acknowledgements in the last 24 hours.") % {
        "count": sent_today
    }


def _queue_intake_mails(complaint, *, status_url, admin_url):
    # Without a request to name the host (a command, the API's tests), the case link starts
    # with WAGTAILADMIN_BASE_URL.
    values = case_values(complaint, status_link=status_url, admin_link=admin_url or absolute_case_link(complaint))
    # Awb 9:6: the receipt of a written complaint is acknowledged in writing; without an
    # email address, as a letter the coordinators print and post.
    if complaint.email:
        queue_notification(
            complaint,
            Notification.Kind.ACKNOWLEDGEMENT,
            recipient=complaint.email,
            values=values,
            held_because=_acknowledgement_held(complaint.email),
        )
    elif complaint.postal_address.strip():
        queue_notification(
            complaint,
            Notification.Kind.ACKNOWLEDGEMENT,
            recipient="",
            values=values,
            medium=Notification.Medium.POST,
        )
    # An oral complaint that left no address (Awb 9:2) has nowhere to be acknowledged in writing.
    queue_notification(
        complaint,
        Notification.Kind.COORDINATOR_NOTICE,
        recipient=complaint.municipality.coordinators_email,
        values=values,
    )


def register_from_form_page(request, page, form):
    """Register the complaint of a valid form of a form page, from the page or the API."""
    return register_complaint(
        form.submission(),
        municipality=page.municipality,
        form_page=page,
        status_url_for=lambda token: page.status_url(request, token),
        # The coordinators' notice links to the case itself, at the admin's own address
        # (WAGTAILADMIN_BASE_URL): the public site's host may not serve the admin at all.
    )


def register_by_staff(submission, user, *, municipality, channel, received_at, **kwargs):
    """Awb 9:2: a complaint received by phone, letter, email or at the desk is registered too;
    its received date (which starts every term) may lie in the past, never in the future."""
    if channel == Channel.WEB_FORM:
        raise RegistrationRefused(_("Web form complaints register themselves."))
    now = timezone.now()
    if received_at > now:
        raise RegistrationRefused(_("The received date cannot lie in the future."))
    if received_at < now - datetime.timedelta(days=366):
        raise RegistrationRefused(_("The received date lies more than a year back; check it."))
    return register_complaint(
        submission, municipality=municipality, channel=channel, received_at=received_at, registered_by=user, **kwargs
    )
