"""The hearing (Awb 9:10) as a calendar invitation: an iCalendar file (RFC 5545, with the
iTIP method REQUEST of RFC 5546) attached to the invitation mail, so the parties put it in
their agenda with one click.

One event per case: the UID stays the same when the hearing is planned again, and the
SEQUENCE goes up, so a new invitation moves the appointment instead of adding a second one.
Times are in UTC, which every calendar reads without a time zone definition.
"""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from klachtformulieren.models import Notification

PRODID = "-//Klachtenportaal//Hoorzitting//NL"
MIME_TYPE = "text/calendar"


def hearing_end(complaint):
    return complaint.hearing_planned_for + datetime.timedelta(minutes=complaint.hearing_duration_minutes or 60)


def hearing_place(complaint):
    """Where the hearing is: the place, the video link, or both, in one line each."""
    return "\n".join(part for part in (complaint.hearing_location, complaint.hearing_video_link) if part)


def hearing_uid(complaint, domain):
    return f"hoorzitting-{complaint.pk}@{domain}"


def invitation_sequence(notification):
    """How often this addressee was invited before to this case's hearing (RFC 5545 SEQUENCE)."""
    return Notification.objects.filter(
        complaint_id=notification.complaint_id,
        kind=Notification.Kind.HEARING_INVITATION,
        recipient=notification.recipient,
        pk__lt=notification.pk,
    ).count()


def hearing_invitation_ics(notification, *, domain, now=None):
    """The .ics of the hearing the invitation ``notification`` is about, as bytes; ``domain``
    is the site's mail domain, which makes the event's UID unique in the world."""
    complaint = notification.complaint
    municipality = complaint.municipality
    now = now or timezone.now()
    with override(settings.LANGUAGE_CODE):
        summary = _("Hearing about complaint %(reference)s") % {"reference": complaint.reference}
        description = "\n\n".join(
            part
            for part in (
                _("The hearing about your complaint (Awb 9:10). Reference: %(reference)s.")
                % {"reference": complaint.reference},
                complaint.hearing_video_link and _("Video link: %(link)s") % {"link": complaint.hearing_video_link},
                complaint.hearing_attendees and _("Attendees:") + "\n" + complaint.hearing_attendees,
                municipality.phone and _("Questions? Call %(phone)s.") % {"phone": municipality.phone},
            )
            if part
        )
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", hearing_uid(complaint, domain))
    event.add("sequence", invitation_sequence(notification))
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", complaint.hearing_planned_for.astimezone(datetime.UTC))
    event.add("dtend", hearing_end(complaint).astimezone(datetime.UTC))
    event.add("summary", summary)
    event.add("location", hearing_place(complaint).replace("\n", ", "))
    event.add("description", description)
    organizer = icalendar.vCalAddress(f"mailto:{municipality.contact_email or municipality.coordinators_email}")
    organizer.params["cn"] = icalendar.vText(municipality.name)
    event.add("organizer", organizer)
    if "@" in notification.recipient:
        attendee = icalendar.vCalAddress(f"mailto:{notification.recipient}")
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = icalendar.vText("TRUE")
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()
