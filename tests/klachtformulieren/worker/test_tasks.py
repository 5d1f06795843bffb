"""The task worker: no web request talks to the mail server; the worker delivers and keeps house."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker as db_worker_command
from django_tasks_db.models import DBTaskResult

from klachtformulieren.models import Complaint, Notification
from klachtformulieren.worker import tasks

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    """The production backend: tasks wait in the database for the worker (django-tasks
    forgets its backends whenever TASKS changes)."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def run_worker(monkeypatch):
    """The real worker, once through its queue, inside the test's transaction.

    The worker closes connections it thinks are stale between tasks; the test's connection,
    inside its transaction, is not, and on PostgreSQL closing it would end the test.
    """
    monkeypatch.setattr(db_worker_command, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval=0", "--no-reload", stdout=io.StringIO())

    return run


def test_a_submission_opens_no_mail_connection_and_the_worker_delivers_after(
    database_tasks, run_worker, file_complaint, form_page, valid_post, settings
):
    settings.EMAIL_BACKEND = "tests.mail_backends.ExplodesIfOpenedBackend"

    response = file_complaint(form_page, valid_post)

    assert response.status_code == 302
    assert Complaint.objects.count() == 1
    assert Notification.objects.filter(state=Notification.State.PENDING).count() == 2
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_notification_task").count() == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker()

    assert sorted(message.to[0] for message in mail.outbox) == ["coordinatoren@proefdorp.example", "jan@example.org"]
    assert Notification.objects.filter(state=Notification.State.SENT).count() == 2


def test_a_failed_try_is_made_again_by_the_housekeeping_once_it_is_due(
    database_tasks, run_worker, file_complaint, form_page, valid_post, settings
):
    settings.EMAIL_BACKEND = "tests.mail_backends.BrokenBackend"
    file_complaint(form_page, valid_post)
    run_worker()
    assert Notification.objects.filter(state=Notification.State.PENDING, attempts=1).count() == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tasks.housekeeping.call()  # too soon: nothing is due
    assert mail.outbox == []
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=6)):
        tasks.housekeeping.call()

    assert len(mail.outbox) == 2


def test_housekeeping_is_queued_once_and_queues_itself_again(database_tasks, run_worker):
    DBTaskResult.objects.all().delete()

    tasks.ensure_scheduled()
    tasks.ensure_scheduled()

    waiting = DBTaskResult.objects.filter(task_path=tasks.housekeeping.module_path, status=TaskResultStatus.READY)
    assert waiting.count() == 1
    run_worker()
    assert waiting.count() == 1  # the next run, five minutes on
    assert waiting.get().run_after > datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=4)


def test_a_housekeeping_run_killed_midway_is_replaced(database_tasks, run_worker):
    DBTaskResult.objects.all().delete()
    tasks.ensure_scheduled()
    killed = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=killed.pk).update(
        status=TaskResultStatus.RUNNING, started_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2)
    )

    tasks.ensure_scheduled()

    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_with_a_backend_that_cannot_wait_nothing_is_queued():
    tasks.ensure_scheduled()

    assert not DBTaskResult.objects.exists()


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_housekeeping_command_runs_what_is_due():
    out = io.StringIO()
    call_command("run_housekeeping", stdout=out)

    assert "deliver_due_mails" in out.getvalue()
