"""Uploading and downloading review documents in the admin (reviews/admin/documents.py)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.admin import documents as admin_documents
from reviews.documents.exporting import review_documents_export, review_list_for_export
from reviews.models import LearningPoint, Review
from tests.factories import UserFactory, build_review
from tests.reviews.test_importing import database_state, document

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "reviews"
IMPORT_URL = reverse("admin:reviews_review_import_documents")


@pytest.fixture(autouse=True)
def pending_uploads_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(admin_documents, "_PENDING_DIR", tmp_path / "pending")


def a_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client, name: str, data: bytes, **fields):
    return client.post(
        IMPORT_URL, {"document": SimpleUploadedFile(name, data), **fields}, follow=True
    )


def pending_files() -> list[Path]:
    return list(admin_documents._PENDING_DIR.glob("*.upload"))


def confirm(client, response):
    return client.post(
        IMPORT_URL, {"confirm": "1", "token": response.context["token"]}, follow=True
    )


def test_the_review_list_links_to_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:reviews_review_changelist"))

    assert IMPORT_URL in response.content.decode()


def test_a_document_is_previewed_then_imported_on_confirmation(admin_client):
    before = database_state()

    preview = upload(admin_client, "baby-q.md", document())

    assert preview.status_code == 200
    assert "Baby Q" in preview.content.decode() and "New reviews" in preview.content.decode()
    assert database_state() == before, "the preview must not save anything"

    done = confirm(admin_client, preview)

    assert done.redirect_chain[-1][0] == reverse("admin:reviews_review_changelist")
    assert "Imported: 1 review created (baby-q)" in done.content.decode()
    assert Review.objects.working_copies().filter(slug="baby-q").exists()
    assert not any(p.name.startswith(preview.context["token"]) for p in pending_files())


def test_a_zip_of_documents_is_imported_together_and_other_files_are_left_out(admin_client):
    data = a_zip(
        {
            **{f"reviews/{p.name}": p.read_bytes() for p in FIXTURES.glob("*.md")},
            "reviews/readme.txt": b"notes",
            "__MACOSX/reviews/._baby-c.md": b"junk",
        }
    )

    preview = upload(admin_client, "catalogue.zip", data)

    assert preview.context["skipped"] == ["reviews/readme.txt", "__MACOSX/reviews/._baby-c.md"]
    confirm(admin_client, preview)
    # Issue 14: imported through the admin, every one waits for another person's sign-off.
    count = len(list(FIXTURES.glob("*.md")))
    assert Review.objects.working_copies().filter(status=Review.Status.READY).count() == count
    assert not Review.objects.published().exists()


def test_a_bad_document_is_shown_with_file_line_and_field_and_nothing_is_kept(admin_client):
    before, pending_before = database_state(), pending_files()

    response = upload(admin_client, "baby-q.md", document(**{"nation: wales": "nation: wails"}))

    assert (
        "baby-q.md:6: nation: unknown nation &#x27;wails&#x27; (did you mean &#x27;wales&#x27;?)"
        in response.content.decode()
    )
    assert "Nothing was imported" in response.content.decode()
    assert database_state() == before
    assert pending_files() == pending_before


def test_an_existing_review_is_replaced_only_when_asked_and_the_preview_lists_the_changes(
    admin_client,
):
    confirm(admin_client, upload(admin_client, "baby-q.md", document()))
    changed = document(**{"nation: wales": "nation: scotland"})

    refused = upload(admin_client, "baby-q.md", changed)
    assert "already exists; import with update" in refused.content.decode()

    preview = upload(admin_client, "baby-q.md", changed, update="on")
    assert "Reviews that will be replaced" in preview.content.decode()
    assert "Scotland" in preview.content.decode()
    confirm(admin_client, preview)
    assert Review.objects.working_copies().get(slug="baby-q").nation == "scotland"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("../escape.md", "points outside the zip&#x27;s folder"),
        ("/etc/absolute.md", "points outside the zip&#x27;s folder"),
        ("C:/windows.md", "points outside the zip&#x27;s folder"),
        ("reviews\\..\\..\\escape.md", "points outside the zip&#x27;s folder"),
    ],
)
def test_zip_entries_whose_paths_escape_the_folder_are_refused(admin_client, entry, message):
    before = database_state()

    response = upload(admin_client, "bad.zip", a_zip({"ok.md": document(), entry: document()}))

    assert message in response.content.decode()
    assert database_state() == before


def test_a_zip_with_too_many_documents_is_refused(admin_client, monkeypatch):
    monkeypatch.setattr(admin_documents, "MAX_ZIP_DOCUMENTS", 2)
    entries = {f"{n}.md": document(**{"title: Baby Q": f"title: Baby {n}"}) for n in range(3)}

    response = upload(admin_client, "many.zip", a_zip(entries))

    assert "more than 2 documents; import them in smaller zips" in response.content.decode()
    assert not Review.objects.exists()


def test_a_zip_entry_too_large_for_a_document_is_refused(admin_client, monkeypatch):
    monkeypatch.setattr(admin_documents, "MAX_DOCUMENT_BYTES", 1024)

    response = upload(admin_client, "big.zip", a_zip({"big.md": b"x" * 2048}))

    assert "big.zip/big.md: the file is 0.0 MB; a review document can be at most 0.0 MB" in (
        response.content.decode()
    )


def test_an_upload_over_the_limit_is_refused_before_it_is_read(admin_client, monkeypatch):
    monkeypatch.setattr(admin_documents, "MAX_UPLOAD_BYTES", 10)

    response = upload(admin_client, "baby-q.md", document())

    assert "upload at most 0.0 MB at a time" in response.content.decode()
    assert not Review.objects.exists()


def test_a_50_mb_document_is_refused_with_its_size(admin_client):
    response = upload(admin_client, "huge.md", b"x" * (50 * 1024 * 1024))

    assert "The file is 50.0 MB; upload at most 20.0 MB at a time." in response.content.decode()


def test_a_confirmation_needs_the_preview_it_came_from(admin_client):
    preview = upload(admin_client, "baby-q.md", document())

    wrong = admin_client.post(IMPORT_URL, {"confirm": "1", "token": "x" * 32}, follow=True)
    assert "This preview is out of date. Upload the file again." in wrong.content.decode()
    again = confirm(admin_client, preview)
    assert "This preview is out of date" in again.content.decode()
    assert not Review.objects.exists()


def test_an_altered_pending_upload_is_not_imported(admin_client):
    preview = upload(admin_client, "baby-q.md", document())
    (pending,) = [p for p in pending_files() if p.stem == preview.context["token"]]
    pending.write_bytes(document(**{"title: Baby Q": "title: Someone Else"}))

    response = confirm(admin_client, preview)

    assert "This preview has expired. Upload the file again." in response.content.decode()
    assert not Review.objects.exists()


def test_a_change_between_preview_and_confirmation_refuses_the_import(admin_client):
    preview = upload(admin_client, "baby-q.md", document())
    build_review(slug="baby-q")
    before = database_state()

    response = confirm(admin_client, preview)

    assert "The reviews changed since the preview" in response.content.decode()
    assert database_state() == before


def test_a_published_document_uploaded_alone_is_never_live_and_the_uploader_is_told(
    client, publisher
):
    # Issue 14: a publisher alone used to upload `status: published` and have it live.
    client.force_login(publisher)

    preview = upload(client, "baby-q.md", document("published"))
    assert "waiting for sign-off" in preview.content.decode()
    done = confirm(client, preview)

    assert not Review.objects.published().exists()
    assert Review.objects.get(slug="baby-q").status == Review.Status.READY
    assert "Nothing was published" in done.content.decode()


def test_the_import_page_is_for_staff_who_may_add_or_change_reviews(client):
    client.force_login(UserFactory(username="viewer", is_staff=True))

    assert client.get(IMPORT_URL).status_code == 403


def test_selected_reviews_download_as_a_zip_of_their_documents(admin_client):
    chosen, other = build_review(slug="child-a"), build_review(slug="child-b")

    response = admin_client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "download_documents", "_selected_action": [chosen.pk]},
    )

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["child-a.md"]
    expected = dict(review_documents_export(reviews=review_list_for_export(slugs=["child-a"])))
    assert archive.read("child-a.md").decode() == expected["child-a.md"]
    assert other.slug not in response.content.decode(errors="ignore")


def test_a_review_that_cannot_be_written_is_named_and_nothing_is_downloaded(admin_client):
    review = build_review(slug="broken")
    LearningPoint.objects.filter(review=review).update(body="")

    response = admin_client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "download_documents", "_selected_action": [review.pk]},
        follow=True,
    )

    assert response["Content-Type"].startswith("text/html")
    assert "broken.md" in response.content.decode()
    assert "Nothing was downloaded" in response.content.decode()
