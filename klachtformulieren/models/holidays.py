"""Days a Royal Decree equates with holidays (Algemene termijnenwet art. 3 lid 3).

The Atw's own holidays come from the ``holidays`` package; these days do not: a decree sets
them for a few years at a time (mostly the Friday after Ascension Day and a bridge day), and no
library knows them. The portal ships the known ones (migration 0015) and an administrator
adds the next decree's days in the admin.

The deadline engine (``cases.deadlines``) reads them through ``equated_days`` and caches them;
saving or deleting a day here empties that cache in this process, and other processes (the
worker, other app servers) read the table again within ``deadlines.EQUATED_DAYS_REFRESH`` seconds.
"""

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from klachtformulieren.cases import deadlines


class EquatedHoliday(models.Model):
    """A day equated with a generally recognised holiday by Royal Decree (gelijkgestelde dag, Atw art. 3 lid 3)."""

    day = models.DateField(_("day"), unique=True)
    decree = models.CharField(
        _("decree"),
        max_length=255,
        help_text=_("The Royal Decree that equates this day, as it is cited, e.g. its title and Staatsblad number."),
    )

    class Meta:
        verbose_name = _("day equated with a holiday")
        verbose_name_plural = _("days equated with holidays")
        ordering = ["day"]

    def __str__(self):
        return str(self.day)


def equated_days():
    """Every equated day in the table; none before the table exists (a migration that computes
    deadlines runs before the one that creates it)."""
    if EquatedHoliday._meta.db_table not in connection.introspection.table_names():
        return ()
    return tuple(EquatedHoliday.objects.values_list("day", flat=True))


deadlines.use_equated_days(equated_days)


@receiver(post_save, sender=EquatedHoliday, dispatch_uid="klachtformulieren_equated_holiday_saved")
@receiver(post_delete, sender=EquatedHoliday, dispatch_uid="klachtformulieren_equated_holiday_deleted")
def forget_equated_days(**kwargs):
    # Now, for this transaction's own reads, and after the commit, so a read in between
    # (another request, before the commit) does not keep the old days cached.
    deadlines.forget_equated_days()
    transaction.on_commit(deadlines.forget_equated_days)
