"""The audit log is append-only: no path through the ORM or the admin changes or deletes it."""

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.urls import reverse

from reviews.models import AuditEntry, Review, ReviewRevision
from reviews.models.workflow import ImmutableRecordError
from reviews.publishing import services
from tests.reviews.workflow_helpers import draft, published, superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(editor):
    review = draft(by=editor)
    return AuditEntry.objects.get(review_id=review.pk)


def test_an_audit_entry_records_who_when_what_which_review_and_revision(entry):
    assert entry.user_name == "edith" and entry.user.username == "edith"
    assert entry.action == AuditEntry.Action.CREATED
    assert entry.review_title and entry.revision_number == 1
    assert entry.revision == ReviewRevision.objects.get(review_id=entry.review_id)
    assert entry.created_at is not None


@pytest.mark.parametrize(
    "attempt",
    [
        lambda e: e.save(),
        lambda e: e.delete(),
        lambda e: AuditEntry.objects.filter(pk=e.pk).update(action="published"),
        lambda e: AuditEntry.objects.filter(pk=e.pk).delete(),
        lambda e: AuditEntry.objects.all().delete(),
        lambda e: AuditEntry.objects.bulk_update([e], ["action"]),
    ],
    ids=["save", "delete", "queryset-update", "queryset-delete", "delete-all", "bulk-update"],
)
def test_audit_entries_cannot_be_changed_or_deleted_through_the_orm(entry, attempt):
    entry.action = AuditEntry.Action.PUBLISHED

    with pytest.raises(ImmutableRecordError), transaction.atomic():
        attempt(entry)

    assert AuditEntry.objects.get(pk=entry.pk).action == AuditEntry.Action.CREATED


def test_revisions_cannot_be_changed_or_deleted_either(entry):
    revision = ReviewRevision.objects.get(review_id=entry.review_id)
    revision.change_note = "rewritten"

    for attempt in (revision.save, revision.delete, ReviewRevision.objects.all().delete):
        with pytest.raises(ImmutableRecordError):
            attempt()
    assert ReviewRevision.objects.get(pk=revision.pk).change_note == "First draft"


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_change_or_delete_audit_entries(entry):
    for sql in (
        "UPDATE reviews_auditentry SET action = 'published'",
        "DELETE FROM reviews_auditentry",
        "DELETE FROM reviews_reviewrevision",
    ):
        with (
            pytest.raises((InternalError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditEntry.Action.CREATED


@pytest.mark.postgres
def test_postgresql_refuses_to_truncate_the_audit_log_or_the_revisions(entry):
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        # The test database allows TRUNCATE for Django's own flushes; a real one does not.
        cursor.execute(f"ALTER DATABASE {name} RESET reviews.allow_truncate")
    for table in ("reviews_auditentry", "reviews_reviewrevision"):
        with (
            pytest.raises((InternalError, IntegrityError), match="cannot be truncated"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_a_connection_cannot_grant_itself_truncate_with_set(entry):
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER DATABASE {name} RESET reviews.allow_truncate")
        cursor.execute("SET LOCAL reviews.allow_truncate = 'on'")
    with (
        pytest.raises((InternalError, IntegrityError), match="cannot be truncated"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE reviews_auditentry CASCADE")


def test_the_admin_offers_no_way_to_add_change_or_delete_entries_even_to_superusers(client, entry):
    client.force_login(superuser())
    change_url = reverse("admin:reviews_auditentry_change", args=[entry.pk])

    page = client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(change_url, {"action": "published", "review_title": "Forged"})
    assert client.get(reverse("admin:reviews_auditentry_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:reviews_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.action == AuditEntry.Action.CREATED and entry.review_title != "Forged"


def test_the_log_survives_deletion_of_its_review(entry):
    review = Review.objects.get(pk=entry.review_id)

    services.review_delete(review=review, user=superuser())

    assert not Review.objects.filter(pk=entry.review_id).exists()
    titles = AuditEntry.objects.filter(review_id=entry.review_id).values_list("action", flat=True)
    assert set(titles) == {"created", "deleted"}
    assert ReviewRevision.objects.filter(review_id=entry.review_id).exists()


def test_publishers_read_the_log_with_filters_and_editors_cannot(client, editor, publisher):
    published(by=editor, publisher=publisher, title="Child L")
    url = reverse("admin:reviews_auditentry_changelist")

    client.force_login(editor)
    assert client.get(url).status_code == 403

    client.force_login(publisher)
    response = client.get(url, {"action__exact": "published"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Child L" in html and "percy" in html
    assert response.context["cl"].result_count == 1
