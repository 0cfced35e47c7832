"""/admin/impact/: the reach and impact page and its CSV downloads, from impact/selectors.py.

Staff only (the admin's login), and only for users who may view discussion returns. The
filters are a GET form (forms.py); the CSV links carry the same query string.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from learning.impact.forms import ImpactFilterForm
from learning.impact.selectors import (
    ImpactReport,
    Reach,
    impact_quotes,
    impact_quotes_csv_rows,
    impact_report,
)
from portal.charts import Row, chart_table, column_chart
from portal.report_filters import report_filter_fields
from portal.spreadsheets import csv_response

VIEW_PERMISSION = "learning.view_discussionreturn"
REACH_HEADER = (
    "discussions",
    "people reached",
    "agencies reached",
    "follow-ups answered",
    "said practice changed",
    "share changed (%)",
)
QUOTES_HEADER = ("discussed on", "review", "agency", "team", "participants", "what we will do")
CSV_TABLES = ("reviews", "themes", "agencies", "months", "quotes")


def _form(request: HttpRequest) -> ImpactFilterForm:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("table", None)
    form = ImpactFilterForm(params or None)
    if form.is_bound:
        form.is_valid()
    return form


def _month_rows(report: ImpactReport) -> list[Row]:
    return [Row(label=f"{month:%b %Y}", values=(count,)) for month, count in report.months]


def impact_view(request: HttpRequest) -> TemplateResponse:
    form = _form(request)
    filters = form.filters()
    report = impact_report(filters=filters)
    months = _month_rows(report)
    total = report.total
    chart = column_chart(
        chart_id="discussions-per-month",
        title="Discussions per month",
        description=(
            f"{total.discussions:,} discussions in {len(months)} months"
            + (f", from {months[0].label} to {months[-1].label}" if months else "")
            + ". The same figures are in the table that follows."
        ),
        points=months,
    )
    quotes = impact_quotes(filters=filters, page=request.GET.get("page"), report=report)
    context = {
        **admin.site.each_context(request),
        "title": "Reach and impact",
        "form": form,
        "query_string": form.query_string(),
        "filter_fields": report_filter_fields(form),
        "report": report,
        "reach_tables": [
            ("review", "By review", "Review", report.by_review),
            ("theme", "By theme", "Theme", report.by_theme),
            ("agency", "By agency", "Agency", report.by_agency),
        ],
        "chart": chart,
        "months_table": chart_table(
            caption="Discussions per month",
            row_heading="Month",
            series=["Discussions"],
            rows=months,
        ),
        "quotes": quotes,
        "csv_links": [
            ("reviews", "By review"),
            ("themes", "By theme"),
            ("agencies", "By agency"),
            ("months", "Discussions per month"),
            ("quotes", "What teams will do differently"),
        ],
    }
    return TemplateResponse(request, "learning/impact/report.html", context)


def _reach_row(line: Reach) -> tuple:
    share = line.changed_share
    return (
        line.label,
        line.discussions,
        line.people,
        line.agencies_reached,
        line.answered,
        line.changed,
        "" if share is None else share,
    )


def impact_csv_view(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    filters = form.filters()
    table = request.GET.get("table", "reviews")
    if table not in CSV_TABLES:
        table = "reviews"
    name = f"impact-{table}-{timezone.localdate().isoformat()}"
    if table == "quotes":
        rows = impact_quotes_csv_rows(filters=filters)
        return csv_response(header=QUOTES_HEADER, rows=rows, filename=name)
    report = impact_report(filters=filters)
    if table == "months":
        rows = [(month.strftime("%Y-%m"), count) for month, count in report.months]
        return csv_response(header=("month", "discussions"), rows=rows, filename=name)
    lines = {"reviews": report.by_review, "themes": report.by_theme}.get(table, report.by_agency)
    rows = [_reach_row(line) for line in [*lines, report.total]]
    return csv_response(header=(table[:-1], *REACH_HEADER), rows=rows, filename=name)
