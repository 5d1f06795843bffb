"""The annual report as tables with headers and totals: for the admin page, CSV, XLSX and JSON.

One list of tables serves every output, so the screen and the exports always agree.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from klachtformulieren.models import Channel, NotHandledReason, OmbudsmanRequest
from klachtformulieren.reporting import satisfaction
from klachtformulieren.reporting.annual import NOT_CLASSIFIED, OUTCOME_LABELS
from partners.spreadsheets import csv_bytes, xlsx_bytes


@dataclass
class Table:
    key: str
    title: str
    header: list
    body: list  # rows of cells; the first cell is the row's label
    totals: list | None = None  # the totals row, label first

    def rows(self):
        return [self.header, *self.body, *([self.totals] if self.totals else [])]


def _label(value, labels=None):
    if value == NOT_CLASSIFIED:
        return _("Not classified")
    return str((labels or {}).get(value, value))


def cross_table(key, title, row_heading, table, *, row_labels=None, column_labels=None):
    body, totals = table.matrix()
    return Table(
        key=key,
        title=title,
        header=[row_heading, *(_label(column, column_labels) for column in table.columns), _("Total")],
        body=[[_label(row[0], row_labels), *row[1:]] for row in body],
        totals=[_("Total"), *totals],
    )


def report_tables(report):
    """Every table of the report, in the order of the printed report."""
    unit_heading = {"theme": _("Theme"), "domain": _("Domain"), "team": _("Team")}[report.unit_depth]
    channel_labels = dict(Channel.choices)
    summary = Table(
        key="summary",
        title=_("Summary"),
        header=[_("Figure"), _("Value")],
        body=[
            [_("Received in the year"), report.received],
            [_("Carried over from the year before"), report.carried_over],
            [_("Open at the end of the year"), report.open_at_year_end],
            [_("Five-year average received"), report.five_year_average],
            [_("Resolved informally"), report.informal.count],
            [_("Share resolved informally (%)"), round(report.informal.share * 100, 1)],
            [_("Decided within the legal term"), report.within_term.count],
            [_("Share decided within the legal term (%)"), round(report.within_term.share * 100, 1)],
            [_("Postponed"), report.postponed],
            [_("First contact within 5 working days (%)"), round(report.first_contact_in_time.share * 100, 1)],
            [_("Apologies offered"), report.apologies],
            [
                _("Average handling time (days)"),
                report.handling_days_mean if report.handling_days_mean is not None else "",
            ],
            [
                _("Median handling time (days)"),
                report.handling_days_median if report.handling_days_median is not None else "",
            ],
        ],
    )
    per_year = Table(
        key="received_per_year",
        title=_("Received per year"),
        header=[_("Year"), _("Received")],
        body=[[str(year), count] for year, count in report.received_per_year.items()],
        totals=[_("Average"), report.five_year_average],
    )
    not_handled = Table(
        key="not_handled",
        title=_("Not taken into handling, by ground (Awb 9:8)"),
        header=[_("Ground"), _("Number")],
        body=[[str(NotHandledReason(code).label), count] for code, count in report.not_handled_by_reason.items()],
        totals=[_("Total"), sum(report.not_handled_by_reason.values())],
    )
    result_labels = dict(OmbudsmanRequest.Result.choices)
    ombudsman = Table(
        key="ombudsman",
        title=_("Requests from the ombudsman"),
        header=[_("Result at the end of the year"), _("Number")],
        body=[[str(result_labels[code]), count] for code, count in report.ombudsman.items()],
        totals=[_("Total"), report.ombudsman_requests],
    )
    partner_fields = [
        ("received", _("Received")),
        ("resolved_informally", _("Resolved informally")),
        ("well_founded", _("Well founded")),
        ("partly_well_founded", _("Partly well founded")),
        ("unfounded", _("Unfounded")),
        ("not_handled", _("Not taken into handling")),
        ("withdrawn", _("Withdrawn")),
        ("open_at_year_end", _("Open")),
    ]
    partner_figures = Table(
        key="partner_figures",
        title=_("Partners' own complaint figures"),
        header=[_("Partner"), *(label for _name, label in partner_fields)],
        body=[
            [figures["partner"], *(figures[name] for name, _label in partner_fields)]
            for figures in report.partner_figures
        ],
    )
    lessons = Table(
        key="lessons",
        title=_("Lessons learned and improvements"),
        header=[_("Reference"), _("Kind"), _("Lessons learned"), _("Improvements")],
        body=[
            [item["reference"], item["kind"], item["lessons_learned"], item["improvements"]] for item in report.lessons
        ],
    )
    return [
        summary,
        per_year,
        cross_table(
            "kind_outcome",
            _("Kind of complaint by outcome"),
            _("Kind"),
            report.kind_outcome,
            column_labels=OUTCOME_LABELS,
        ),
        cross_table("kind_unit", _("Kind of complaint by organisation unit"), _("Kind"), report.kind_unit),
        cross_table(
            "unit_outcome",
            _("Organisation unit by outcome"),
            unit_heading,
            report.unit_outcome,
            column_labels=OUTCOME_LABELS,
        ),
        cross_table(
            "channel_outcome",
            _("Channel by outcome"),
            _("Channel"),
            report.channel_outcome,
            row_labels=channel_labels,
            column_labels=OUTCOME_LABELS,
        ),
        not_handled,
        ombudsman,
        cross_table(
            "partner_outcome",
            _("Complaints about partners by outcome"),
            _("Partner"),
            report.partner_outcome,
            column_labels=OUTCOME_LABELS,
        ),
        partner_figures,
        lessons,
        satisfaction_table(report),
    ]


def satisfaction_table(report):
    """The complainants' own say (the survey): satisfied, answered and the share, per kind."""
    said = satisfaction.satisfaction(report.year, report.municipality)

    def row(label, share):
        return [label, share.count, share.base, round(share.share * 100, 1)]

    return Table(
        key="satisfaction",
        title=_("Satisfied with how we handled the complaint"),
        header=[_("Kind of complaint"), _("Satisfied"), _("Answered"), _("Share satisfied (%)")],
        body=[row(_label(kind), share) for kind, share in said.by_kind.items()],
        totals=row(_("Total"), said.overall) if said.overall.base else None,
    )


def as_json(report):
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str)


def as_csv(report, tables=None):
    return csv_bytes([(table.title, table.rows()) for table in (tables or report_tables(report))])


def as_xlsx(report, tables=None):
    return xlsx_bytes([(table.title, table.rows()) for table in (tables or report_tables(report))])
