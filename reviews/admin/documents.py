"""Review documents in the admin: upload one (or a zip), preview, confirm; download as a zip.

Mixed into ReviewAdmin (reviews/admin/). The import itself is
reviews.documents.importing.review_documents_import: the preview is its dry run, and confirming runs
it again for real on the same bytes, so what staff confirm is what they saw (or, if the
database changed in between, a clear refusal).

Between the two steps the upload waits in a private temporary file. The session holds only
its random name and a SHA-256 of its bytes, so a confirmation can neither point at another
file nor find it altered.
"""

import hashlib
import io
import re
import secrets
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from reviews.documents.exporting import review_documents_export, review_list_for_export
from reviews.documents.format import MAX_DOCUMENT_BYTES, DocumentError
from reviews.documents.importing import review_documents_import
from reviews.models import Review

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ZIP_DOCUMENTS = 200
MAX_ZIP_ENTRIES = 1000
MAX_ZIP_TOTAL_BYTES = 100 * 1024 * 1024
PENDING_MAX_AGE_SECONDS = 60 * 60
SESSION_KEY = "reviews.pending_document_import"
_PENDING_DIR = Path(tempfile.gettempdir()) / "portal-review-imports"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class UploadError(ValueError):
    """An upload that cannot hold review documents; the message says why, for staff."""


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def documents_from_upload(name: str, data: bytes) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The documents in an upload, as (name, bytes), and the zip entries skipped as not .md.

    A zip is read in memory, never extracted, but an entry whose path would leave the zip's
    folder is still refused: its name is what staff read in every message.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [(name, data)], []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UploadError(f"{name}: not a readable zip file ({error})") from None
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UploadError(
            f"{name}: {len(entries)} entries; a zip can hold at most {MAX_ZIP_ENTRIES}"
        )
    documents: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    total = 0
    for entry in entries:
        entry_path = PurePosixPath(entry.filename)
        if (
            entry.filename.startswith(("/", "\\"))
            or "\\" in entry.filename
            or re.match(r"[A-Za-z]:", entry.filename)
            or ".." in entry_path.parts
        ):
            raise UploadError(
                f"{name}: the entry '{entry.filename}' points outside the zip's folder; "
                "nothing was imported"
            )
        if entry.is_dir():
            continue
        if entry.flag_bits & 0x1:
            raise UploadError(f"{name}: '{entry.filename}' is encrypted; zip it without a password")
        if entry_path.suffix.lower() != ".md" or any(
            part.startswith(".") or part == "__MACOSX" for part in entry_path.parts
        ):
            skipped.append(entry.filename)
            continue
        if len(documents) == MAX_ZIP_DOCUMENTS:
            raise UploadError(
                f"{name}: more than {MAX_ZIP_DOCUMENTS} documents; import them in smaller zips"
            )
        if entry.file_size > MAX_DOCUMENT_BYTES:
            raise UploadError(
                f"{name}/{entry.filename}: the file is {_megabytes(entry.file_size)}; a review "
                f"document can be at most {_megabytes(MAX_DOCUMENT_BYTES)}"
            )
        # The sizes in a zip's directory are claims: read no more than the limit allows.
        with archive.open(entry) as stream:
            content = stream.read(MAX_DOCUMENT_BYTES + 1)
        total += len(content)
        if len(content) > MAX_DOCUMENT_BYTES or total > MAX_ZIP_TOTAL_BYTES:
            raise UploadError(f"{name}/{entry.filename}: the zip unpacks to more than it says")
        documents.append((f"{name}/{entry.filename}", content))
    if not documents:
        raise UploadError(f"{name}: no .md review documents in this zip")
    return documents, skipped


class DocumentUploadForm(forms.Form):
    document = forms.FileField(
        label="Review document or zip",
        help_text="One review document (.md) or a .zip of them, as described in "
        "docs/review-documents.md. Nothing is saved until you confirm the preview.",
    )
    update = forms.BooleanField(
        required=False,
        label="Replace reviews that already exist",
        help_text="A document whose slug is already used replaces that review (as a new "
        "revision). Without this, such a document is refused.",
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {_megabytes(upload.size)}; upload at most "
                f"{_megabytes(MAX_UPLOAD_BYTES)} at a time."
            )
        return upload


def _pending_path(token: str) -> Path:
    if not _TOKEN.fullmatch(token):
        raise ValueError("not a pending import")
    return _PENDING_DIR / f"{token}.upload"


def _forget_old_uploads() -> None:
    if not _PENDING_DIR.exists():
        return
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for old in _PENDING_DIR.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def _keep_upload(request: HttpRequest, *, name: str, data: bytes, update: bool) -> str:
    _forget_old_uploads()
    _PENDING_DIR.mkdir(mode=0o700, exist_ok=True)
    token = secrets.token_urlsafe(24)
    _pending_path(token).write_bytes(data)
    _pending_path(token).chmod(0o600)
    request.session[SESSION_KEY] = {
        "token": token,
        "name": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "update": update,
        "at": time.time(),
    }
    return token


def _take_upload(request: HttpRequest, token: str) -> tuple[str, bytes, bool]:
    """The upload the preview showed; UploadError if it is gone, stale or altered."""
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or not secrets.compare_digest(pending["token"], token):
        raise UploadError("This preview is out of date. Upload the file again.")
    file = _pending_path(pending["token"])
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise UploadError("This preview has expired. Upload the file again.") from None
    finally:
        file.unlink(missing_ok=True)
    too_old = time.time() - pending["at"] > PENDING_MAX_AGE_SECONDS
    if too_old or hashlib.sha256(data).hexdigest() != pending["sha256"]:
        raise UploadError("This preview has expired. Upload the file again.")
    return pending["name"], data, pending["update"]


@admin.action(
    description="Download selected reviews as review documents (zip)", permissions=["view"]
)
def download_documents(modeladmin, request: HttpRequest, queryset):
    reviews = review_list_for_export().filter(pk__in=queryset.values("pk"))
    try:
        files = review_documents_export(reviews=reviews)
    except DocumentError as error:
        # One message: the admin capitalises each, which would misname "baby-c.md".
        messages.error(
            request,
            "Nothing was downloaded: these reviews would not import again as they stand. "
            f"Fix them, or leave them out. {'; '.join(map(str, error.problems))}",
        )
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, text in files:
            archive.writestr(filename, text.encode())
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="review-documents-{stamp}.zip"'
    return response


class ReviewDocumentsAdminMixin:
    """Mixed into ReviewAdmin: the import pages and the download action."""

    actions = [download_documents]

    def get_urls(self):
        return [
            path(
                "import-documents/",
                self.admin_site.admin_view(self.import_documents_view),
                name="reviews_review_import_documents",
            ),
            *super().get_urls(),
        ]

    def import_documents_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_import(request)
        form = DocumentUploadForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._import_page(request, form=form)
        upload = form.cleaned_data["document"]
        name, data = Path(upload.name).name, upload.read()
        update = form.cleaned_data["update"]
        try:
            sources, skipped = documents_from_upload(name, data)
            report = review_documents_import(
                sources=sources, update=update, dry_run=True, user=request.user
            )
        except UploadError as error:
            return self._import_page(request, form=form, problems=[str(error)])
        except DocumentError as error:
            return self._import_page(request, form=form, problems=error.problems)
        token = _keep_upload(request, name=name, data=data, update=update)
        return self._import_page(
            request,
            template="import_preview.html",
            report=report,
            skipped=skipped,
            token=token,
            upload_name=name,
        )

    def _confirm_import(self, request: HttpRequest) -> HttpResponse:
        try:
            name, data, update = _take_upload(request, request.POST.get("token", ""))
            sources, _ = documents_from_upload(name, data)
            report = review_documents_import(sources=sources, update=update, user=request.user)
        except UploadError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:reviews_review_import_documents"))
        except DocumentError as error:
            # The database changed since the preview (someone added that slug, say).
            return self._import_page(
                request, form=DocumentUploadForm(), problems=error.problems, changed=True
            )
        messages.success(request, f"Imported: {report}.")
        waiting = [r.slug for r in report.reviews if r.status == Review.Status.READY]
        if waiting:
            messages.warning(
                request,
                f"Nothing was published. {', '.join(waiting)} "
                f"{'is' if len(waiting) == 1 else 'are'} waiting for sign-off: an imported "
                "document is published only when another publisher signs it off, whatever "
                "its status says.",
            )
        return HttpResponseRedirect(reverse("admin:reviews_review_changelist"))

    def _import_page(self, request, *, template: str = "import_documents.html", **context):
        return TemplateResponse(
            request,
            f"admin/reviews/review/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Import review documents",
                **context,
            },
        )
