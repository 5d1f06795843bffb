"""Benchmark R1's look at the database afterwards: the cases, their mails and their files.

Prints one JSON line about the cases R1 filed (their names start with "R1 "): their names, the
mails per state, the Message-IDs of the mails sent, the cases that are half-written (not exactly
their acknowledgement and coordinators' notice, or an attachment row without its file), the
attachment files no row names (orphans), and how many spooled upload files the temporary
directory holds.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from klachtformulieren import conf
from klachtformulieren.models import Complaint, ComplaintAttachment, Notification
from klachtformulieren.worker import jobs


class Command(BaseCommand):
    help = "Report cases, mails and files as JSON (for benchmark R1)."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="R1 ", help="Only the cases whose name starts with this.")

    def handle(self, *args, prefix, **options):
        cases = Complaint.objects.filter(name__startswith=prefix)
        mails = Notification.objects.filter(complaint__in=cases)
        root = Path(conf.setting("PRIVATE_MEDIA_ROOT"))
        temp = Path(settings.FILE_UPLOAD_TEMP_DIR)
        # Every private file a row names (any case's: orphans are any), in the folders the sweep keeps.
        named = set()
        for _top, model, field in jobs.PRIVATE_FILE_FOLDERS:
            named.update(model.objects.exclude(**{field: ""}).values_list(field, flat=True))
        attachments = set(ComplaintAttachment.objects.values_list("file", flat=True))
        on_disk = {
            str(path.relative_to(root)) for path in root.rglob("*") if path.is_file() and temp not in path.parents
        }
        wrong_mails = (
            cases.annotate(
                acknowledgements=Count("notifications", filter=Q(notifications__kind="acknowledgement")),
                notices=Count("notifications", filter=Q(notifications__kind="coordinator_notice")),
            )
            .exclude(acknowledgements=1, notices=1)
            .count()
        )
        report = {
            "cases": list(cases.values_list("name", flat=True)),
            "references_unique": Complaint.objects.values("reference").distinct().count() == Complaint.objects.count(),
            "mails": dict(mails.values_list("state").annotate(Count("pk")).order_by()),
            "sent_message_ids": list(mails.filter(state=Notification.State.SENT).values_list("message_id", flat=True)),
            "half_written": wrong_mails + len(attachments - on_disk),
            "orphan_files": len(on_disk - named),
            "temp_files": sum(1 for path in temp.iterdir() if path.is_file()) if temp.is_dir() else 0,
        }
        self.stdout.write(json.dumps(report))
