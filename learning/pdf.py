"""PDF versions of the printable sheets, made by WeasyPrint from the very same HTML page.

The HTML page is the accessible one; the PDF is that page as the browser would print it
(the same templates, site.css, print.css and sheet.css, print media). WeasyPrint reads
stylesheets only from our own static files and never fetches anything from the network:
a review's Markdown can hold links and images, and a PDF render must not become a way to
make the server request other addresses.

A rendered PDF is cached under a key built from what the public sees (see `cache_key`),
so a review's sheet is rendered once per published version, not once per download.
"""

import functools
import hashlib
import logging
import os
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

# WeasyPrint logs each layout step at INFO and every browser-only rule of site.css (SVG
# strokes, screen-width media queries) as a warning, on every render: noise, not news.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)

# Part of every cache key: raise it when templates or print CSS change the output, so a
# deploy never serves PDFs laid out by the previous code.
SHEET_FORMAT = 1
CACHE_SECONDS = 7 * 24 * 60 * 60

CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}

# The stylesheets every sheet page links (base.html and _sheet_base.html), parsed once per
# process and handed to WeasyPrint ready-made: parsing them took a sixth of each render.
# search.css and other screen-only styles are left out; print.css hides the site's chrome.
PDF_STYLESHEETS = ("css/site.css", "css/print.css", "css/sheet.css")


def _static_only_fetcher():
    """A WeasyPrint URL fetcher that serves our static files and refuses everything else.

    Linked stylesheets come back empty: their parsed versions are passed in directly.
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
                raise ValueError(f"Sheets load only the portal's own static files, not {url}")
            suffix = path[path.rfind(".") :]
            if suffix == ".css":
                body = b""
            else:
                with open(found, "rb") as file:
                    body = file.read()
            content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher(allowed_protocols={"http", "https", "data"})


@functools.cache
def _parsed_stylesheets(paths: tuple[str, ...], stamps: tuple[int, ...]) -> list:
    import weasyprint

    return [weasyprint.CSS(filename=path, url_fetcher=_static_only_fetcher()) for path in paths]


def pdf_stylesheets() -> list:
    """The parsed print stylesheets; parsed again only when a file changes (development)."""
    paths = tuple(finders.find(name) for name in PDF_STYLESHEETS)
    return _parsed_stylesheets(paths, tuple(os.stat(path).st_mtime_ns for path in paths))


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of a page's HTML: A4 and page numbers come from sheet.css's @page rules."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=_static_only_fetcher())
    # Tagged PDF: headings, lists and reading order survive for screen readers that open it.
    return document.write_pdf(stylesheets=pdf_stylesheets(), pdf_tags=True)


def render_pdf(*, request: HttpRequest, template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context, request=request)
    return html_to_pdf(html, base_url=request.build_absolute_uri("/"))


def cache_key(*, kind: str, request: HttpRequest, parts: Iterable[object]) -> str:
    """A cache key that changes whenever the sheet's content can change.

    `parts` name the published versions shown (for a review: its slug, the live row's
    primary key and its last change time); the host is in the key because the sheet
    prints the page's full address.
    """
    raw = "|".join(str(part) for part in (SHEET_FORMAT, kind, request.get_host(), *parts))
    return f"sheet-pdf:{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached_pdf(*, key: str, render) -> bytes:
    pdf = cache.get(key)
    if pdf is None:
        pdf = render()
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(filename)}"'
    return response


def pdf_filename(name: str) -> str:
    """A safe download name from a slug and the sheet's kind: baby-c-discussion-sheet.pdf."""
    return f"{slugify(name) or 'sheet'}.pdf"
