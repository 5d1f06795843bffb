"""Benchmark P1(b)'s baseline: a plain content page with the information page's content.

Creates (or refreshes) a published ``PlainContentPage`` under the home page with the title,
introduction and StreamField body of the demo information page ``zo-gaat-het``. Idempotent.
Prints one JSON line with the URL paths of both pages, for the runner.
"""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from bench.demo_pages import demo_home, live_demo_page
from bench.models import PlainContentPage
from home.models import InformationPage

INFORMATION_SLUG = "zo-gaat-het"
PLAIN_SLUG = "plain-content"


class Command(BaseCommand):
    help = "Create the plain content page that benchmark P1(b) compares the information page with (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        site, home = demo_home()
        information = live_demo_page(InformationPage, home, INFORMATION_SLUG, "information page")
        plain = PlainContentPage.objects.child_of(home).filter(slug=PLAIN_SLUG).first()
        if plain is None:
            plain = PlainContentPage(title=information.title, slug=PLAIN_SLUG, show_in_menus=False)
            home.add_child(instance=plain)
        plain.title = information.title
        plain.intro = information.intro
        plain.body = information.body.get_prep_value()
        plain.save_revision().publish()
        paths = {"information": information.relative_url(site), "plain": plain.relative_url(site)}
        self.stdout.write(json.dumps(paths))
