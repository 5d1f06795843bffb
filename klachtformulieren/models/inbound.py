"""Incoming e-mail: the municipality's mailboxes and the messages fetched from them.

A message that names a case (its reference in the subject, or a Message-ID we sent) lands on
that case; the rest waits in the intake inbox ("Binnengekomen e-mail") until a coordinator
turns it into a complaint, adds it to a case, or marks it "geen klacht".
"""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from klachtformulieren.storage import private_storage

from .complaint import ComplaintAttachment


def inbound_attachment_path(attachment, filename):
    """By a random name: the path says nothing about whom the mail came from."""
    return f"inkomend/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class InboundMailbox(models.Model):
    """A mailbox the worker reads: IMAP over TLS, or a local Maildir."""

    class Protocol(models.TextChoices):
        IMAP = "imap", _("IMAP over TLS")
        MAILDIR = "maildir", _("Maildir on this server")

    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="inbound_mailboxes",
    )
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices, default=Protocol.IMAP)
    host = models.CharField(_("IMAP server"), max_length=255, blank=True)
    port = models.PositiveIntegerField(_("port"), default=993)
    username = models.CharField(_("user name"), max_length=255, blank=True)
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    path = models.CharField(_("Maildir path"), max_length=500, blank=True)
    # Never the password itself: the name of an environment variable that holds it, or of a
    # file (NAME_FILE, as Docker and systemd secrets are given) that does.
    password_variable = models.CharField(
        _("password from environment variable"),
        max_length=100,
        blank=True,
        help_text=_("The name of the environment variable with the (app) password; NAME_FILE may name a file."),
    )
    active = models.BooleanField(_("active"), default=True)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"), null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(_("last UID read"), default=0, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetched at"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    panels = [
        FieldPanel("municipality"),
        FieldPanel("protocol"),
        FieldPanel("host"),
        FieldPanel("port"),
        FieldPanel("username"),
        FieldPanel("folder"),
        FieldPanel("password_variable"),
        FieldPanel("path"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = _("incoming mailbox")
        verbose_name_plural = _("incoming mailboxes")

    def __str__(self):
        where = self.path if self.protocol == self.Protocol.MAILDIR else f"{self.username}@{self.host}/{self.folder}"
        return f"{self.municipality}: {where}"

    def password(self):
        """The password from the environment, or from the file NAME_FILE names; "" when neither."""
        name = self.password_variable
        if not name:
            return ""
        if name in os.environ:
            return os.environ[name]
        secret_file = os.environ.get(f"{name}_FILE")
        return Path(secret_file).read_text().strip() if secret_file else ""


class InboundMessage(models.Model):
    """An e-mail as it arrived (binnengekomen e-mail)."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Written by a person")
        AUTO_REPLY = "auto_reply", _("Automatic reply (out of office)")
        BOUNCE = "bounce", _("Undeliverable notice (bounce)")

    class State(models.TextChoices):
        INBOX = "inbox", _("In the inbox")
        ON_CASE = "on_case", _("Added to a case")
        COMPLAINT = "complaint", _("Registered as a complaint")
        NOT_A_COMPLAINT = "not_a_complaint", _("No complaint")
        FILED = "filed", _("Filed (automatic mail)")
        SET_ASIDE = "set_aside", _("Set aside: could not be read")

    mailbox = models.ForeignKey(
        InboundMailbox, verbose_name=_("mailbox"), on_delete=models.CASCADE, related_name="messages"
    )
    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="inbound_messages",
    )
    # Where it was read: the Maildir's file name, or "UIDVALIDITY:UID"; read once.
    source_key = models.CharField(_("source"), max_length=255, editable=False)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    in_reply_to = models.TextField(_("In-Reply-To"), blank=True)
    references = models.TextField(_("References"), blank=True)
    sender_name = models.CharField(_("sender"), max_length=255, blank=True)
    sender_address = models.CharField(_("sender's address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    sent_at = models.DateTimeField(_("sent at"))
    fetched_at = models.DateTimeField(_("fetched at"), default=timezone.now)
    text = models.TextField(_("text"), blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSONAL)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.INBOX, db_index=True)
    # What it became decides how long it is kept: it goes with its case (apply_retention).
    complaint = models.ForeignKey(
        "klachtformulieren.Complaint",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbound_messages",
    )
    bounced_notification = models.ForeignKey(
        "klachtformulieren.Notification",
        verbose_name=_("mail that did not arrive"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bounces",
    )
    reason = models.TextField(_("reason"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incoming e-mail")
        verbose_name_plural = _("incoming e-mail")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "source_key"], name="kf_inbound_message_read_once"),
        ]

    def __str__(self):
        return self.subject or str(_("(no subject)"))


class InboundAttachment(models.Model):
    """An attachment of an incoming e-mail: kept when it passed the form's upload checks,
    else only its name and why it was refused."""

    message = models.ForeignKey(
        InboundMessage, verbose_name=_("e-mail"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=inbound_attachment_path, max_length=255, blank=True
    )
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    scan = models.CharField(
        _("virus scan"),
        max_length=20,
        choices=ComplaintAttachment.Scan.choices,
        default=ComplaintAttachment.Scan.CLEAN,
    )
    refused_because = models.TextField(_("refused because"), blank=True)

    class Meta:
        verbose_name = _("attachment of an e-mail")
        verbose_name_plural = _("attachments of e-mails")
        ordering = ["pk"]

    def __str__(self):
        return self.name
