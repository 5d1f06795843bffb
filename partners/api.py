"""The partner directory in Wagtail's v3 API: ``/api/v3/partners/`` (added in ``PartnersConfig.ready()``).

The same published partners, channels and escalation routes as the public directory pages
(``partners.directory``, ``PartnerIndexPage``). Only public facts: a partner's contract facts
(``PartnerContract``) and annual figures are staff-only and appear in no schema here.
"""

import re
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from partners.directory import LOGO_RENDITION, SEARCH_MAX_LENGTH, find_partners, find_published_partner
from partners.models import Partner, PartnerComplaintChannel, SecondLine
from partners.pages import PartnerIndexPage

router = Router(tags=["partners"])

# Partner.slug and Topic.slug are Django SlugFields: ASCII letters, digits, hyphens, underscores.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
# Literal types rather than the model's TextChoices, whose OpenAPI component would be a bare "Kind".
PartnerKind = Literal[tuple(Partner.Kind.values)]
SecondLineKind = Literal[tuple(SecondLine.values)]
ChannelKind = Literal[tuple(PartnerComplaintChannel.Kind.values)]
# A municipality works with tens of partners; a deeper offset is a mistake or a crawler.
MAX_OFFSET = 10_000


class PartnerPagination(WagtailLimitOffsetPagination):
    """Wagtail's limit/offset (``limit`` up to ``WAGTAILAPI_LIMIT_MAX``), with a bounded offset."""

    class Input(WagtailLimitOffsetPagination.Input):
        offset: int = Field(default=0, ge=0, le=MAX_OFFSET)


class PartnerProblem(ProblemDetail):
    """Wagtail's problem details (RFC 9457): ``detail`` in English, ``detail_nl`` the same in Dutch."""

    detail_nl: str


def problem_media_type(**schemas_by_status):
    """Document the media type Wagtail's error handlers really send (Ninja documents only application/json)."""
    return {
        "responses": {
            int(status.removeprefix("status_")): {
                "content": {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{schema.__name__}"}}}
            }
            for status, schema in schemas_by_status.items()
        }
    }


class PartnerFilters(Schema):
    topic: str | None = Field(None, max_length=50, pattern=SLUG_PATTERN, description="A topic's slug.")
    kind: PartnerKind | None = None
    q: str | None = Field(None, max_length=SEARCH_MAX_LENGTH, description="Text in the name or description.")


class TopicOut(Schema):
    name: str
    slug: str


class PartnerSummaryOut(Schema):
    name: str
    slug: str
    kind: PartnerKind
    kind_label: str
    topics: list[TopicOut]
    description: str
    website: str | None
    logo_url: str | None
    url: str | None = Field(description="The partner's page in the public directory, if the site has one.")

    @staticmethod
    def resolve_kind_label(partner):
        return str(partner.get_kind_display())

    @staticmethod
    def resolve_website(partner):
        return partner.website or None

    @staticmethod
    def resolve_logo_url(partner, context):
        if partner.logo is None:
            return None
        return context["request"].build_absolute_uri(partner.logo.get_rendition(LOGO_RENDITION).url)

    @staticmethod
    def resolve_url(partner, context):
        request = context["request"]
        directory = directory_for(request)
        return request.build_absolute_uri(directory.partner_url(partner, request)) if directory else None


class ComplaintChannelOut(Schema):
    kind: ChannelKind
    kind_label: str
    value: str
    href: str | None = Field(description="A web, mailto: or tel: link for the channel, if it has one.")
    opening_hours: str
    note: str

    @staticmethod
    def resolve_kind_label(channel):
        return str(channel.get_kind_display())

    @staticmethod
    def resolve_href(channel):
        return channel.href or None


class SecondLineOut(Schema):
    kind: SecondLineKind
    kind_label: str
    name: str
    url: str | None


class EscalationRouteOut(Schema):
    kind: Literal["not_heard", "organisations_do_not_cooperate", "second_line"]
    title: str
    text: str = Field(description="HTML.")
    url: str | None = Field(
        description="The municipality's complaint form with this partner chosen, or the second line's website."
    )


class PartnerDetailOut(PartnerSummaryOut):
    channels: list[ComplaintChannelOut]
    procedure: str
    regulation_url: str | None
    second_line: SecondLineOut | None
    escalation_routes: list[EscalationRouteOut]

    @staticmethod
    def resolve_regulation_url(partner):
        return partner.regulation_url or None

    @staticmethod
    def resolve_second_line(partner):
        if not partner.second_line:
            return None
        return {
            "kind": partner.second_line,
            "kind_label": str(partner.get_second_line_display()),
            "name": partner.second_line_label,
            "url": partner.second_line_url or None,
        }

    @staticmethod
    def resolve_escalation_routes(partner, context):
        return escalation_routes(partner, context["request"])


@router.get(
    "/",
    response={200: list[PartnerSummaryOut], 400: ProblemDetail, 422: ProblemDetail},
    url_name="partners_list",
    summary="List published partners",
    operation_id="partners_list",
    openapi_extra=problem_media_type(status_400=ProblemDetail, status_422=ProblemDetail),
)
@paginate(PartnerPagination)
def list_partners(request: HttpRequest, filters: PartnerFilters = Query(...), **kwargs):  # noqa: B008
    return find_partners(query=filters.q or "", topic_slug=filters.topic or "", kind=filters.kind or "")


@router.get(
    "/{slug}/",
    response={200: PartnerDetailOut, 404: PartnerProblem},
    url_name="partners_detail",
    summary="A published partner: where and how to complain there, and where to go next",
    operation_id="partners_detail",
    openapi_extra=problem_media_type(status_404=PartnerProblem),
)
def get_partner(request: HttpRequest, slug: str):
    partner = find_published_partner(slug) if re.fullmatch(SLUG_PATTERN, slug) else None
    if partner is None:
        problem = PartnerProblem(
            type="about:blank",
            title="Not Found",
            status=404,
            detail="There is no published partner with this web address name.",
            detail_nl="Er is geen gepubliceerde organisatie met deze naam in het webadres.",
        )
        return HttpResponse(problem.model_dump_json(exclude_none=True), status=404, content_type=PROBLEM_JSON)
    return partner


def directory_for(request):
    """The request's site's live public partner directory, or None; looked up once per request."""
    if not hasattr(request, "partner_directory"):
        site = Site.find_for_request(request)
        pages = PartnerIndexPage.objects.live().public().select_related("complaint_page")
        request.partner_directory = pages.in_site(site).first() if site else None
    return request.partner_directory


def escalation_routes(partner, request):
    """As on the partner's public page: to the municipality when the partner does not listen or
    organisations do not work together (the citizen always finds a listening ear), then the second line."""
    directory = directory_for(request)
    complaint_url = directory and directory.complaint_url_for(partner, request)
    complaint_url = request.build_absolute_uri(complaint_url) if complaint_url else None
    routes = [
        {
            "kind": "not_heard",
            "title": gettext("The organisation does not listen to you"),
            "text": expand_db_html(directory.not_heard_text) if directory else "",
            "url": complaint_url,
        },
        {
            "kind": "organisations_do_not_cooperate",
            "title": gettext("Organisations do not work together well"),
            "text": expand_db_html(directory.cooperation_text) if directory else "",
            "url": complaint_url,
        },
    ]
    if partner.second_line:
        turn_to = gettext("After the organisation's own procedure you can turn to")
        routes.append(
            {
                "kind": "second_line",
                "title": gettext("Still not satisfied afterwards?"),
                "text": f"<p>{turn_to}: {escape(partner.second_line_label)}.</p>",
                "url": partner.second_line_url or None,
            }
        )
    return routes
