"""Evidence files: judged by content, size-capped, stored privately, served to staff only
as downloads."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.actions import services
from reviews.actions.attachments import attachment_check, clean_original_name
from reviews.models import ActionAttachment, AuditEntry
from tests.reviews.actions import files
from tests.reviews.actions.helpers import add_action, completed, plan_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("audit.pdf", files.PDF, "application/pdf"),
        ("photo.PNG", files.PNG, "image/png"),
        ("scan.jpeg", files.JPEG, "image/jpeg"),
        ("scan.jpg", files.JPEG, "image/jpeg"),
        ("chart.gif", files.GIF, "image/gif"),
        (
            "minutes.docx",
            files.DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            files.XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("old.doc", files.DOC, "application/msword"),
        ("old.xls", files.XLS, "application/vnd.ms-excel"),
    ],
)
def test_each_accepted_kind_is_recognised_by_its_content(name, data, content_type):
    assert attachment_check(name=name, data=data).content_type == content_type


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("audit.pdf", files.PNG, "its content is a PNG image, which is named .png"),
        ("figures.xlsx", files.DOCX, "its content is a Word document, which is named .docx"),
        ("minutes.docx", files.DOCM, "is not what its name says"),
        ("minutes.docx", files.ZIP, "is not what its name says"),
        ("old.doc", files.XLS, "its content is an Excel 97-2003 workbook"),
        ("audit.pdf", b"<html><script>alert(1)</script>", "is not what its name says"),
        ("page.html", b"<html></html>", "is not a kind of file accepted as evidence"),
        ("run.exe", b"MZ\x90\x00", "is not a kind of file accepted as evidence"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name, data, message):
    with pytest.raises(services.WorkflowError, match=message):
        attachment_check(name=name, data=data)


def test_a_file_over_the_size_cap_is_refused(settings):
    settings.ACTION_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(services.WorkflowError, match="too large"):
        attachment_check(name="big.pdf", data=files.PDF + b"0" * 2048)


def test_the_uploaders_file_name_is_made_safe():
    assert clean_original_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_original_name("C:\\Users\\me\\report\x00\n.pdf") == "report.pdf"
    assert clean_original_name("") == "evidence"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_an_added_file_is_stored_privately_under_a_random_name(editor, private_folder):
    action = add_action(plan_review(), by=editor)
    attachment = services.attachment_add(
        action=action, user=editor, upload=upload("Audit report.pdf", files.PDF)
    )

    stored = Path(settings.PRIVATE_MEDIA_ROOT) / attachment.file.name
    assert stored.read_bytes() == files.PDF
    assert stored.resolve().is_relative_to(private_folder.resolve())
    assert "Audit" not in attachment.file.name
    assert (attachment.original_name, attachment.size) == ("Audit report.pdf", len(files.PDF))
    assert len(attachment.sha256) == 64
    with pytest.raises(ValueError, match="no public address"):
        attachment.file.url  # noqa: B018
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACTION_ATTACHMENT_ADDED).exists()


def test_a_refused_file_leaves_nothing_behind(editor, private_folder):
    action = add_action(plan_review(), by=editor)
    with pytest.raises(services.WorkflowError):
        services.attachment_add(action=action, user=editor, upload=upload("x.pdf", files.PNG))
    assert not ActionAttachment.objects.exists()
    assert not private_folder.exists() or not any(private_folder.rglob("*.*"))


def test_removing_a_file_deletes_it_from_the_store(editor, django_capture_on_commit_callbacks):
    action = add_action(plan_review(), by=editor)
    attachment = services.attachment_add(
        action=action, user=editor, upload=upload("a.pdf", files.PDF)
    )
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, user=editor)
    assert not stored.exists()
    assert not ActionAttachment.objects.exists()


def test_a_complete_actions_files_cannot_change(editor, publisher):
    action = completed(plan_review(), by=editor, accepted_by=publisher)
    with pytest.raises(services.WorkflowError, match="complete"):
        services.attachment_add(action=action, user=editor, upload=upload("a.pdf", files.PDF))


class TestDownload:
    @pytest.fixture
    def attachment(self, editor):
        action = add_action(plan_review(), by=editor)
        return services.attachment_add(
            action=action, user=editor, upload=upload("Évaluation finale.pdf", files.PDF)
        )

    def url(self, attachment) -> str:
        return reverse(
            "admin:reviews_action_attachment_download", args=[attachment.action_id, attachment.pk]
        )

    def test_staff_get_the_file_as_a_download_that_is_never_sniffed(
        self, editor_client, attachment
    ):
        response = editor_client.get(self.url(attachment))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == files.PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''%C3%89valuation%20finale.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"

    def test_the_public_is_sent_to_the_login_page(self, client, attachment):
        response = client.get(self.url(attachment))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    def test_staff_without_a_role_are_refused(self, client, attachment):
        from tests.reviews.workflow_helpers import user_in

        client.force_login(user_in(None, "visitor"))
        assert client.get(self.url(attachment)).status_code == 403

    def test_the_file_is_not_under_the_media_or_static_addresses(self, client, attachment):
        for prefix in ("/media/", "/static/", settings.STATIC_URL):
            assert client.get(prefix + attachment.file.name).status_code == 404
        stored = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
        assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
        media_root = getattr(settings, "MEDIA_ROOT", "")
        assert not media_root or not stored.is_relative_to(Path(media_root).resolve())
