"""/admin/assurance/: the page, its CSV downloads and its PDF, all from one selector call.

Staff only (the admin's login), and only for users who may view actions. Filters come from
a GET form (forms.py); downloads carry the same query string, so the CSV and PDF show what
the page showed.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from portal.charts import BRAG_SERIES, chart_table, stacked_bar_chart, swatch
from portal.pdf import report_pdf, report_pdf_response
from portal.report_filters import report_filter_fields
from portal.spreadsheets import csv_response
from reviews.assurance.forms import AssuranceFilterForm
from reviews.assurance.selectors import (
    ACTIONS_CSV_HEADER,
    PDF_LIST_CAP,
    AssuranceReport,
    assurance_csv_rows,
    assurance_report,
)

VIEW_PERMISSION = "reviews.view_action"
CSV_TABLES = ("agencies", "reviews", "actions")


def _form(request: HttpRequest) -> AssuranceFilterForm:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    form = AssuranceFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    return form


def _action_url_pattern() -> str | None:
    """The admin address of an action, with 0 for its id, if the admin has one."""
    try:
        return reverse("admin:reviews_action_change", args=[0])
    except NoReverseMatch:
        return None


def _with_urls(listed: list) -> list[tuple]:
    pattern = _action_url_pattern()
    return [(one, pattern.replace("/0/", f"/{one.pk}/") if pattern else None) for one in listed]


def _context(report: AssuranceReport, form: AssuranceFilterForm) -> dict:
    agencies_table = chart_table(
        caption="Actions by owning agency and BRAG state",
        row_heading="Agency",
        series=BRAG_SERIES,
        rows=report.by_agency,
    )
    reviews_table = chart_table(
        caption="Actions by review and BRAG state",
        row_heading="Review",
        series=BRAG_SERIES,
        rows=report.by_review,
    )
    chart = stacked_bar_chart(
        chart_id="brag-by-agency",
        title="Actions by owning agency, split by BRAG state",
        description=(
            f"{report.total:,} actions of {len(report.by_agency):,} agencies: "
            + ", ".join(
                f"{one.label.split(':')[0]} {report.totals.get(one.key, 0):,}"
                for one in BRAG_SERIES
            )
            + ". The same figures are in the table that follows."
        ),
        series=BRAG_SERIES,
        rows=report.by_agency,
    )
    return {
        "report": report,
        "form": form,
        "query_string": form.query_string(),
        "chart": chart,
        "agencies_table": agencies_table,
        "reviews_table": reviews_table,
        "overdue_rows": _with_urls(report.overdue),
        "due_soon_rows": _with_urls(report.due_soon),
        "brag_totals": [(one, report.totals.get(one.key, 0), swatch(one)) for one in BRAG_SERIES],
    }


def assurance_view(request: HttpRequest) -> TemplateResponse:
    form = _form(request)
    report = assurance_report(filters=form.filters(), today=timezone.localdate())
    context = {
        **admin.site.each_context(request),
        "title": "Assurance report: action plans",
        "filter_fields": report_filter_fields(form),
        **_context(report, form),
    }
    return TemplateResponse(request, "reviews/assurance/report.html", context)


def assurance_csv_view(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    table = request.GET.get("table", "actions")
    if table not in CSV_TABLES:
        table = "actions"
    filters, today = form.filters(), timezone.localdate()
    name = f"assurance-{table}-{today.isoformat()}"
    if table == "actions":
        rows = assurance_csv_rows(filters=filters, today=today)
        return csv_response(header=ACTIONS_CSV_HEADER, rows=rows, filename=name)
    report = assurance_report(filters=filters, today=today, cap=0)
    header = ("agency" if table == "agencies" else "review", *(s.key for s in BRAG_SERIES))
    source = report.by_agency if table == "agencies" else report.by_review
    rows = [(row.label, *row.values, row.total) for row in source]
    return csv_response(header=(*header, "total"), rows=rows, filename=name)


def assurance_pdf_view(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    today = timezone.localdate()
    report = assurance_report(filters=form.filters(), today=today, cap=PDF_LIST_CAP)
    context = {
        "title": "Assurance report: action plans",
        "described": report.filters.described(),
        **_context(report, form),
    }
    html = render_to_string("reviews/assurance/report_pdf.html", context, request=request)
    pdf = report_pdf(html, base_url=request.build_absolute_uri("/"))
    return report_pdf_response(pdf, filename=f"assurance-report-{today.isoformat()}")
