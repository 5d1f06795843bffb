"""Create or update the role groups (coordinator, handler, editor, administrator)."""

from django.core.management.base import BaseCommand

from klachtformulieren.cases.roles import ensure_roles


class Command(BaseCommand):
    help = (
        "Create the role groups with their permissions, or add what is missing (idempotent). "
        "Their names come from KLACHTFORMULIEREN_ROLE_NAMES."
    )

    def handle(self, *args, **options):
        groups = ensure_roles()
        for role, group in groups.items():
            self.stdout.write(f"{role}: {group.name} ({group.permissions.count()} permissions)")
