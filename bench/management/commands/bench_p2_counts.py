"""Benchmark P2's check afterwards: how many cases and plain form submissions the database holds.

Prints one JSON line: {"complaints": ..., "plain_submissions": ...}.
"""

import json

from django.core.management.base import BaseCommand
from wagtail.contrib.forms.models import FormSubmission

from bench.models import PlainFormPage
from klachtformulieren.models import Complaint


class Command(BaseCommand):
    help = "Count complaints and plain form submissions (for benchmark P2)."

    def handle(self, *args, **options):
        counts = {
            "complaints": Complaint.objects.count(),
            "plain_submissions": FormSubmission.objects.filter(page__in=PlainFormPage.objects.all()).count(),
        }
        self.stdout.write(json.dumps(counts))
