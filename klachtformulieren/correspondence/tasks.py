"""Background tasks (django-tasks, the framework Wagtail itself uses)."""

from django_tasks import task

from klachtformulieren.correspondence import outbox as notifications


@task()
def deliver_notification_task(notification_id):
    notifications.deliver(notification_id)
