"""Benchmark P1(b)'s baseline: a plain content page with the information page's content.

Creates (or refreshes) a published ``PlainContentPage`` under the home page with the title,
introduction and StreamField body of the demo information page ``zo-gaat-het``. Idempotent.
Prints one JSON line with the URL paths of both pages, for the runner.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Site

from bench.models import PlainContentPage
from home.models import InformationPage

INFORMATION_SLUG = "zo-gaat-het"
PLAIN_SLUG = "plain-content"


class Command(BaseCommand):
    help = "Create the plain content page that benchmark P1(b) compares the information page with (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError("No default site; run seed_demo first.")
        home = site.root_page
        information = InformationPage.objects.live().child_of(home).filter(slug=INFORMATION_SLUG).first()
        if information is None:
            raise CommandError(f"No live information page {INFORMATION_SLUG!r} under the home page; run seed_demo.")
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
