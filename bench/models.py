"""A plain Wagtail form page: the baseline for benchmark P2 (bench/p2_submissions.py).

Only installed by bench.settings. It is ``wagtail.contrib.forms`` as it comes: submissions
are stored as ``FormSubmission`` rows, no mails, no spam checks, no case registration.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField


class PlainFormField(AbstractFormField):
    page = ParentalKey("bench.PlainFormPage", on_delete=models.CASCADE, related_name="form_fields")


class PlainFormPage(AbstractForm):
    template = "bench/plain_form_page.html"
    landing_page_template = "bench/plain_form_page_landing.html"
