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


def _scheduled():
    """A housekeeping task waiting in the queue, or one running now (not one killed long ago)."""
    path = housekeeping.module_path
    waiting = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY)
    running = DBTaskResult.objects.filter(
        task_path=path, status=TaskResultStatus.RUNNING, started_at__gte=timezone.now() - RUN_LIMIT
    )
    return waiting.exists() or running.exists()


def schedule(after=timedelta(0)):
    """Queue the next housekeeping run, unless one is queued already. True when queued now."""
    if not housekeeping.get_backend().supports_defer:
        return False
    waiting = DBTaskResult.objects.filter(task_path=housekeeping.module_path, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    housekeeping.using(run_after=timezone.now() + after).enqueue()
    return True


def ensure_scheduled(**kwargs):
    """Signal receiver (post_migrate, task_finished): a housekeeping task exists from now on."""
    if housekeeping.get_backend().supports_defer and not _scheduled():
        schedule()
