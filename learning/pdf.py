"""PDF versions of the printable sheets, made by WeasyPrint from the very same HTML page.

The HTML page is the accessible one; the PDF is that page as the browser would print it
(the same templates, site.css, print.css and sheet.css, print media). WeasyPrint reads
stylesheets only from our own static files and never fetches anything from the network:
a review's Markdown can hold links and images, and a PDF render must not become a way to
make the server request other addresses.

A rendered PDF is cached under a key built from what the public sees (see `cache_key`),
so a review's sheet is rendered once per published version, not once per download.
"""

import hashlib
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

logger = logging.getLogger(__name__)

# Part of every cache key: raise it when templates or print CSS change the output, so a
# deploy never serves PDFs laid out by the previous code.
SHEET_FORMAT = 1
CACHE_SECONDS = 7 * 24 * 60 * 60

CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


def _static_only_fetcher():
    """A WeasyPrint URL fetcher that serves our static files and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            if url.startswith("data:"):
                return super().fetch(url, headers)
            from django.conf import settings

            prefix = urlsplit(settings.STATIC_URL).path
            found = finders.find(path.removeprefix(prefix)) if path.startswith(prefix) else None
            if not found:
                raise ValueError(f"Sheets load only the portal's own static files, not {url}")
            with open(found, "rb") as file:
                body = file.read()
            suffix = path[path.rfind(".") :]
            content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher(allowed_protocols={"http", "https", "data"})


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of a page's HTML: A4 and page numbers come from sheet.css's @page rules."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=_static_only_fetcher())
    # Tagged PDF: headings, lists and reading order survive for screen readers that open it.
    return document.write_pdf(pdf_tags=True)


def render_pdf(*, request: HttpRequest, template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, {**context, "for_pdf": True}, request=request)
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
