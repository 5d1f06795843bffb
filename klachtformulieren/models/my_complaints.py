"""The links of "Mijn klachten": one page with all of a citizen's complaints, without an account."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MyComplaintsLink(models.Model):
    """A sign-in link mailed to an address: valid for a short while and once (see intake.my_complaints).

    Only the hash of the link's token is kept, as with the status link.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _('"My complaints" link')
        verbose_name_plural = _('"My complaints" links')

    def __str__(self):
        return self.email
