"""The complaint case (klacht) and its attachments."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce, Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from klachtformulieren.cases import deadlines
from klachtformulieren.storage import private_storage


class Status(models.TextChoices):
    """Where a case stands. The allowed steps between them live in the workflow module."""

    RECEIVED = "received", _("Received")
    INTAKE = "intake", _("In intake")
    HANDLING = "handling", _("Being handled")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    NOT_HANDLED = "not_handled", _("Not taken into handling")
    REFERRED = "referred", _("Referred or forwarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.INTAKE, Status.HANDLING})


class Track(models.TextChoices):
    INFORMAL = "informal", _("Informal (Awb 9:5)")
    FORMAL = "formal", _("Formal")


class Outcome(models.TextChoices):
    """How a case ended. The codes are fixed: reports, exports and imports use them."""

    NOT_HANDLED = "not_handled", _("Not taken into handling")
    NO_JUDGEMENT = "no_judgement", _("No judgement")
    WELL_FOUNDED = "well_founded", _("Well founded")
    PARTLY_WELL_FOUNDED = "partly_well_founded", _("Partly well founded")
    UNFOUNDED = "unfounded", _("Unfounded")
    RESOLVED_INFORMALLY = "resolved_informally", _("Resolved informally")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REFERRED = "referred", _("Referred or forwarded")


# The outcomes of a decision on the merits (Awb 9:12).
DECISION_OUTCOMES = (Outcome.WELL_FOUNDED, Outcome.PARTLY_WELL_FOUNDED, Outcome.UNFOUNDED, Outcome.NO_JUDGEMENT)


class NotHandledReason(models.TextChoices):
    """Awb 9:8: when the municipality need not handle a complaint."""

    HANDLED_BEFORE = "a", _("a. The conduct was handled before under this title")
    OLDER_THAN_A_YEAR = "b", _("b. The conduct took place more than a year before the complaint")
    OBJECTION_POSSIBLE = "c", _("c. The complainant could object to it")
    APPEAL_POSSIBLE = "d", _("d. The complainant can or could appeal against it")
    BEFORE_COURT = "e", _("e. A court is dealing with it")
    CRIMINAL_INVESTIGATION = "f", _("f. It is under criminal investigation")
    TOO_SMALL = "lid2", _("Paragraph 2. The interest or weight is clearly too small")


class ReferralKind(models.TextChoices):
    OBJECTION = "objection", _("The objection procedure")
    PARTNER = "partner", _("A partner that carries out the task")
    REPORT_SYSTEM = "report_system", _("The report system for the public space")
    OTHER_BODY = "other_body", _("Another organisation (Awb 2:3)")


class Channel(models.TextChoices):
    """How the complaint reached the municipality (Awb 9:2: oral complaints count too)."""

    WEB_FORM = "web_form", _("Web form")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    DESK = "desk", _("In person at the desk")
    OMBUDSMAN = "ombudsman", _("Via the ombudsman")
    INTERNAL = "internal", _("Internal, from a colleague")


# Awb 9:4 and 9:6 are about written complaints: an oral one (Awb 9:2) needs no address to be
# registered, and gets no written acknowledgement where it left none.
ORAL_CHANNELS = frozenset({Channel.PHONE, Channel.DESK})


class ReferenceSequence(models.Model):
    """The last reference number handed out in a year.

    Registering a complaint locks this row until its transaction commits, so concurrent
    submissions get consecutive numbers, and a rolled-back submission frees its number
    again: references have no duplicates and no gaps.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


def attachment_path(attachment, filename):
    # A random folder name: nothing about the complainant or the case in the path.
    return f"klachten/{attachment.complaint.received_at:%Y/%m}/{uuid.uuid4().hex}/{filename}"


class StepHistory(models.Model):
    """What every history record of a case adds to simple-history's fields: the handling step.

    The workflow names the step on the case (``complaint._history_step``) before it saves;
    ``record_step`` below copies it into the record. The reason stays in
    ``history_change_reason``, as plain text.
    """

    history_step = models.CharField(_("step"), max_length=40, blank=True, db_index=True)

    class Meta:
        abstract = True


def _settled_as(status, outcomes, *, decided):
    condition = models.Q(status=status, outcome__in=outcomes, closed_at__isnull=False)
    return condition & models.Q(decided_at__isnull=not decided) if decided is not None else condition


# Which status goes with which outcome and dates: the workflow's steps make these
# combinations, and the database refuses every other, whoever writes.
VALID_STATE = (
    models.Q(status__in=sorted(OPEN_STATUSES), outcome="", decided_at__isnull=True, closed_at__isnull=True)
    | models.Q(status=Status.DECIDED, outcome__in=DECISION_OUTCOMES, decided_at__isnull=False, closed_at__isnull=True)
    | _settled_as(Status.CLOSED, DECISION_OUTCOMES, decided=True)
    | _settled_as(Status.CLOSED, [Outcome.RESOLVED_INFORMALLY], decided=False)
    | _settled_as(Status.NOT_HANDLED, [Outcome.NOT_HANDLED], decided=False)
    | _settled_as(Status.REFERRED, [Outcome.REFERRED], decided=False)
    | _settled_as(Status.WITHDRAWN, [Outcome.WITHDRAWN], decided=False)
)
DATES_IN_ORDER = (
    (models.Q(decided_at__isnull=True) | models.Q(decided_at__gte=models.F("received_at")))
    & (models.Q(closed_at__isnull=True) | models.Q(closed_at__gte=models.F("received_at")))
    & (
        models.Q(closed_at__isnull=True)
        | models.Q(decided_at__isnull=True)
        | models.Q(closed_at__gte=models.F("decided_at"))
    )
)


def _digits_of(field_name):
    """An expression for ``field_name`` without the separators people type in phone numbers."""
    expression = models.F(field_name)
    for separator in (" ", "-", "(", ")", ".", "/", "+"):
        expression = Replace(expression, models.Value(separator), models.Value(""))
    return expression


class ComplaintQuerySet(models.QuerySet):
    """The selections by term that the listing, the dashboard and the reminders share."""

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    @staticmethod
    def overdue_condition(today):
        """Of the open cases: the decision is overdue."""
        return models.Q(decision_due_on__lt=today)

    @staticmethod
    def due_soon_condition(today):
        """Of the open cases: the decision is due today or within ``deadlines.DUE_SOON_DAYS``."""
        horizon = today + datetime.timedelta(days=deadlines.DUE_SOON_DAYS)
        return models.Q(decision_due_on__gte=today, decision_due_on__lte=horizon)

    def overdue(self, today):
        return self.open().filter(self.overdue_condition(today))

    def due_soon(self, today):
        return self.open().filter(self.due_soon_condition(today))

    def first_contact_overdue(self, today):
        return self.open().filter(first_contact_at__isnull=True, first_contact_due_on__lt=today)

    AWAITING_COMPLAINANT = models.Q(awaiting_complainant_since__isnull=False)
    OPEN = models.Q(status__in=OPEN_STATUSES)
    LETTER_NOT_SENT = models.Q(letter_not_sent=True)

    def awaiting_complainant(self):
        """Open, and waiting for the complainant to answer a question put to them."""
        return self.open().filter(self.AWAITING_COMPLAINANT)


class Complaint(models.Model):
    """A complaint (klacht, klaagschrift) about how the municipality behaved (Awb 9:1)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB_FORM)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )

    # The complainant (Awb 9:4: name and address are required for the formal procedure).
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    representative_name = models.CharField(
        _("filed by"), max_length=200, blank=True, help_text=_("Someone who complains on behalf of the complainant.")
    )
    representative_relation = models.CharField(_("relation to the complainant"), max_length=200, blank=True)

    # The conduct complained about.
    description = models.TextField(_("what happened"))
    conduct_date = models.DateField(_("date of the conduct"))
    conduct_date_end = models.DateField(_("end of the period"), null=True, blank=True)
    conduct_involved = models.TextField(_("where, which team or employee"), blank=True)
    desired_outcome = models.TextField(_("desired outcome"), blank=True)
    extra_answers = models.JSONField(_("answers to further questions"), default=list, blank=True)

    form_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_notice_acknowledged_at = models.DateTimeField(_("privacy notice acknowledged at"), null=True, blank=True)
    # Only the hash of the complainant's secret status link is kept (see status.py).
    status_token_hash = models.CharField(max_length=64, unique=True, editable=False)

    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("about partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        help_text=_("The organisation carrying out a public task that the complaint is about."),
    )
    kind = models.ForeignKey(
        "klachtformulieren.ComplaintKind",
        verbose_name=_("kind"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    unit = models.ForeignKey(
        "klachtformulieren.OrganisationUnit",
        verbose_name=_("organisation unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_complaints",
    )
    person_complained_about = models.CharField(_("person complained about"), max_length=200, blank=True)
    person_complained_about_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person complained about (account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints_about_me",
        help_text=_("Awb 9:7: this person never handles the complaint."),
    )
    track = models.CharField(_("track"), max_length=10, choices=Track.choices, blank=True)
    first_contact_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    not_handled_reason = models.CharField(
        _("reason not to handle (Awb 9:8)"), max_length=4, choices=NotHandledReason.choices, blank=True
    )
    referral_kind = models.CharField(_("referred to"), max_length=20, choices=ReferralKind.choices, blank=True)
    referred_to = models.CharField(_("organisation or procedure"), max_length=200, blank=True)
    person_informed_at = models.DateTimeField(_("person complained about informed at (Awb 9:9)"), null=True, blank=True)
    hearing_planned_for = models.DateTimeField(_("hearing planned for"), null=True, blank=True)
    hearing_duration_minutes = models.PositiveSmallIntegerField(_("hearing length (minutes)"), default=60)
    hearing_location = models.CharField(_("hearing place"), max_length=300, blank=True)
    hearing_video_link = models.URLField(_("hearing video link"), max_length=500, blank=True)
    hearing_attendees = models.TextField(_("attendees of the hearing"), blank=True)
    hearing_waived_reason = models.CharField(_("no hearing because (Awb 9:10 lid 2)"), max_length=200, blank=True)
    hearing_report = models.TextField(_("report of the hearing"), blank=True)
    advisory_committee = models.BooleanField(
        _("handled by an advisory committee"),
        default=False,
        help_text=_("Awb 9:14: the decision term is then 10 weeks instead of 6."),
    )
    postponed_weeks = models.PositiveSmallIntegerField(_("postponed by (weeks)"), default=0)
    postponement_reason = models.TextField(_("reason for postponement"), blank=True)
    postponement_consent = models.TextField(_("complainant's written consent to a longer postponement"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True, db_index=True)
    findings = models.TextField(_("findings"), blank=True)
    decision_reasons = models.TextField(_("judgement and reasons"), blank=True)
    apology_offered = models.BooleanField(_("apology offered"), default=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    satisfied = models.BooleanField(_("complainant satisfied"), null=True, blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    improvements = models.TextField(_("improvements made"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Computed on every save from the received date, the postponement and the committee
    # (deadlines.py), never typed in; stored so listings can filter and sort on them.
    first_contact_due_on = models.DateField(_("first contact due"), editable=False, null=True)
    decision_due_on = models.DateField(_("decision due"), editable=False, null=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Retention (Selectielijst gemeenten 2020, process type 13; docs/privacy.md).
    retention_hold = models.CharField(
        _("keep beyond the retention date because"),
        max_length=300,
        blank=True,
        help_text=_(
            "A legal hold: while this says why (an ombudsman or court case still pending), the case's personal "
            "data are not destroyed. Empty it when the reason has passed."
        ),
    )
    destroyed_at = models.DateTimeField(
        _("personal data destroyed at"), null=True, blank=True, editable=False, db_index=True
    )

    # The phone number's digits alone, kept by the database, so a search finds "06-1234 5678"
    # when "0612345678" is typed (admin/filters.py ``search_condition``).
    phone_digits = models.GeneratedField(
        expression=_digits_of("phone"), output_field=models.CharField(max_length=40), db_persist=True
    )
    # Waiting for the complainant: asked for information, a document or consent (the work
    # queue "Wacht op klager"); cleared when they answer.
    awaiting_complainant_since = models.DateTimeField(_("waiting for the complainant since"), null=True, blank=True)
    awaiting_complainant_for = models.CharField(_("asked of the complainant"), max_length=300, blank=True)
    # A step's letter waits as a draft (correspondence/letters.py keeps this): the work queue
    # "Brief nog niet verstuurd", counted with the open cases from one index each.
    letter_not_sent = models.BooleanField(_("a letter is not sent yet"), default=False, editable=False)

    history = HistoricalRecords(
        excluded_fields=["status_token_hash", "phone_digits", "letter_not_sent"], bases=[StepHistory]
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="unique_complaint_number_per_year"),
            models.CheckConstraint(
                condition=VALID_STATE,
                name="complaint_status_outcome_dates",
                violation_error_message=_("This status does not go with this outcome and these dates."),
            ),
            models.CheckConstraint(
                condition=DATES_IN_ORDER,
                name="complaint_dates_in_order",
                violation_error_message=_(
                    "A case is decided and closed after it was received, and closed after the decision."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "-received_at"], name="complaint_muni_received_idx"),
            models.Index(fields=["handler", "status"], name="complaint_handler_status_idx"),
            # The work queues and deadline filters: open statuses by decision date.
            models.Index(fields=["status", "decision_due_on"], name="complaint_status_due_idx"),
            models.Index(
                fields=["letter_not_sent"],
                condition=models.Q(letter_not_sent=True),
                name="complaint_letter_waiting_idx",
            ),
            # The annual report (reporting/year_rows.py): the cases carried over into a year
            # (still open, or settled after it began) and the few cases with lessons learned.
            models.Index(Coalesce("decided_at", "closed_at"), "received_at", name="complaint_settled_idx"),
            models.Index(
                fields=["received_at"],
                condition=~models.Q(lessons_learned="", improvements=""),
                name="complaint_lessons_idx",
            ),
        ]
        permissions = [
            ("coordinate_complaints", _("Can handle every complaint of their municipalities (coordinator)")),
            ("handle_assigned_complaints", _("Can handle the complaints assigned to them (handler)")),
            ("administer_complaints", _("Can see and handle the complaints of every municipality")),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        self.refresh_due_dates()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "first_contact_due_on", "decision_due_on"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.handler_id and self.handler_id == self.person_complained_about_user_id:
            raise ValidationError(
                {
                    "person_complained_about_user": _(
                        "This person handles the complaint. Assign another handler first (Awb 9:7)."
                    )
                }
            )
        if self.conduct_date_end and self.conduct_date and self.conduct_date_end < self.conduct_date:
            raise ValidationError({"conduct_date_end": _("The end of the period lies before its start.")})

    def refresh_due_dates(self):
        received_on = self.received_on  # one time zone conversion for both terms
        self.first_contact_due_on = self.first_contact_due(received_on)
        self.decision_due_on = self.decision_due(received_on)

    def is_open(self):
        return self.status in OPEN_STATUSES

    def days_left(self, today=None):
        """Calendar days until the decision is due; negative when overdue; None once settled."""
        if not self.is_open():
            return None
        today = today or timezone.localdate()
        return (self.decision_due_on - today).days

    @property
    def received_on(self):
        """The day of receipt in the municipality's time zone (TIME_ZONE), whoever looks."""
        return timezone.localdate(self.received_at, timezone.get_default_timezone())

    def decision_due(self, received_on=None):
        return deadlines.decision_due(
            received_on or self.received_on, postponed_weeks=self.postponed_weeks, committee=self.advisory_committee
        )

    def first_contact_due(self, received_on=None):
        return deadlines.first_contact_due(received_on or self.received_on)


def record_step(sender, instance, history_instance, **kwargs):
    if isinstance(instance, Complaint):
        # One record, one step: a later save of the same object (a correction) names none,
        # and a case written whole (registered, imported, a demo case) has no step.
        step = instance.__dict__.pop("_history_step", "")
        history_instance.history_step = step if history_instance.history_type == "~" else ""
        # simple-history has read the reason and the user by now; they belong to this record only.
        instance.__dict__.pop("_change_reason", None)
        instance.__dict__.pop("_history_user", None)


pre_create_historical_record.connect(record_step, dispatch_uid="klachtformulieren_record_step")


class ContactMoment(models.Model):
    """A contact with the complainant or someone else about the case (call, mail, conversation)."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone call")
        EMAIL = "email", _("Email")
        MEETING = "meeting", _("Conversation")
        LETTER = "letter", _("Letter")

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="contact_moments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    with_whom = models.CharField(_("with"), max_length=200)
    summary = models.TextField(_("summary"))
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class ComplaintAttachment(models.Model):
    class Scan(models.TextChoices):
        # clean: scanned and clean, or no virus scanner is configured.
        # quarantined: the scanner was configured but could not be reached; the file is kept
        # but nobody can download it until a later scan finds it clean.
        # infected: a later scan found a virus; the file's content is removed.
        CLEAN = "clean", _("Checked")
        QUARANTINED = "quarantined", _("In quarantine: not yet scanned for viruses")
        INFECTED = "infected", _("Removed: contained a virus")

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    scan = models.CharField(_("virus scan"), max_length=20, choices=Scan.choices, default=Scan.CLEAN)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name
