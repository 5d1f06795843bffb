"""Accessible charts as inline SVG: no JavaScript, no chart library.

A chart is an image with a name and a description (``role="img"``, ``<title>``, ``<desc>``);
its description lists every bar's label and value, and the page shows the data table next to
it as the full alternative. Labels and values are drawn as text, so nothing is told by
colour alone; the colours have at least 7:1 contrast on the chart's white background. The
``viewBox`` lets a chart scale with its container and print sharp.

Charts are drawn from the report's tables (``exports.report_tables``), so a chart's
labels and numbers are those of the table it stands next to.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _

WIDTH = 640
ROW_HEIGHT = 26
BAR_HEIGHT = 18
FONT_SIZE = 13
CHAR_WIDTH = 8  # a generous average character at FONT_SIZE, to size the label column
LABEL_GAP = 16
LABEL_MIN, LABEL_MAX = 48, 240
VALUE_ROOM = 64  # space right of the longest bar for its value

BACKGROUND = "#ffffff"
BAR_COLOUR = "#1d4f91"  # 8.4:1 on white
TEXT_COLOUR = "#1f2328"  # 15.8:1 on white


@dataclass
class Chart:
    id: str
    title: str
    svg: str  # SafeString


def _number(value):
    return number_format(value, use_l10n=True)


def bar_chart(bars, *, chart_id, title, description=""):
    """Horizontal bars, one per ``(label, value)``, each with its label and value written out."""
    bars = [(str(label), value or 0) for label, value in bars]
    longest = max((len(label) for label, _value in bars), default=0)
    label_width = int(min(max(longest * CHAR_WIDTH + LABEL_GAP, LABEL_MIN), LABEL_MAX))
    max_chars = int((label_width - LABEL_GAP) / CHAR_WIDTH)
    bar_room = WIDTH - label_width - VALUE_ROOM
    largest = max((value for _label, value in bars), default=0)
    height = len(bars) * ROW_HEIGHT + 8

    rows = []
    for index, (label, value) in enumerate(bars):
        top = 4 + index * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        length = round(bar_room * value / largest, 1) if largest else 0
        rows.append(
            (
                label_width - 8,
                middle,
                Truncator(label).chars(max_chars),
                label_width,
                top + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                length,
                BAR_HEIGHT,
                label_width + length + 6,
                middle,
                _number(value),
            )
        )
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="' + BAR_COLOUR + '"></rect>'
        '<text x="{}" y="{}" dominant-baseline="middle">{}</text>',
        rows,
    )
    values = "; ".join(f"{label}: {_number(value)}" for label, value in bars)
    full_description = " ".join(part for part in (description, values) if part)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="kp-chart" role="img" viewBox="0 0 {width} {height}"'
        ' aria-labelledby="{id}-title" aria-describedby="{id}-desc"'
        ' font-size="{font_size}" fill="{text}" font-family="inherit">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        '<rect width="{width}" height="{height}" fill="{background}"></rect>{body}</svg>',
        width=WIDTH,
        height=height,
        id=chart_id,
        font_size=FONT_SIZE,
        text=TEXT_COLOUR,
        title=title,
        description=full_description,
        background=BACKGROUND,
        body=body,
    )


def _chart(key, title, bars):
    chart_id = f"kp-chart-{key}"
    description = _("Bar chart; the table below gives the same figures.")
    return Chart(chart_id, title, bar_chart(bars, chart_id=chart_id, title=title, description=description))


def report_charts(tables):
    """The annual report's charts, by the key of the table that is their alternative."""
    by_key = {table.key: table for table in tables}
    charts = {}
    per_year = by_key["received_per_year"]
    charts["received_per_year"] = [_chart("received-per-year", per_year.title, [row[:2] for row in per_year.body])]
    kinds = by_key["kind_outcome"]
    if kinds.body:
        charts["kind_outcome"] = [
            _chart("outcomes", _("Outcomes of the year"), zip(kinds.header[1:-1], kinds.totals[1:-1], strict=True)),
            _chart("kinds", _("Received by kind of complaint"), [(row[0], row[-1]) for row in kinds.body]),
        ]
    for key, title in (
        ("unit_outcome", _("Received by organisation unit")),
        ("channel_outcome", _("Received by channel")),
    ):
        table = by_key[key]
        if table.body:
            charts[key] = [_chart(key.replace("_", "-"), title, [(row[0], row[-1]) for row in table.body])]
    return charts
