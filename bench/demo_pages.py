"""The seeded demo pages the benchmarks' baselines are made beside (``bench_setup_p1``, ``_p2``)."""

from django.core.management.base import CommandError
from wagtail.models import Site


def demo_home():
    """The default site and its home page; a CommandError before ``seed_demo`` has run."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise CommandError("No default site; run seed_demo first.")
    return site, site.root_page


def live_demo_page(model, home, slug, what):
    """The live ``model`` page ``slug`` under ``home``; a CommandError naming ``what`` when missing."""
    page = model.objects.live().child_of(home).filter(slug=slug).first()
    if page is None:
        raise CommandError(f"No live {what} {slug!r} under the home page; run seed_demo.")
    return page
