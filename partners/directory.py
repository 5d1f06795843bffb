"""Finding published partners, shared by the public directory pages and the API.

Only ``published`` partners are ever public; their contract facts (``PartnerContract``) and
annual figures are never loaded here.
"""

import re

from django.db.models import Prefetch, Q
from wagtail.images import get_image_model

from partners.models import Partner, PartnerComplaintChannel, Topic

SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 8
WORD = re.compile(r"\w+")
LOGO_RENDITION = "max-200x80"


def clean_search_text(text):
    """What a citizen typed, trimmed to a sane length; NUL characters, which PostgreSQL refuses, dropped."""
    return (text or "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]


def published_partners():
    return Partner.objects.filter(published=True)


def find_partners(*, query="", topic_slug="", kind=""):
    """Published partners by name, A to Z, with their topics and logo loaded in a fixed number of queries."""
    partners = published_partners().prefetch_related(
        Prefetch("topics", queryset=Topic.objects.all()),
        Prefetch("logo", queryset=get_image_model().objects.prefetch_renditions(LOGO_RENDITION)),
    )
    for word in WORD.findall(clean_search_text(query))[:SEARCH_MAX_WORDS]:
        # Every word somewhere: "jeugdhulp" finds the partners doing that public task.
        partners = partners.filter(
            Q(name__icontains=word) | Q(description__icontains=word) | Q(topics__name__icontains=word)
        )
    if topic_slug:
        partners = partners.filter(topics__slug=topic_slug)
    if kind:
        partners = partners.filter(kind=kind)
    return partners.distinct().order_by("name", "pk")


def find_published_partner(slug):
    """One published partner with its topics, logo and complaint channels in order, or None."""
    return (
        find_partners()
        .prefetch_related(Prefetch("channels", queryset=PartnerComplaintChannel.objects.order_by("sort_order")))
        .filter(slug=slug)
        .first()
    )
