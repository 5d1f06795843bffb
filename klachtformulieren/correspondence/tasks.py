"""Background tasks (django-tasks, the framework Wagtail itself uses)."""

from django_tasks import task

from klachtformulieren.correspondence import delivery


@task()
def deliver_notification_task(notification_id):
    delivery.deliver(notification_id)
