"""The complainant's say after the case is closed: a short survey and a request to look again."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SatisfactionSurvey(models.Model):
    """Tevredenheidsonderzoek: mailed when a case is closed, answered once without an account.

    Only the hash of the link's token is kept. "Ik wil dat de gemeente er opnieuw naar kijkt" makes
    a reopen request, which a coordinator accepts or declines with a reason (cases.steps).
    """

    class ReopenAnswer(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted: the complaint is handled again")
        DECLINED = "declined", _("Declined")

    complaint = models.OneToOneField(
        "klachtformulieren.Complaint", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="survey"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    satisfied = models.BooleanField(_("satisfied with how it was handled"), null=True, blank=True)
    could_be_better = models.TextField(_("what could be better"), blank=True)
    reopen_requested = models.BooleanField(_("asked us to look at it again"), default=False)
    reopen_answer = models.CharField(
        _("answer to the request"), max_length=10, choices=ReopenAnswer.choices, blank=True
    )
    reopen_answer_reason = models.TextField(_("reason of the answer"), blank=True)
    reopen_answered_at = models.DateTimeField(_("request answered at"), null=True, blank=True)
    reopen_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("request answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")

    def __str__(self):
        return str(self.complaint)

    @property
    def reopen_request_pending(self):
        return self.reopen_requested and not self.reopen_answer
