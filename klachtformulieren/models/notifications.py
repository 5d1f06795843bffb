"""The outbox: every mail is a record first, written with the change that causes it.

A task delivers it after the transaction commits; a failed delivery keeps its error and
is retried by ``manage.py deliver_notifications``. A mail server that is down never
loses or fails a submission.
"""

import string
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel

from klachtformulieren.storage import private_storage


def letter_pdf_path(notification, filename):
    """Under the month it was sent off, by a random name: the path says nothing about whom it is for."""
    return f"brieven/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class Notification(models.Model):
    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement of receipt")
        COORDINATOR_NOTICE = "coordinator_notice", _("Notice to the complaint coordinators")
        NOT_HANDLED_NOTICE = "not_handled_notice", _("Notice: not taken into handling (Awb 9:8)")
        FORWARDING_NOTICE = "forwarding_notice", _("Notice: referred or forwarded (Awb 2:3)")
        POSTPONEMENT = "postponement", _("Notice of postponement (Awb 9:11)")
        DECISION = "decision", _("Decision letter (Awb 9:12)")
        DEADLINE_REMINDER = "deadline_reminder", _("Deadline reminder to a handler")
        HANDLER_ASSIGNED = "handler_assigned", _("Notice to the handler a complaint is assigned to")
        HEARING_INVITATION = "hearing_invitation", _("Invitation to the hearing (Awb 9:10)")
        MY_COMPLAINTS_LINK = "my_complaints_link", _('Link to "My complaints"')
        SURVEY_INVITATION = "survey_invitation", _("Invitation to the satisfaction survey")
        REOPEN_REQUEST_NOTICE = "reopen_request_notice", _("Notice to the coordinators: asked to look again")
        REOPEN_ACCEPTED = "reopen_accepted", _("Answer: we look at the complaint again")
        REOPEN_DECLINED = "reopen_declined", _("Answer: we do not look at the complaint again")
        INCOMING_MAIL_NOTICE = "incoming_mail_notice", _("Notice: an e-mail arrived on a case")

    class Medium(models.TextChoices):
        EMAIL = "email", _("Email")
        POST = "post", _("Letter by post")

    class State(models.TextChoices):
        # A step's letter starts as a draft (edited, previewed, approved: correspondence.letters),
        # then pending -> sending (claimed by one worker) -> sent, or back to pending for a retry,
        # or failed (a permanent refusal, or still not delivered when the retries ran out).
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not sent")

    complaint = models.ForeignKey(
        "klachtformulieren.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    medium = models.CharField(_("medium"), max_length=10, choices=Medium.choices, default=Medium.EMAIL)
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    give_up_at = models.DateTimeField(_("retried until"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Set when a worker first claims the mail and kept for every retry, so the receiving side
    # (and we) can recognise a mail sent twice after an attempt whose outcome was unknown.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    # A step's letter: drafted by ``created_by``, approved by a second person where the
    # municipality asks for it ("vier ogen"), released for sending, and, by post, posted.
    # The PDF as it went out (made when the letter is sent off): what the complainant got stays
    # the case's document, whatever the letterhead becomes later.
    pdf = models.FileField(_("PDF as sent"), storage=private_storage, upload_to=letter_pdf_path, blank=True)
    # Whoever last changed its text may not approve it either.
    text_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("text last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent off by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dispatched_at = models.DateTimeField(_("sent off at"), null=True, blank=True)
    posted_on = models.DateField(_("posted on"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="kf_notification_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient or self.get_medium_display()}"


# The placeholders editors type, in Dutch, and the value each stands for. The English names
# the code fills in (``correspondence.texts.case_values`` and the letters) are accepted too,
# so texts written before the Dutch names keep working.
PLACEHOLDER_NAMES = {
    "reference": "kenmerk",
    "name": "naam",
    "municipality": "gemeente",
    "received_on": "ontvangen_op",
    "first_contact_due": "eerste_contact_uiterlijk",
    "decision_due": "besluit_uiterlijk",
    "addressee": "geadresseerde",
    "municipality_address": "adres_gemeente",
    "ombudsman": "ombudsman",
    "ombudsman_url": "website_ombudsman",
    "ombudsman_term": "termijn_ombudsman",
    "signature": "ondertekening",
    "status_link": "statuslink",
    "answers": "antwoorden",
    "admin_link": "link_naar_zaak",
    "not_handled_ground": "grond_niet_in_behandeling",
    "not_handled_explanation": "toelichting_niet_in_behandeling",
    "referred_to": "doorgestuurd_naar",
    "referral_kind": "soort_doorverwijzing",
    "referral_reason": "reden_doorverwijzing",
    "postponed_weeks": "weken_uitstel",
    "postponement_reason": "reden_uitstel",
    "outcome": "uitkomst",
    "outcome_explanation": "uitleg_uitkomst",
    "findings": "bevindingen",
    "judgement": "oordeel",
    "days_left": "dagen_over",
    "handler_name": "naam_behandelaar",
    "hearing_at": "hoorzitting_op",
    "hearing_place": "plaats_hoorzitting",
    "hearing_attendees": "aanwezigen_hoorzitting",
    "link": "link",
    "hours": "uren",
    "days": "dagen",
    "could_be_better": "wat_kan_beter",
    "answer_reason": "reden",
    "mail_sender": "afzender",
    "mail_subject": "onderwerp",
}
_CASE = ["reference", "name", "municipality", "received_on", "first_contact_due", "decision_due"]
_LETTER = [*_CASE, "addressee", "municipality_address", "ombudsman", "ombudsman_url", "ombudsman_term", "signature"]
# Which placeholders each kind of text gets (notifications.py, letters.py, the reminder command).
PLACEHOLDERS = {
    Notification.Kind.ACKNOWLEDGEMENT: [*_CASE, "status_link", "answers"],
    Notification.Kind.COORDINATOR_NOTICE: [*_CASE, "admin_link", "answers"],
    Notification.Kind.NOT_HANDLED_NOTICE: [*_LETTER, "not_handled_ground", "not_handled_explanation"],
    Notification.Kind.FORWARDING_NOTICE: [*_LETTER, "referred_to", "referral_kind", "referral_reason"],
    Notification.Kind.POSTPONEMENT: [*_LETTER, "postponed_weeks", "postponement_reason"],
    Notification.Kind.DECISION: [*_LETTER, "outcome", "outcome_explanation", "findings", "judgement"],
    Notification.Kind.DEADLINE_REMINDER: [
        "reference",
        "municipality",
        "decision_due",
        "days_left",
        "handler_name",
        "admin_link",
    ],
    Notification.Kind.HANDLER_ASSIGNED: [*_CASE, "handler_name", "admin_link"],
    Notification.Kind.HEARING_INVITATION: [
        *_LETTER,
        "hearing_at",
        "hearing_place",
        "hearing_attendees",
    ],
    Notification.Kind.MY_COMPLAINTS_LINK: ["municipality", "link", "hours"],
    Notification.Kind.SURVEY_INVITATION: [*_CASE, "link", "days"],
    Notification.Kind.REOPEN_REQUEST_NOTICE: [*_CASE, "could_be_better", "admin_link"],
    Notification.Kind.REOPEN_ACCEPTED: [*_CASE, "answer_reason"],
    Notification.Kind.REOPEN_DECLINED: [*_CASE, "answer_reason", "ombudsman", "ombudsman_url", "ombudsman_term"],
    Notification.Kind.INCOMING_MAIL_NOTICE: [*_CASE, "mail_sender", "mail_subject", "handler_name", "admin_link"],
}


def placeholder_list(kind):
    return ", ".join("{" + PLACEHOLDER_NAMES[name] + "}" for name in PLACEHOLDERS[kind])


def unknown_placeholders(kind, text):
    """The {names} in ``text`` that this kind of text does not fill in (Dutch or English names)."""
    allowed = set(PLACEHOLDERS.get(kind, ())) | {PLACEHOLDER_NAMES[name] for name in PLACEHOLDERS.get(kind, ())}
    try:
        fields = [field for _literal, field, _spec, _conversion in string.Formatter().parse(text) if field is not None]
    except ValueError:
        return ["{"]  # a lone brace: not a placeholder at all
    return [field for field in fields if field not in allowed]


def _placeholder_help():
    # Placeholder names stay out of the translated strings, so a translation cannot change them.
    rows = "<li>{}: {}</li>" * len(PLACEHOLDERS)
    arguments = [part for kind in PLACEHOLDERS for part in (kind.label, placeholder_list(kind))]
    return format_lazy(
        "<p>{}</p><ul>" + rows + "</ul><p>{}</p>",
        _("Placeholders per kind of text:"),
        *arguments,
        _("Saving refuses a placeholder this kind of text does not know; check the spelling."),
    )


class PlaceholderHelpPanel(HelpPanel):
    """Beside the text: the placeholders of the kind being written; of every kind until one is chosen."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            kind = getattr(self.instance, "kind", "")
            if kind in PLACEHOLDERS:
                self.content = format_html(
                    "<p>{}</p><p><code>{}</code></p><p>{}</p>",
                    _("This kind of text knows these placeholders:"),
                    placeholder_list(kind),
                    _("Saving refuses a placeholder this kind of text does not know; check the spelling."),
                )


class MailTemplate(models.Model):
    """The text of a mail, with {placeholders} filled in per case.

    A text without a municipality is the install's own, used by every municipality that has
    not written its own text of that kind.
    """

    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mail_texts",
        help_text=_("Leave empty for the text every municipality in this install uses, unless it has its own."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Notification.Kind.choices)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))

    panels = [
        FieldPanel("municipality"),
        FieldPanel("kind"),
        PlaceholderHelpPanel(content=_placeholder_help(), heading=_("Placeholders")),
        FieldPanel("subject"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("mail text")
        verbose_name_plural = _("mail texts")
        ordering = ["kind", "municipality"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind"], name="unique_mail_text_per_municipality"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(municipality=None), name="unique_shared_mail_text"
            ),
        ]

    def __str__(self):
        if self.municipality_id:
            return f"{self.get_kind_display()} ({self.municipality})"
        return self.get_kind_display()

    def clean(self):
        super().clean()
        errors = {}
        for field in ("subject", "body"):
            unknown = unknown_placeholders(self.kind, getattr(self, field) or "")
            if unknown == ["{"]:
                errors[field] = _("A brace stands alone: write placeholders as {kenmerk}, with both braces.")
            elif unknown:
                errors[field] = _("Unknown placeholder %(names)s. This kind of text knows: %(known)s.") % {
                    "names": ", ".join("{" + name + "}" for name in unknown),
                    "known": placeholder_list(self.kind),
                }
        if errors:
            raise ValidationError(errors)
