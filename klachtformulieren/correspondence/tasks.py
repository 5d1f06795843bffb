"""Background tasks (django-tasks, the framework Wagtail itself uses), run by ``manage.py db_worker``."""

from django_tasks import task

from klachtformulieren.correspondence import delivery


def enqueue_delivery(notification_id):
    """Have the worker try this mail now. Retries are the periodic job's (``delivery.deliver_due``)."""
    deliver_notification_task.enqueue(notification_id)


@task()
def deliver_notification_task(notification_id):
    attempt = delivery.deliver(notification_id)
    return attempt.outcome if attempt else None
