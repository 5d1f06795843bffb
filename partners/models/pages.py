"""The public partner directory: where and how to complain at each organisation."""

import string

from django.db import models
from django.db.models import Prefetch, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page

SEARCH_MAX_LENGTH = 100


class PartnerIndexPage(RoutablePageMixin, Page):
    """The directory; each published partner has a page at ``<index>/<partner slug>/``."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])
    complaint_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("complaint form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where citizens complain to the municipality when a partner does not listen."),
    )
    not_heard_text = RichTextField(
        _("when the organisation does not listen"),
        blank=True,
        features=["bold", "italic", "link"],
        default=_(
            "<p>Did you complain to the organisation and did they not help you well? Then complain to us. "
            "The municipality remains responsible for this work.</p>"
        ),
    )
    cooperation_text = RichTextField(
        _("when organisations do not work together"),
        blank=True,
        features=["bold", "italic", "link"],
        default=_(
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
        from partners.models import Partner

        return Partner.objects.filter(published=True)

    @path("")
    def directory(self, request):
        from partners.models import Topic

        query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
        topic_slug = request.GET.get("onderwerp", "")
        topics = list(Topic.objects.filter(partners__published=True).distinct())
        topic = next((t for t in topics if t.slug == topic_slug), None)
        partners = self.published_partners().prefetch_related(Prefetch("topics", queryset=Topic.objects.all()))
        if query:
            partners = partners.filter(Q(name__icontains=query) | Q(description__icontains=query))
        if topic:
            partners = partners.filter(topics=topic)
        partners = list(partners.order_by("name"))
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
        from partners.models import PartnerComplaintChannel, Topic

        partner = (
            self.published_partners()
            .select_related("logo")
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.all()),
                Prefetch("channels", queryset=PartnerComplaintChannel.objects.order_by("sort_order")),
            )
            .filter(slug=slug)
            .first()
        )
        if partner is None:
            raise Http404
        context = self.get_context(request)
        context["partner"] = partner
        return TemplateResponse(request, "partners/partner_page.html", context)

    def partner_url(self, partner, request=None):
        return self.get_url(request) + self.reverse_subpage("partner", kwargs={"slug": partner.slug})
