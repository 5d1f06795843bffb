"""The housekeeping task: it runs the due periodic jobs, then queues itself again.

The worker keeps one housekeeping task in its queue: ``ensure_scheduled`` adds it after every
``migrate`` and whenever the worker finishes a task and finds none (a worker killed while it ran
housekeeping leaves none behind). Backends that cannot wait (the immediate backend of the tests)
get no housekeeping task; run ``manage.py run_housekeeping`` from cron there.
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from klachtformulieren import conf
from klachtformulieren.worker.jobs import run_due_jobs

# A housekeeping run that started longer ago than this was killed.
RUN_LIMIT = timedelta(hours=1)


@task()
def housekeeping():
    try:
        return run_due_jobs()
    finally:
        schedule(after=timedelta(minutes=conf.setting("HOUSEKEEPING_MINUTES")))


def _housekeeping_tasks():
    return DBTaskResult.objects.filter(task_path=housekeeping.module_path)


def _waiting():
    return _housekeeping_tasks().filter(status=TaskResultStatus.READY).exists()


def _running():
    """A housekeeping run going on now (not one killed long ago)."""
    started_since = timezone.now() - RUN_LIMIT
    return _housekeeping_tasks().filter(status=TaskResultStatus.RUNNING, started_at__gte=started_since).exists()


def _can_wait():
    return housekeeping.get_backend().supports_defer


def _enqueue(after):
    housekeeping.using(run_after=timezone.now() + after).enqueue()


def schedule(after=timedelta(0)):
    """Queue the next housekeeping run, unless one is queued already. True when queued now."""
    if not _can_wait() or _waiting():
        return False
    _enqueue(after)
    return True


def ensure_scheduled(**kwargs):
    """Signal receiver (post_migrate, task_finished): a housekeeping task exists from now on."""
    if _can_wait() and not _waiting() and not _running():
        _enqueue(timedelta(0))
