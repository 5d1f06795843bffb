"""Benchmark "cluster" (bench/cluster.py): what the runner needs from the shared database.

Each action prints one JSON line:

- ``setup --password P --codes C1,C2,...``: a coordinator of the demo municipality and an editor,
  both with that password and a set of backup codes as their second step (no authenticator app
  to read), and the facts the checks depend on: the complaint form's submission limit as the
  app servers apply it, the header that names the client behind the proxy, the cache, the
  session engine and the storages in use, and an information page to publish.
- ``draft --page ID --title T``: a new draft revision of the page with that title (not published).
- ``attachment --name N``: the attachment of the case filed under that name: its id, size, sha256.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice

from home.models import InformationPage
from klachtformulieren import conf
from klachtformulieren.cases.roles import COORDINATOR, EDITOR, ensure_roles, group_of
from klachtformulieren.intake.spam import _split_rate
from klachtformulieren.models import ComplaintAttachment, Municipality

USERS = {COORDINATOR: "cluster-coordinator", EDITOR: "cluster-editor"}


def class_name(instance):
    return f"{type(instance).__module__}.{type(instance).__name__}"


class Command(BaseCommand):
    help = "Set up and look up what the cluster benchmark checks (JSON lines)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["setup", "draft", "attachment"])
        parser.add_argument("--password", default="")
        parser.add_argument("--codes", default="")
        parser.add_argument("--page", type=int)
        parser.add_argument("--title", default="")
        parser.add_argument("--name", default="")

    def handle(self, *args, action, **options):
        result = getattr(self, action)(**options)
        self.stdout.write(json.dumps(result))

    @transaction.atomic
    def setup(self, password, codes, **options):
        if not password or not codes:
            raise CommandError("setup needs --password and --codes.")
        ensure_roles()
        municipality = Municipality.objects.order_by("pk").first()
        users = {}
        for role, username in USERS.items():
            user, _created = get_user_model().objects.update_or_create(
                username=username, defaults={"is_staff": True, "email": f"{username}@example.org"}
            )
            user.set_password(password)
            user.save()
            user.groups.set([group_of(role)])
            if role == COORDINATOR:
                municipality.staff.add(user)
            StaticDevice.objects.filter(user=user).delete()
            device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
            for code in codes.split(","):
                device.token_set.create(token=code)
            users[role] = username
        limit, period = _split_rate(conf.setting("SUBMIT_RATE"))
        page = InformationPage.objects.live().order_by("path").first()
        return {
            "users": users,
            "submit_limit": limit,
            "submit_period": period,
            "client_ip_header": conf.setting("CLIENT_IP_HEADER"),
            "cache": class_name(caches["default"]),
            "sessions": settings.SESSION_ENGINE,
            "media_storage": class_name(storages["default"]),
            "attachment_storage": class_name(ComplaintAttachment._meta.get_field("file").storage),
            "page": {"id": page.pk, "path": "/" + page.url_path.removeprefix(page.get_site().root_page.url_path)},
        }

    def draft(self, page, title, **options):
        specific = InformationPage.objects.get(pk=page)
        specific.title = title
        revision = specific.save_revision()
        return {"revision": revision.pk}

    def attachment(self, name, **options):
        attachment = ComplaintAttachment.objects.get(complaint__name=name)
        with attachment.file.open("rb") as stored:
            content = stored.read()
        return {"id": attachment.pk, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
