"""Benchmark P2's baseline: a published plain form page with the complaint form's core fields.

Idempotent. Prints one JSON line with the URL paths of both form pages, for the runner.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bench.demo_pages import demo_home, live_demo_page
from bench.models import PlainFormField, PlainFormPage
from klachtformulieren.intake.pages import ComplaintFormPage

PLAIN_SLUG = "plain-form"
COMPLAINT_SLUG = "klacht-indienen"

# The same four core fields as the complaint form (klachtformulieren/forms.py), with the same
# names and the same requiredness: name, email (optional), description, date of the conduct.
FIELDS = [
    {"label": "name", "field_type": "singleline", "required": True},
    {"label": "email", "field_type": "email", "required": False},
    {"label": "description", "field_type": "multiline", "required": True},
    {"label": "conduct_date", "field_type": "date", "required": True},
]


class Command(BaseCommand):
    help = "Create the plain wagtail.contrib.forms page that benchmark P2 compares with (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        site, home = demo_home()
        complaint_page = live_demo_page(ComplaintFormPage, home, COMPLAINT_SLUG, "complaint form page")
        plain_page = PlainFormPage.objects.child_of(home).filter(slug=PLAIN_SLUG).first()
        if plain_page is None:
            plain_page = PlainFormPage(title="Plain form", slug=PLAIN_SLUG)
            plain_page.form_fields = [PlainFormField(clean_name=field["label"], **field) for field in FIELDS]
            home.add_child(instance=plain_page)
            plain_page.save_revision().publish()
        names = [field.clean_name for field in plain_page.get_form_fields()]
        expected = [field["label"] for field in FIELDS]
        if names != expected:
            raise CommandError(f"The plain form page has fields {names}, expected {expected}.")
        paths = {"ours": complaint_page.relative_url(site), "plain": plain_page.relative_url(site)}
        self.stdout.write(json.dumps(paths))
