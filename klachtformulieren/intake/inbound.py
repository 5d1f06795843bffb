"""Incoming e-mail: read each message once, parse it, and put it where it belongs.

(In intake, not correspondence: a message is intake of a complaint, and it goes through the
form's upload checks and the registration service, which sit in this layer.)

- A reply that names one of our cases (``[2026-000123]`` in the subject, or an
  ``In-Reply-To``/``References`` with a Message-ID we sent) lands on that case's timeline,
  with its attachments. A reference to another municipality's case does not count.
- A bounce (delivery status notification) marks the outbox mail it answers as not sent, so
  the coordinators see "e-mail kwam niet aan" and can send a letter.
- An automatic reply (out of office) is filed: nobody is told and nothing answers it.
- Everything else waits in the intake inbox for a coordinator.

Bad input never stops a run: a message that cannot be read is set aside with the reason and
the next one is processed.
"""

import datetime
import email
import imaplib
import logging
import mailbox as maildir_module
import re
import ssl
from dataclasses import dataclass, field
from email import policy
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtformulieren import conf
from klachtformulieren.cases import references
from klachtformulieren.correspondence import notices
from klachtformulieren.intake import uploads
from klachtformulieren.intake.forms import ComplaintSubmission
from klachtformulieren.intake.services import RegistrationRefused, register_by_staff
from klachtformulieren.models import (
    Channel,
    Complaint,
    ComplaintAttachment,
    ContactMoment,
    InboundAttachment,
    InboundMailbox,
    InboundMessage,
    Notification,
)

logger = logging.getLogger(__name__)

SUBJECT_REFERENCE = re.compile(r"\[(\d{4}-\d{6})\]")
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# Precedence values that mark mail no person wrote (RFC 3834 section 3.1.8, common practice).
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
# The upload size the form allows staff (Awb 9:2 registration): the same for mail.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def subject_tag(reference):
    """What our outgoing subjects carry so replies find their case."""
    return f"[{reference}]"


# --- Parsing ------------------------------------------------------------------------------


class _TextFromHTML(HTMLParser):
    """The readable text of an HTML mail: scripts, styles and markup dropped, nothing executed."""

    SKIP = {"script", "style", "head", "title", "template", "noscript"}
    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html):
    parser = _TextFromHTML()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient; anything it still chokes on reads as nothing
        logger.info("HTML part could not be parsed", exc_info=True)
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _part_text(part):
    """A text part's content, however its charset is declared (an unknown one reads as UTF-8)."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, KeyError, ValueError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def _header(message, name):
    try:
        value = message.get(name)
    except Exception:  # a header the policy cannot parse
        value = None
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                value = raw
                break
    return " ".join(str(value).split()) if value is not None else ""


@dataclass
class ParsedAttachment:
    name: str
    data: bytes
    content_type: str


@dataclass
class ParsedMessage:
    message_id: str = ""
    in_reply_to: str = ""
    references: str = ""
    sender_name: str = ""
    sender_address: str = ""
    subject: str = ""
    sent_at: datetime.datetime = None
    text: str = ""
    kind: str = InboundMessage.Kind.PERSONAL
    bounced_message_ids: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # what could not be read; the rest was

    def named_message_ids(self):
        return MESSAGE_ID.findall(f"{self.in_reply_to} {self.references}")


def _sent_at(message, fallback):
    try:
        sent_at = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return fallback
    if sent_at is None:
        return fallback
    if timezone.is_naive(sent_at):
        sent_at = timezone.make_aware(sent_at, datetime.UTC)
    # A sender's clock in the future would start the Awb terms later than the mail arrived.
    return min(sent_at, fallback)


def _kind(message):
    content_type = message.get_content_type()
    if content_type == "multipart/report" and message.get_param("report-type", "").lower() == "delivery-status":
        return InboundMessage.Kind.BOUNCE
    if any(part.get_content_type() == "message/delivery-status" for part in message.walk()):
        return InboundMessage.Kind.BOUNCE
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return InboundMessage.Kind.AUTO_REPLY
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        return InboundMessage.Kind.AUTO_REPLY
    if _header(message, "Precedence").lower() in AUTOMATIC_PRECEDENCE:
        return InboundMessage.Kind.AUTO_REPLY
    return InboundMessage.Kind.PERSONAL


def _bounced_message_ids(message):
    """The Message-IDs of the mail a bounce returns: in its returned headers or message."""
    found = []
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "text/rfc822-headers":
            returned = email.message_from_string(_part_text(part), policy=policy.default)
            found += MESSAGE_ID.findall(_header(returned, "Message-ID"))
        elif content_type == "message/rfc822":
            for returned in part.get_payload() if isinstance(part.get_payload(), list) else []:
                found += MESSAGE_ID.findall(_header(returned, "Message-ID"))
    return found + MESSAGE_ID.findall(_header(message, "In-Reply-To"))


def parse(raw, *, now=None):
    """A ParsedMessage from the bytes of one e-mail; never raises on bad input."""
    now = now or timezone.now()
    parsed = ParsedMessage(sent_at=now)
    try:
        message = email.message_from_bytes(raw, policy=policy.default)
    except Exception as error:  # the email package is lenient; this is the last resort
        parsed.problems.append(_("The message could not be read: %(error)s") % {"error": type(error).__name__})
        return parsed
    parsed.problems += [type(defect).__name__ for defect in message.defects]
    parsed.message_id = (MESSAGE_ID.findall(_header(message, "Message-ID")) or [""])[0][:998]
    parsed.in_reply_to = _header(message, "In-Reply-To")
    parsed.references = _header(message, "References")
    parsed.subject = _header(message, "Subject")[:998]
    parsed.sent_at = _sent_at(message, now)
    try:
        addresses = getaddresses([_header(message, "Reply-To") or _header(message, "From")])
    except Exception:
        addresses = []
    if addresses:
        parsed.sender_name, parsed.sender_address = addresses[0][0][:255], addresses[0][1][:254]
    parsed.kind = _kind(message)
    if parsed.kind == InboundMessage.Kind.BOUNCE:
        parsed.bounced_message_ids = _bounced_message_ids(message)
    parsed.text, parsed.attachments = _body_and_attachments(message, parsed.problems)
    return parsed


def _body_and_attachments(message, problems):
    plain, html, attachments = [], [], []
    try:
        parts = list(message.walk())
    except Exception as error:
        problems.append(type(error).__name__)
        parts = [message]
    for part in parts:
        try:
            if part.is_multipart():
                continue
            content_type = part.get_content_type()
            filename = part.get_filename()
            if filename or part.get_content_disposition() == "attachment":
                data = part.get_payload(decode=True) or b""
                attachments.append(ParsedAttachment(name=filename or "bijlage", data=data, content_type=content_type))
            elif content_type == "text/plain":
                plain.append(_part_text(part))
            elif content_type == "text/html":
                html.append(html_to_text(_part_text(part)))
        except Exception as error:  # one unreadable part; the rest of the message still counts
            problems.append(type(error).__name__)
    text = "\n\n".join(plain) if plain else "\n\n".join(html)
    return text.strip(), attachments


# --- Where a message belongs -----------------------------------------------------------------


def threaded_case(parsed, municipality):
    """The case of this municipality that the message answers, or None."""
    ids = parsed.named_message_ids()
    if ids:
        notification = (
            Notification.objects.filter(message_id__in=ids, complaint__municipality=municipality)
            .select_related("complaint")
            .order_by("-created_at")
            .first()
        )
        if notification is not None:
            return notification.complaint
    for reference in SUBJECT_REFERENCE.findall(parsed.subject):
        complaint = Complaint.objects.filter(reference=reference, municipality=municipality).first()
        if complaint is not None and references.parse_reference(reference):
            return complaint
    return None


def bounced_notification(parsed, municipality):
    if not parsed.bounced_message_ids:
        return None
    return (
        Notification.objects.filter(message_id__in=parsed.bounced_message_ids)
        .filter(complaint__municipality=municipality)
        .first()
    )


# --- Importing ---------------------------------------------------------------------------------


def _store_attachments(message, parsed):
    limit = conf.setting("INBOUND_MAX_ATTACHMENTS")
    for index, part in enumerate(parsed.attachments):
        attachment = InboundAttachment(message=message, name=part.name[:255], size=len(part.data))
        if index >= limit:
            attachment.refused_because = _("More than %(count)d attachments: not kept.") % {"count": limit}
            attachment.save()
            continue
        upload = SimpleUploadedFile(part.name, part.data, content_type=part.content_type)
        try:
            validated = uploads.validate_upload(upload, max_bytes=ATTACHMENT_MAX_BYTES)
        except ValidationError as error:
            attachment.refused_because = " ".join(error.messages)
            attachment.save()
            continue
        attachment.name = validated.name
        attachment.content_type = validated.content_type
        attachment.sha256 = validated.sha256
        attachment.scan = validated.scan
        attachment.file.save(validated.name, ContentFile(part.data), save=False)
        attachment.save()


def add_to_case(message, complaint, *, user=None):
    """The message joins the case: on its timeline as an incoming e-mail, its kept attachments
    among the case's documents."""
    message.complaint = complaint
    message.state = InboundMessage.State.ON_CASE
    message.handled_by = user
    message.handled_at = timezone.now() if user else None
    message.save(update_fields=["complaint", "state", "handled_by", "handled_at"])
    ContactMoment.objects.create(
        complaint=complaint,
        kind=ContactMoment.Kind.EMAIL,
        with_whom=(message.sender_name or message.sender_address)[:200],
        summary=_("Incoming e-mail: %(subject)s\n\n%(text)s") % {"subject": message.subject, "text": message.text},
        at=message.sent_at,
        by=user,
    )
    copy_attachments_to_case(message, complaint)


def copy_attachments_to_case(message, complaint):
    for attachment in message.attachments.exclude(file=""):
        with attachment.file.open("rb") as stored:
            data = stored.read()
        copy = ComplaintAttachment(
            complaint=complaint,
            name=attachment.name[:120],
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            scan=attachment.scan,
        )
        copy.file.save(attachment.name, ContentFile(data), save=False)
        copy.save()


def mark_bounced(notification, message):
    """The outbox mail did not arrive: shown to the coordinators as not sent, with why."""
    reason = _("E-mail did not arrive (undeliverable notice of %(date)s): %(text)s") % {
        "date": timezone.localtime(message.sent_at).strftime("%d-%m-%Y %H:%M"),
        "text": " ".join(message.text.split())[:500],
    }
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.FAILED, next_attempt_at=None, last_error=reason[:2000]
    )


def import_message(mailbox, source_key, raw, *, now=None):
    """Import one e-mail once. Returns the InboundMessage, or None when it was read before."""
    now = now or timezone.now()
    if InboundMessage.objects.filter(mailbox=mailbox, source_key=source_key).exists():
        return None
    municipality = mailbox.municipality
    max_bytes = conf.setting("INBOUND_MAX_MESSAGE_MB") * 1024 * 1024
    if len(raw) > max_bytes:
        # Too large to read safely: its headers only, the rest for a person to fetch.
        head = raw[: min(len(raw), 64 * 1024)].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        parsed = parse(head + b"\n\n", now=now)
        parsed.text = ""
        message = InboundMessage.objects.create(
            mailbox=mailbox,
            municipality=municipality,
            source_key=source_key,
            **_fields(parsed),
            size=len(raw),
            state=InboundMessage.State.SET_ASIDE,
            reason=_("Larger than %(mb)d MB: not read. Fetch it from the mailbox itself.")
            % {"mb": conf.setting("INBOUND_MAX_MESSAGE_MB")},
        )
        return message
    parsed = parse(raw, now=now)
    with transaction.atomic():
        message = InboundMessage.objects.create(
            mailbox=mailbox,
            municipality=municipality,
            source_key=source_key,
            **_fields(parsed),
            size=len(raw),
            reason="; ".join(parsed.problems)[:2000],
        )
        _store_attachments(message, parsed)
        _route(message, parsed)
    return message


def _fields(parsed):
    return {
        "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to,
        "references": parsed.references,
        "sender_name": parsed.sender_name,
        "sender_address": parsed.sender_address,
        "subject": parsed.subject,
        "sent_at": parsed.sent_at,
        "text": parsed.text,
        "kind": parsed.kind,
    }


def _route(message, parsed):
    municipality = message.municipality
    if parsed.kind == InboundMessage.Kind.BOUNCE:
        notification = bounced_notification(parsed, municipality)
        message.state = InboundMessage.State.FILED
        if notification is not None:
            message.bounced_notification = notification
            message.complaint = notification.complaint
            mark_bounced(notification, message)
        message.save(update_fields=["state", "bounced_notification", "complaint"])
        return
    complaint = threaded_case(parsed, municipality)
    if parsed.kind == InboundMessage.Kind.AUTO_REPLY:
        # Filed with its case, if any; nobody is told, and nothing answers it.
        message.state = InboundMessage.State.FILED
        message.complaint = complaint
        message.save(update_fields=["state", "complaint"])
        return
    if complaint is not None:
        add_to_case(message, complaint)
        notices.notify_incoming_mail(complaint, message)


# --- Reading mailboxes --------------------------------------------------------------------------


@dataclass
class FetchRun:
    imported: int = 0
    on_case: int = 0
    in_inbox: int = 0
    filed: int = 0
    set_aside: int = 0
    skipped: int = 0

    def count(self, message):
        if message is None:
            self.skipped += 1
            return
        self.imported += 1
        attribute = {
            InboundMessage.State.ON_CASE: "on_case",
            InboundMessage.State.INBOX: "in_inbox",
            InboundMessage.State.FILED: "filed",
            InboundMessage.State.SET_ASIDE: "set_aside",
        }[message.state]
        setattr(self, attribute, getattr(self, attribute) + 1)


def _import_safely(mailbox, key, read, run):
    """One message; whatever goes wrong with it is logged and the run goes on."""
    try:
        raw = read()
        run.count(import_message(mailbox, key, raw))
    except Exception:
        logger.exception("Incoming message %s of mailbox %s could not be imported", key, mailbox.pk)
        return False
    return True


def fetch_maildir(mailbox, run=None):
    """Every message in the Maildir's new/ and cur/ not read before; new/ moves to cur/."""
    run = run or FetchRun()
    box = maildir_module.Maildir(mailbox.path, factory=None, create=False)
    for key in sorted(box.keys()):
        if not _import_safely(mailbox, key, lambda key=key: box.get_bytes(key), run):
            continue
        try:
            stored = box.get_message(key)
            if stored.get_subdir() == "new":
                stored.set_subdir("cur")
                stored.add_flag("S")
                box[key] = stored
        except (KeyError, OSError):
            logger.info("Could not mark message %s as read", key, exc_info=True)
    return run


def imap_connection(mailbox, *, ssl_context=None):
    connection = imaplib.IMAP4_SSL(
        mailbox.host, mailbox.port, ssl_context=ssl_context or ssl.create_default_context(), timeout=60
    )
    connection.login(mailbox.username, mailbox.password())
    return connection


def fetch_imap(mailbox, run=None, *, ssl_context=None):
    """Messages with a UID above the last one read; all again only when UIDVALIDITY changed."""
    run = run or FetchRun()
    connection = imap_connection(mailbox, ssl_context=ssl_context)
    try:
        status, _data = connection.select(_imap_quote(mailbox.folder), readonly=True)
        if status != "OK":
            raise imaplib.IMAP4.error(f"SELECT {mailbox.folder}: {status}")
        uidvalidity = int(connection.untagged_responses.get("UIDVALIDITY", [b"0"])[0])
        if mailbox.uidvalidity != uidvalidity:
            mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
        status, data = connection.uid("SEARCH", None, f"UID {mailbox.last_uid + 1}:*")
        uids = sorted(int(uid) for uid in (data[0] or b"").split() if int(uid) > mailbox.last_uid)
        for uid in uids:
            _import_safely(mailbox, f"{uidvalidity}:{uid}", lambda uid=uid: _imap_body(connection, uid), run)
            mailbox.last_uid = uid
            mailbox.save(update_fields=["uidvalidity", "last_uid"])
    finally:
        try:
            connection.logout()
        except Exception:
            logger.info("IMAP logout failed", exc_info=True)
    return run


def _imap_quote(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _imap_body(connection, uid):
    status, data = connection.uid("FETCH", str(uid), "(BODY.PEEK[])")
    for item in data:
        if isinstance(item, tuple):
            return item[1]
    raise imaplib.IMAP4.error(f"FETCH {uid}: {status}")


def fetch_mailbox(mailbox, *, ssl_context=None):
    run = FetchRun()
    try:
        if mailbox.protocol == InboundMailbox.Protocol.MAILDIR:
            fetch_maildir(mailbox, run)
        else:
            fetch_imap(mailbox, run, ssl_context=ssl_context)
        mailbox.last_error = ""
    except Exception as error:  # the server is down, the login is refused: try again next run
        logger.warning("Mailbox %s could not be read: %s", mailbox.pk, type(error).__name__)
        mailbox.last_error = f"{type(error).__name__}: {error}"[:2000]
    mailbox.last_fetched_at = timezone.now()
    mailbox.save(update_fields=["last_error", "last_fetched_at"])
    return run


def fetch_all(now=None):
    """Every active mailbox once (the worker's job and ``fetch_inbound_mail``)."""
    total = FetchRun()
    for mailbox in InboundMailbox.objects.filter(active=True).select_related("municipality"):
        run = fetch_mailbox(mailbox)
        for name in total.__dataclass_fields__:
            setattr(total, name, getattr(total, name) + getattr(run, name))
    return total


# --- What a coordinator does with a message in the inbox ----------------------------------------


class NotInInbox(Exception):
    """The message was already handled (by someone else, a moment ago)."""


def _take_from_inbox(message):
    message = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.state != InboundMessage.State.INBOX:
        raise NotInInbox(_("This e-mail was already handled."))
    return message


def prefilled_submission(message):
    """What the registration form starts with: the sender and the text of the mail."""
    return {
        "name": message.sender_name or message.sender_address,
        "email": message.sender_address,
        "description": message.text or message.subject,
        "received_at": timezone.localtime(message.sent_at),
        "conduct_date": timezone.localdate(message.sent_at),
    }


def _kept_attachments(message):
    pairs = []
    for attachment in message.attachments.exclude(file=""):
        with attachment.file.open("rb") as stored:
            upload = SimpleUploadedFile(attachment.name, stored.read(), content_type=attachment.content_type)
        extension = attachment.name.rpartition(".")[2]
        validated = uploads.ValidatedUpload(
            name=attachment.name,
            content_type=attachment.content_type,
            extension=extension,
            size=attachment.size,
            sha256=attachment.sha256,
            scan=attachment.scan,
        )
        pairs.append((upload, validated))
    return pairs


def register_from_message(message, user, submission: ComplaintSubmission, **kwargs):
    """Awb 9:2: the e-mail becomes a complaint, registered as staff register one, by channel
    e-mail and received at the moment the mail was sent; the acknowledgement goes through the
    outbox. ``submission`` is what the coordinator checked (prefilled from the mail)."""
    # Awb 9:4: a written complaint gives an address to answer it at.
    if not (submission.email or submission.postal_address.strip()):
        raise RegistrationRefused(_("Fill in a postal address or an email address (Awb 9:4)."))
    with transaction.atomic():
        message = _take_from_inbox(message)
        submission.attachments = [*submission.attachments, *_kept_attachments(message)]
        registration = register_by_staff(
            submission,
            user,
            municipality=message.municipality,
            channel=Channel.EMAIL,
            received_at=message.sent_at,
            **kwargs,
        )
        message.complaint = registration.complaint
        message.state = InboundMessage.State.COMPLAINT
        message.handled_by, message.handled_at = user, timezone.now()
        message.save(update_fields=["complaint", "state", "handled_by", "handled_at"])
    return registration


def add_to_existing_case(message, user, complaint):
    """A coordinator adds an inbox message to a case of the same municipality."""
    if complaint.municipality_id != message.municipality_id:
        raise NotInInbox(_("The case belongs to another municipality."))
    with transaction.atomic():
        message = _take_from_inbox(message)
        add_to_case(message, complaint, user=user)
    return message


def mark_not_a_complaint(message, user, *, reason):
    """ "Geen klacht": kept with the reason, removed with the inbox's other mail (retention)."""
    if not reason.strip():
        raise NotInInbox(_("Give the reason why this is no complaint."))
    with transaction.atomic():
        message = _take_from_inbox(message)
        message.state = InboundMessage.State.NOT_A_COMPLAINT
        message.reason = reason.strip()
        message.handled_by, message.handled_at = user, timezone.now()
        message.save(update_fields=["state", "reason", "handled_by", "handled_at"])
    return message
