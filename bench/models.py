"""Plain Wagtail pages that the page benchmarks compare with. Only installed by bench.settings.

- ``PlainFormPage``: the baseline for benchmark P2 (bench/p2_submissions.py). It is
  ``wagtail.contrib.forms`` as it comes: submissions are stored as ``FormSubmission`` rows, no
  mails, no spam checks, no case registration.
- ``PlainContentPage``: the baseline for benchmark P1(b) (bench/p1_pages.py).
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.fields import StreamField
from wagtail.models import Page

from home.blocks import BODY_BLOCKS


class PlainFormField(AbstractFormField):
    page = ParentalKey("bench.PlainFormPage", on_delete=models.CASCADE, related_name="form_fields")


class PlainFormPage(AbstractForm):
    template = "bench/plain_form_page.html"
    landing_page_template = "bench/plain_form_page_landing.html"


class PlainContentPage(Page):
    """Benchmark P1(b)'s baseline: the information page's content on a bare template.

    The same fields and StreamField blocks as ``home.InformationPage``, rendered with the same block
    templates, but without the portal's layout: no menu, breadcrumbs, site settings or footer. P1(b)
    compares the information page with this one, so what the layout costs shows on its own.
    """

    intro = models.TextField(blank=True)
    body = StreamField(BODY_BLOCKS, blank=True)

    template = "bench/plain_content_page.html"
