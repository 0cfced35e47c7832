"""Evidence files: what kinds are accepted, judged by their content, never by their name.

A file is accepted only if its first bytes (and, for Office documents, the parts inside
the zip) say it is one of the kinds below AND its extension is one that kind uses. A `.pdf`
that is really a PNG, an `.xlsx` that is really a Word document, a macro-enabled document
renamed `.docx`: each is refused with a message that says why. Files are stored under a
random name in private storage (reviews.models.actions.PrivateStorage) and only ever
served to staff as a download (reviews/admin/actions.py).
"""

import dataclasses
import hashlib
import io
import re
import unicodedata
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from reviews.records import WorkflowError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ORIGINAL_NAME_MAX = 200
# Reading [Content_Types].xml inflates it; a real one is a few kilobytes.
CONTENT_TYPES_MAX_BYTES = 256 * 1024

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


@dataclasses.dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("a PDF", "application/pdf", (".pdf",))
PNG = Kind("a PNG image", "image/png", (".png",))
JPEG = Kind("a JPEG image", "image/jpeg", (".jpg", ".jpeg"))
GIF = Kind("a GIF image", "image/gif", (".gif",))
DOCX = Kind(
    "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = Kind(
    "an Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
DOC = Kind("a Word 97-2003 document", "application/msword", (".doc",))
XLS = Kind("an Excel 97-2003 workbook", "application/vnd.ms-excel", (".xls",))
KINDS = (PDF, PNG, JPEG, GIF, DOCX, XLSX, DOC, XLS)
ACCEPTED_EXTENSIONS = tuple(ext for kind in KINDS for ext in kind.extensions)
ACCEPTED_TEXT = "PDF, Word (.docx, .doc), Excel (.xlsx, .xls), PNG, JPEG or GIF"


@dataclasses.dataclass(frozen=True)
class CheckedFile:
    original_name: str
    content_type: str
    size: int
    sha256: str
    data: bytes


def max_bytes() -> int:
    return int(getattr(settings, "ACTION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def clean_original_name(name: str) -> str:
    """The uploader's file name, made safe to show and to offer back in a download."""
    name = PurePath(str(name).replace("\\", "/")).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().strip(".")
    if len(name) > ORIGINAL_NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        keep = ORIGINAL_NAME_MAX - len(ext) - 1
        name = f"{stem[:keep]}.{ext}" if dot and keep > 0 else name[:ORIGINAL_NAME_MAX]
    return name or "evidence"


def _office_kind(data: bytes) -> Kind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX_BYTES:
                return None
            content_types = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError, ValueError):
        return None
    # The main part's declared type, not just its presence: a macro-enabled .docm declares
    # another type and is refused.
    if "word/document.xml" in names and WORD_MAIN in content_types:
        return DOCX
    if "xl/workbook.xml" in names and EXCEL_MAIN in content_types:
        return XLSX
    return None


def _ole_kind(data: bytes) -> Kind | None:
    # The compound file's directory names its streams in UTF-16: Word's main stream is
    # "WordDocument", Excel's "Workbook" (or "Book" before Excel 97).
    if "WordDocument".encode("utf-16-le") in data:
        return DOC
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return XLS
    return None


def kind_of(data: bytes) -> Kind | None:
    """What the content is, from its bytes alone; None if it is none of the accepted kinds."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    if data.startswith(OLE_SIGNATURE):
        return _ole_kind(data)
    return None


def read_capped(upload: UploadedFile) -> bytes:
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise WorkflowError(_too_big(upload.size, limit))
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise WorkflowError(_too_big(total, limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(size: int, limit: int) -> str:
    return (
        f"The file is too large ({size / 1_048_576:.1f} MB); evidence files can be at most "
        f"{limit / 1_048_576:.0f} MB."
    )


def attachment_check(*, name: str, data: bytes) -> CheckedFile:
    """The file as it will be stored, or WorkflowError saying why it is refused."""
    original_name = clean_original_name(name)
    if not data:
        raise WorkflowError(f"“{original_name}” is empty.")
    limit = max_bytes()
    if len(data) > limit:
        raise WorkflowError(_too_big(len(data), limit))
    extension = PurePath(original_name).suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise WorkflowError(
            f"“{original_name}” is not a kind of file accepted as evidence: use {ACCEPTED_TEXT}."
        )
    kind = kind_of(data)
    if kind is None:
        raise WorkflowError(
            f"“{original_name}” is not what its name says: its content is not any of "
            f"{ACCEPTED_TEXT}."
        )
    if extension not in kind.extensions:
        raise WorkflowError(
            f"“{original_name}” is not what its name says: its content is {kind.label}, "
            f"which is named {' or '.join(kind.extensions)}."
        )
    return CheckedFile(
        original_name=original_name,
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
