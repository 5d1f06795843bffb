"""Days a Royal Decree equates with holidays (Algemene termijnenwet art. 3 lid 3).

The Atw's own holidays come from the ``holidays`` package; these days do not: a decree sets
them for a few years at a time (mostly the Friday after Ascension Day and a bridge day), and no
library knows them. The portal ships the known ones (migration 0015) and an administrator
adds the next decree's days in the admin.

The deadline engine (``cases.deadlines``) reads them through ``equated_days`` and caches them;
saving or deleting a day here empties that cache in this process, and other processes (the
worker, other app servers) read the table again within ``deadlines.EQUATED_DAYS_REFRESH`` seconds.
"""

import datetime

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klachtformulieren.cases import deadlines
from klachtformulieren.models.complaint import Complaint


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


# A term ends at most this long after receipt: 10 weeks with an advisory committee, 4 weeks'
# postponement (longer only with consent, rare), and a few days past holidays.
LONGEST_TERM = datetime.timedelta(weeks=16)


def refresh_due_dates_around(complaint_model, days):
    """Store the due dates anew of every case whose terms could end on one of ``days``: the
    list, the work queues, the reminders and the annual report read the stored dates. Works
    on the migration's historical model too. Returns how many cases changed."""
    days = [day for day in days if day is not None]
    if not days:
        return 0
    deadlines.forget_equated_days()
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(min(days) - LONGEST_TERM, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(max(days) + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    changed = []
    fields = ("first_contact_due_on", "decision_due_on")
    window = complaint_model.objects.filter(received_at__gte=start, received_at__lt=end).only(
        "pk", "received_at", "postponed_weeks", "advisory_committee", *fields
    )
    for complaint in window.iterator(chunk_size=2000):
        received_on = timezone.localdate(complaint.received_at, zone)
        due = (
            deadlines.first_contact_due(received_on),
            deadlines.decision_due(
                received_on, postponed_weeks=complaint.postponed_weeks, committee=complaint.advisory_committee
            ),
        )
        if due != (complaint.first_contact_due_on, complaint.decision_due_on):
            complaint.first_contact_due_on, complaint.decision_due_on = due
            changed.append(complaint)
    complaint_model.objects.bulk_update(changed, fields, batch_size=1000)
    return len(changed)


@receiver(post_init, sender=EquatedHoliday, dispatch_uid="klachtformulieren_equated_holiday_loaded")
def remember_the_day(instance, **kwargs):
    instance._day_as_loaded = instance.day  # a day moved in the admin frees the old one


@receiver(post_save, sender=EquatedHoliday, dispatch_uid="klachtformulieren_equated_holiday_saved")
@receiver(post_delete, sender=EquatedHoliday, dispatch_uid="klachtformulieren_equated_holiday_deleted")
def forget_equated_days(instance, **kwargs):
    # Now, for this transaction's own reads, and after the commit, so a read in between
    # (another request, before the commit) does not keep the old days cached. Then the stored
    # due dates of the cases whose terms the day touches follow.
    deadlines.forget_equated_days()
    transaction.on_commit(deadlines.forget_equated_days)
    touched = {instance.day, getattr(instance, "_day_as_loaded", None)}
    transaction.on_commit(lambda: refresh_due_dates_around(Complaint, touched))
