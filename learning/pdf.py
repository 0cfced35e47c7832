"""PDF versions of the printable sheets, made by WeasyPrint from the very same HTML page.

The HTML page is the accessible one; the PDF is that page as the browser would print it
(the same templates, site.css, print.css and sheet.css, print media). WeasyPrint reads
stylesheets only from our own static files and never fetches anything from the network:
a review's Markdown can hold links and images, and a PDF render must not become a way to
make the server request other addresses.

A rendered PDF is stored under a key built from what the public sees (see `cache_key`),
so a sheet is rendered once per published version, not once per download (`stored_pdf`):
- the store is a folder of files (PDF_STORE_DIR), which every worker on the machine
  shares with no Redis and which survives restarts; a new version has a new key;
- concurrent first requests for one PDF wait for a single render: the first takes an
  exclusive lock on the key, the rest wait (at most PDF_WAIT_SECONDS, then a 503 that asks
  them to try again) and are served the stored file;
- a render is counted against the client's address (PDF_RENDERS_PER_ADDRESS per
  PDF_RENDER_WINDOW seconds; serving a stored PDF is not counted): past it, 429.
"""

import contextlib
import fcntl
import hashlib
import logging
import os
import random
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from portal.pdf import parsed_stylesheets, static_only_fetcher
from portal.ratelimit import rate_limit_client
from reviews.glossary.selectors import glossary_current

# WeasyPrint logs each layout step at INFO and every browser-only rule of site.css (SVG
# strokes, screen-width media queries) as a warning, on every render: noise, not news.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)

# Part of every cache key: raise it when templates or print CSS change the output, so a
# deploy never serves PDFs laid out by the previous code.
SHEET_FORMAT = 4
# Stored PDFs nobody has downloaded for this long are deleted (an old version's, mostly).
STORE_DAYS = 7
STORE_MAX_FILES = 5000

# The stylesheets every sheet page links (base.html and _sheet_base.html), parsed once per
# process and handed to WeasyPrint ready-made: parsing them took a sixth of each render.
# search.css and other screen-only styles are left out; print.css hides the site's chrome.
PDF_STYLESHEETS = ("css/site.css", "css/print.css", "css/sheet.css")


def pdf_stylesheets() -> list:
    """The parsed print stylesheets (portal/pdf.py keeps them parsed)."""
    return parsed_stylesheets(PDF_STYLESHEETS)


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of a page's HTML: A4 and page numbers come from sheet.css's @page rules."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=static_only_fetcher())
    # Tagged PDF: headings, lists and reading order survive for screen readers that open it.
    return document.write_pdf(stylesheets=pdf_stylesheets(), pdf_tags=True)


def warm_up() -> None:
    """Import WeasyPrint, parse the print stylesheets and lay out one tiny page, in the
    gunicorn master before it forks (settings.WARM_UP): a worker's first PDF took about
    0.5 s longer than the rest, loading fonts. No database connection is opened."""
    html_to_pdf("<p>Warm-up</p>", base_url="http://localhost/")


def render_pdf(*, request: HttpRequest, template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context, request=request)
    return html_to_pdf(html, base_url=request.build_absolute_uri("/"))


def cache_key(*, kind: str, request: HttpRequest, parts: Iterable[object]) -> str:
    """A cache key that changes whenever the sheet's content can change.

    `parts` name the published versions shown (for a review: its slug, the live row's
    primary key and its last change time); the host is in the key because the sheet
    prints the page's full address, the glossary's version because sheets explain the terms
    they use (reviews/glossary/), and the language because its interface words (and
    addresses, /cy/...) differ between English and Welsh.
    """
    glossary = glossary_current().version
    language = get_language() or settings.LANGUAGE_CODE
    raw = "|".join(
        str(part) for part in (SHEET_FORMAT, kind, request.get_host(), glossary, language, *parts)
    )
    return f"{slugify(kind)}-{hashlib.sha256(raw.encode()).hexdigest()}"


class PdfBusy(Exception):
    """The PDF cannot be made right now: another request is still rendering it, or every
    render slot of this machine is taken. `message` is for the visitor."""

    def __init__(self, message: str):
        super().__init__(str(message))
        self.message = str(message)


STILL_RENDERING = gettext_lazy(
    "Someone else asked for this PDF a moment ago and it is still being made. "
    "Try again in a few seconds and it will be ready."
)
ALL_SLOTS_TAKEN = gettext_lazy(
    "Many PDFs are being made right now, so this one has to wait. Try again in a few seconds."
)


@contextlib.contextmanager
def _render_slot(folder: Path):
    """One of PDF_RENDER_SLOTS machine-wide, or PdfBusy at once: renders never take more
    than that many cores, whatever arrives, so pages keep being served. Not waited for: a
    waiting sync worker is a worker no reader can use."""
    for number in range(max(1, settings.PDF_RENDER_SLOTS)):
        handle = open(folder / f"render-slot-{number}.lock", "a")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    raise PdfBusy(ALL_SLOTS_TAKEN)


def _store() -> Path:
    folder = Path(settings.PDF_STORE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _read(path: Path) -> bytes | None:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    if time.time() - path.stat().st_mtime > 24 * 60 * 60:
        with contextlib.suppress(OSError):
            os.utime(path)  # still wanted: keep it past the next prune
    return content


def _write(path: Path, content: bytes) -> None:
    """Atomically, so a reader never sees half a PDF."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    os.replace(temporary, path)
    if random.randrange(20) == 0:  # noqa: S311 - housekeeping, not security
        _prune(path.parent)


def _prune(folder: Path) -> None:
    """Deletes PDFs unread for STORE_DAYS, then the oldest beyond STORE_MAX_FILES."""
    files = []
    for entry in os.scandir(folder):
        with contextlib.suppress(FileNotFoundError):
            files.append((entry.stat().st_mtime, entry.path))
    files.sort(reverse=True)
    too_old = time.time() - STORE_DAYS * 24 * 60 * 60
    pdfs = 0
    for mtime, name in files:
        pdfs += name.endswith(".pdf")
        if mtime < too_old or (name.endswith(".pdf") and pdfs > STORE_MAX_FILES):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)


def _count_render(request: HttpRequest) -> None:
    rate_limit_client(
        request,
        scope="pdf-render",
        limit=settings.PDF_RENDERS_PER_ADDRESS,
        window=settings.PDF_RENDER_WINDOW,
        reason=_(
            "Many new PDFs have been made for your address in a short time, so this one "
            "has to wait. PDFs that others have already downloaded are not affected."
        ),
    )


def stored_pdf(*, key: str, request: HttpRequest, render) -> bytes:
    """The PDF stored under `key`, rendered by `render()` only if nobody has yet.

    Raises RateLimited when this client has had too many renders, and PdfBusy when
    another request's render of the same PDF takes longer than PDF_WAIT_SECONDS or every
    render slot is taken.
    """
    path = _store() / f"{key}.pdf"
    if (content := _read(path)) is not None:
        return content
    deadline = time.monotonic() + settings.PDF_WAIT_SECONDS
    with open(path.with_suffix(".lock"), "a") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PdfBusy(STILL_RENDERING) from None
                time.sleep(0.1)
        try:
            # Whoever held the lock before us may have stored it meanwhile.
            if (content := _read(path)) is not None:
                return content
            with _render_slot(path.parent):
                _count_render(request)
                content = render()
            _write(path, content)
            return content
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(filename)}"'
    return response


def pdf_filename(name: str) -> str:
    """A safe download name from a slug and the sheet's kind: baby-c-discussion-sheet.pdf."""
    return f"{slugify(name) or 'sheet'}.pdf"
