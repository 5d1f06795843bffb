"""The annual report (Awb 9:12a) in the admin, under Reports, with its CSV and XLSX exports.

Coordinators see the report of the municipalities they work for; administrators that of
every municipality and of all together. The figures come from ``reporting.annual.annual_report``,
the tables from ``reporting.exports.report_tables`` (the same tables as the command line's
exports) and the charts from ``charts``; this module reads the choices and picks the output.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from klachtformulieren.admin import audit
from klachtformulieren.cases import access
from klachtformulieren.models import Complaint
from klachtformulieren.reporting import charts
from klachtformulieren.reporting.annual import annual_report
from klachtformulieren.reporting.exports import as_csv, as_xlsx, report_tables
from partners.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

ALL_MUNICIPALITIES = ""
EARLIER_YEARS = 4  # the report compares a year with the four before it
EXPORTS = {"csv": (as_csv, CSV_CONTENT_TYPE), "xlsx": (as_xlsx, XLSX_CONTENT_TYPE)}


def report_years():
    """The years one may choose, newest first: this year back to the first case, at least five."""
    this_year = timezone.localdate().year
    first_case = Complaint.objects.aggregate(first=Min("year"))["first"]
    first = min(first_case or this_year, this_year - EARLIER_YEARS)
    return list(range(this_year, first - 1, -1))


@dataclass(frozen=True)
class Selection:
    year: int
    municipality: object  # a Municipality, or None for all municipalities
    unit_depth: str

    def query(self):
        """The selection as the page's GET parameters."""
        return {
            "jaar": self.year,
            "gemeente": self.municipality.slug if self.municipality else ALL_MUNICIPALITIES,
            "diepte": self.unit_depth,
        }

    def filename(self, extension, table_key=None):
        """For example ``klachtenrapportage-2025-lindenhaven.xlsx``."""
        place = self.municipality.slug if self.municipality else "alle-gemeenten"
        parts = ["klachtenrapportage", str(self.year), place]
        if table_key:
            parts.append(table_key.replace("_", "-"))
        return f"{'-'.join(parts)}.{extension}"


class AnnualReportForm(forms.Form):
    """The selectors; a missing choice takes its default, an invalid one its default and a message."""

    jaar = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    gemeente = forms.ChoiceField(label=gettext_lazy("Municipality"))
    diepte = forms.ChoiceField(
        label=gettext_lazy("Organisation units by"),
        choices=[("theme", gettext_lazy("Theme")), ("domain", gettext_lazy("Domain")), ("team", gettext_lazy("Team"))],
    )

    def __init__(self, query, *, years, municipalities, may_choose_all):
        self.years = years
        self.municipalities = {municipality.slug: municipality for municipality in municipalities}
        # The last complete year: the report is published early in the new year.
        self.defaults = {
            "jaar": str(years[0] - 1),
            "gemeente": ALL_MUNICIPALITIES if may_choose_all else next(iter(self.municipalities)),
            "diepte": "domain",
        }
        given = {name: query[name] for name in self.base_fields if name in query}
        super().__init__({**self.defaults, **given})
        self.fields["jaar"].choices = [(str(year), str(year)) for year in years]
        municipality_choices = [(slug, municipality.name) for slug, municipality in self.municipalities.items()]
        if may_choose_all:
            municipality_choices.insert(0, (ALL_MUNICIPALITIES, _("All municipalities")))
            self.fields["gemeente"].required = False
        self.fields["gemeente"].choices = municipality_choices

    def selection(self):
        """The selection to show, and a message for every choice that was replaced by its default."""
        self.is_valid()
        values, problems = {}, []
        for name, field in self.fields.items():
            if name in self.cleaned_data:
                values[name] = self.cleaned_data[name]
                continue
            values[name] = field.clean(self.defaults[name])
            problems.append(self._problem(name, self.data[name], dict(field.choices)[self.defaults[name]]))
        municipality = self.municipalities.get(values["gemeente"])
        return Selection(int(values["jaar"]), municipality, values["diepte"]), problems

    def _problem(self, name, value, shown):
        if name == "jaar":
            text = _("There is no report of the year “%(value)s”: choose a year from %(first)s to %(last)s.")
        elif name == "gemeente":
            text = _("You cannot view the report of “%(value)s”.")
        else:
            text = _("“%(value)s” is not a level of the organisation.")
        shown_instead = _("The report shows %(shown)s.") % {"shown": shown}
        return f"{text % {'value': value, 'first': self.years[-1], 'last': self.years[0]}} {shown_instead}"


def annual_report_view(request):
    user = request.user
    if not access.is_coordinator(user):
        raise PermissionDenied
    may_choose_all = access.is_administrator(user)
    # The same rule as for registering: administrators every municipality, coordinators their own.
    municipalities = list(access.municipalities_for_registration(user).order_by("name"))
    if not municipalities and not may_choose_all:
        raise PermissionDenied  # a coordinator who works for no municipality has no report to see
    years = report_years()
    form = AnnualReportForm(request.GET, years=years, municipalities=municipalities, may_choose_all=may_choose_all)
    selection, problems = form.selection()
    export = request.GET.get("export")

    if problems and export:
        # Never a file of another year or municipality than asked for: back to the page, which says why.
        query = request.GET.copy()
        for name in ("export", "tabel"):
            query.pop(name, None)
        return redirect(f"{request.path}?{query.urlencode()}")
    for problem in problems:
        messages.warning(request, problem)

    report = annual_report(selection.year, selection.municipality, unit_depth=selection.unit_depth)
    tables = report_tables(report)
    # Logged against the municipality, or against the user for the report of all municipalities.
    subject = selection.municipality or user
    if export in EXPORTS:
        audit.record(request, subject, audit.EXPORT_REPORT, **selection.query(), format=export)
        return _export(report, tables, selection, export, request.GET.get("tabel"))
    audit.record(request, subject, audit.VIEW_REPORT, **selection.query())

    report_charts = charts.report_charts(tables)
    return TemplateResponse(
        request,
        "klachtformulieren/admin/annual_report.html",
        {
            "form": AnnualReportForm(
                selection.query(), years=years, municipalities=municipalities, may_choose_all=may_choose_all
            ),
            "selection": selection,
            "report": report,
            "sections": [(table, report_charts.get(table.key, [])) for table in tables],
            "query": urlencode(selection.query()),
        },
    )


def _export(report, tables, selection, extension, table_key):
    if table_key:
        tables = [table for table in tables if table.key == table_key]
        if not tables:
            raise Http404
    render, content_type = EXPORTS[extension]
    response = HttpResponse(render(report, tables), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=selection.filename(extension, table_key)
    )
    return response


class AnnualReportMenuItem(MenuItem):
    """Under Reports, for coordinators and administrators only."""

    def is_shown(self, request):
        return access.is_coordinator(request.user)
