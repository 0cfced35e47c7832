"""PDFs made by WeasyPrint: the one static-files-only fetcher and stylesheet cache that the
printable sheets (learning/pdf.py) and the staff reports share, and the reports' own PDFs
(A4, for a board meeting).

WeasyPrint reads only our own static files and never fetches anything from the network,
since sheets and report rows hold text that staff and the public typed. Reports are
staff-only and change with every action or return, so they are rendered on request and
never stored; the page size, margins, the date and
"Page N of M" come from static/css/report-print.css.
"""

import functools
import logging
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.utils.text import slugify

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)

REPORT_STYLESHEETS = ("css/report.css", "css/report-print.css")
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves our static files and refuses everything else.

    Linked stylesheets come back empty: their parsed versions are passed in directly
    (parsed_stylesheets).
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = urlsplit(url).path
            prefix = urlsplit(settings.STATIC_URL).path
            found = None
            if path.startswith(prefix) and ".." not in path.split("/"):
                try:
                    found = finders.find(path.removeprefix(prefix))
                except SuspiciousFileOperation:
                    found = None
            if not found or urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"PDFs load only the portal's own static files, not {url}")
            suffix = path[path.rfind(".") :]
            body = b""
            if suffix != ".css":
                with open(found, "rb") as file:
                    body = file.read()
            content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher(allowed_protocols={"http", "https", "data"})


@functools.cache
def _parsed(paths: tuple[str, ...], stamps: tuple[int, ...]) -> list:
    import weasyprint

    return [weasyprint.CSS(filename=path, url_fetcher=static_only_fetcher()) for path in paths]


def parsed_stylesheets(names: tuple[str, ...]) -> list:
    """These static stylesheets parsed, once per process; again only when a file changes
    (development). Parsing them took a sixth of each sheet's render."""
    paths = tuple(finders.find(name) for name in names)
    return _parsed(paths, tuple(os.stat(path).st_mtime_ns for path in paths))


def report_stylesheets() -> list:
    return parsed_stylesheets(REPORT_STYLESHEETS)


def report_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of a report page's HTML, tagged so screen readers can follow it."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=static_only_fetcher())
    return document.write_pdf(stylesheets=report_stylesheets(), pdf_tags=True)


def report_pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "report"}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
