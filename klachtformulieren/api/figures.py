"""``jaarcijfers/``: the figures of the public figures page (Awb 9:12a), small counts hidden."""

import re

from django.db.models import F
from django.http import HttpRequest

from klachtformulieren.api.forms import municipality_out, page_url, published
from klachtformulieren.api.problems import FIGURES_NOT_FOUND, YEAR_REFUSED, problem
from klachtformulieren.api.router import router
from klachtformulieren.api.schemas import AnnualFiguresOut, ComplaintProblem
from klachtformulieren.reporting.pages import AnnualFiguresPage
from partners.api import SLUG_PATTERN, problem_media_type


@router.get(
    "/jaarcijfers/",
    response={200: AnnualFiguresOut, 400: ComplaintProblem, 404: ComplaintProblem},
    url_name="complaint_figures",
    summary="The complaint figures of a complete year, as the public figures page shows them",
    operation_id="complaint_figures",
    openapi_extra=problem_media_type(status_400=ComplaintProblem, status_404=ComplaintProblem),
)
def get_annual_figures(request: HttpRequest, jaar: str | None = None, gemeente: str | None = None):
    """``jaar``: a complete year (default: the page's year, or the last complete one). ``gemeente``:
    a municipality's slug; without it, the site's page for all its municipalities together (or else its first).
    """
    pages = published(AnnualFiguresPage, request).select_related("municipality")
    if gemeente:
        if not re.fullmatch(SLUG_PATTERN, gemeente):
            # Not a slug (for example a NUL byte, which PostgreSQL refuses): no such municipality.
            return problem(404, FIGURES_NOT_FOUND)
        pages = pages.filter(municipality__slug=gemeente)
    page = pages.order_by(F("municipality").asc(nulls_first=True), "path").first()
    if page is None:
        return problem(404, FIGURES_NOT_FOUND)
    # The page chooses the year and hides the small counts exactly as it does for a visitor.
    context = page.get_context(request)
    if context["year_rejected"]:
        return problem(400, YEAR_REFUSED, years=context["years"])
    return figures_out(context["figures"], years=context["years"], page=page, request=request)


def figures_out(figures, *, years, page, request):
    return {
        "year": figures.year,
        "years": years,
        "municipality": municipality_out(page.municipality) if page.municipality else None,
        "url": page_url(page, request),
        "threshold": figures.threshold,
        "received": figures.received,
        "five_year_average": figures.five_year_average,
        "received_per_year": counts(figures.received_per_year),
        "informal": part(figures.informal),
        "within_term": part(figures.within_term),
        "postponed": figures.postponed,
        "apologies": figures.apologies,
        "still_open": figures.still_open,
        "outcomes": counts(figures.outcomes),
        "cross_tables": [
            {
                "key": cross.key,
                "title": str(cross.title),
                "row_heading": str(cross.row_heading),
                "column_labels": [str(label) for label in cross.column_labels],
                "rows": [
                    {"label": row.label, "cells": [cell_out(cell) for cell in row.cells], "total": row.total}
                    for row in cross.table.rows
                ],
                "column_totals": cross.table.column_totals,
                "totals_only": cross.table.totals_only,
                "withheld": cross.table.withheld,
                "total": cross.table.total,
            }
            for cross in figures.cross_tables
        ],
        "channels": counts(figures.channels),
        "ombudsman": [{"label": label, "count": count} for label, count in figures.ombudsman],
        "ombudsman_requests": figures.ombudsman_requests,
        "partners": {
            "items": [{"label": label, "cell": cell_out(cell)} for label, cell in figures.partners.items],
            "total": cell_out(figures.partners.total),
        },
    }


def counts(bars):
    return [{"label": bar.label, "count": bar.count} for bar in bars]


def part(share):
    return {"count": share.count, "base": share.base, "percent": share.percent}


def cell_out(cell):
    return {"value": cell.value, "hidden": cell.hidden, "shown": cell.shown}
