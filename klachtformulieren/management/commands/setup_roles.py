"""Create or update the role groups (coordinator, handler, editor, administrator)."""

from django.core.management.base import BaseCommand

from klachtformulieren.cases.roles import ensure_roles


class Command(BaseCommand):
    help = "Create the role groups with their permissions, or add what is missing (idempotent)."

    def handle(self, *args, **options):
        groups = ensure_roles()
        for name, group in groups.items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions")
