"""The public partner directory: where and how to complain at each organisation."""

import string
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page

from partners.directory import clean_search_text, find_partners, find_published_partner, published_partners
from partners.models import Topic
from partners.models.fields import optional_foreign_key

# A site search lists at most this many organisations before its pages.
SEARCH_HITS_MAX = 10


@dataclass(frozen=True)
class SearchHit:
    """One result of the site search that is not a Wagtail page of its own."""

    title: str
    url: str
    description: str = ""


def escalation_text_field(verbose_name, default):
    """A text editors may adapt on where citizens turn when complaining at a partner does not work out."""
    return RichTextField(verbose_name, blank=True, features=["bold", "italic", "link"], default=default)


class PartnerIndexPage(RoutablePageMixin, Page):
    """The directory; each published partner has a page at ``<index>/<partner slug>/``."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])
    complaint_page = optional_foreign_key(
        "wagtailcore.Page",
        _("complaint form"),
        help_text=_("Where citizens complain to the municipality when a partner does not listen."),
    )
    not_heard_text = escalation_text_field(
        _("when the organisation does not listen"),
        _(
            "<p>Did you complain to the organisation and did they not help you well? Then complain to us. "
            "The municipality remains responsible for this work.</p>"
        ),
    )
    cooperation_text = escalation_text_field(
        _("when organisations do not work together"),
        _(
            "<p>Are you sent from one organisation to another, or do they not work together well? "
            "Complain to us. We will sort it out with them.</p>"
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("complaint_page"),
        FieldPanel("not_heard_text"),
        FieldPanel("cooperation_text"),
    ]

    max_count_per_parent = 1
    template = "partners/partner_index_page.html"

    class Meta:
        verbose_name = _("partner directory")
        verbose_name_plural = _("partner directories")

    def published_partners(self):

        return published_partners()

    @path("")
    def directory(self, request):

        query = clean_search_text(request.GET.get("q", ""))
        topic_slug = request.GET.get("onderwerp", "")
        topics = list(Topic.objects.filter(partners__published=True).distinct())
        topic = next((t for t in topics if t.slug == topic_slug), None)
        partners = list(find_partners(query=query, topic_slug=topic.slug if topic else ""))
        letters = {}
        for partner in partners:
            letters.setdefault(partner.initial, []).append(partner)
        context = self.get_context(request)
        context.update(
            {
                "query": query,
                "topics": topics,
                "topic": topic,
                "partners": partners,
                "letters": sorted(letters.items()),
                "alphabet": [(letter, letter in letters) for letter in string.ascii_uppercase],
                "filtered": bool(query or topic),
            }
        )
        return TemplateResponse(request, self.template, context)

    @re_path(r"^(?P<slug>[-\w]+)/$", name="partner")
    def partner_view(self, request, slug):

        partner = find_published_partner(slug)
        if partner is None:
            raise Http404
        context = self.get_context(request)
        context["partner"] = partner
        context["breadcrumb_current"] = partner.name  # the host's breadcrumbs end at the partner
        context["complaint_url"] = self.complaint_url_for(partner, request)
        return TemplateResponse(request, "partners/partner_page.html", context)

    def complaint_url_for(self, partner, request=None):
        """The municipality's complaint form with this partner chosen, or None without a live form."""
        if self.complaint_page is None or not self.complaint_page.live:
            return None
        return f"{self.complaint_page.get_url(request)}?{urlencode({'partner': partner.slug})}"

    def partner_url(self, partner, request=None):
        return self.get_url(request) + self.reverse_subpage("partner", kwargs={"slug": partner.slug})

    def get_sitemap_urls(self, request=None):
        """The directory and every published partner's page (sub-pages Wagtail does not know)."""
        directory = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        partners = published_partners().order_by("name").values_list("slug", flat=True)
        return [
            *directory,
            *(
                {"location": base + self.reverse_subpage("partner", kwargs={"slug": slug}), "lastmod": None}
                for slug in partners
            ),
        ]


def partner_search_hits(query, root_page, request=None, limit=SEARCH_HITS_MAX):
    """The partners' own pages that a site search for ``query`` finds, under the site whose root
    is ``root_page``: each as its name, address and short description. None without a live directory."""
    directory = PartnerIndexPage.objects.live().public().descendant_of(root_page, inclusive=True).first()
    if directory is None or not clean_search_text(query):
        return []
    return [
        SearchHit(title=partner.name, url=directory.partner_url(partner, request), description=partner.description)
        for partner in find_partners(query=query).prefetch_related(None)[:limit]
    ]
