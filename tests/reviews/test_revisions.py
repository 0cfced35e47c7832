"""Every save is a revision; revisions can be compared and brought back; no save is lost."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse

from reviews.models import ChronologyEvent, DiscussionPrompt, LearningPoint, Review, ReviewRevision
from reviews.publishing import services
from reviews.publishing.diff import diff_snapshots
from reviews.publishing.revisions import serialize_review
from tests.factories import AgencyFactory, theme
from tests.reviews.test_admin import inline_data
from tests.reviews.workflow_helpers import draft, edit, published, user_in

pytestmark = pytest.mark.django_db


def change_everything(review: Review, *, by) -> None:
    """Change fields and child rows of every kind, then record it as one save."""
    review.title = "Changed title"
    review.summary = "A different summary."
    review.child_age_months = 14
    review.save()
    review.agencies.set([AgencyFactory(name="School")])
    review.chronology_events.filter(position=1).delete()
    event = review.chronology_events.get(position=2)
    event.text = "Rewritten event."
    event.save()
    event.agencies.set([])
    ChronologyEvent.objects.create(review=review, position=9, when="Later", text="New event.")
    point = review.learning_points.get(position=1)
    point.body = "New learning body."
    point.save()
    point.themes.set([theme("neglect")])
    point.prompts.filter(position=1).delete()
    DiscussionPrompt.objects.create(learning_point=point, position=7, question="A new question?")
    review.learning_points.get(position=2).delete()
    services.review_record_edit(review=review, edited_by=by, expected_version=review.version)


def test_every_save_is_a_numbered_revision_with_who_and_why(editor):
    review = draft(by=editor)

    edit(review, by=editor, title="Second title")

    revisions = list(ReviewRevision.objects.filter(review=review).order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].change_note == "First draft" and revisions[1].created_by == editor
    assert revisions[0].snapshot["review"]["title"] != "Second title"
    assert revisions[1].snapshot["review"]["title"] == "Second title"


def test_revert_restores_every_field_and_every_child_row_exactly(editor, publisher):
    review = draft(by=editor, events=3, learning_points=2, prompts=2)
    first = ReviewRevision.objects.get(review=review, number=1)
    review.refresh_from_db()
    change_everything(review, by=editor)
    review.refresh_from_db()
    assert serialize_review(review) != first.snapshot

    new_revision = services.review_revert(review=review, user=publisher, revision=first)

    review.refresh_from_db()
    assert serialize_review(review) == first.snapshot
    assert new_revision.number == 3 and new_revision.change_note == "Reverted to revision 1"
    assert new_revision.snapshot == first.snapshot
    assert review.chronology_events.count() == 3
    assert LearningPoint.objects.filter(review=review).count() == 2
    assert review.learning_points.get(position=1).prompts.count() == 2
    assert ReviewRevision.objects.filter(review=review).count() == 3  # nothing lost


def test_reverting_a_published_review_does_not_change_the_public_page(
    client, editor, publisher, second_publisher
):
    review = published(by=editor, publisher=publisher, slug="child-r")
    edit(review, by=editor, summary="Second summary.")
    services.review_submit(review=review, user=editor)
    services.review_publish(review=review, user=second_publisher)
    assert "Second summary." in client.get("/reviews/child-r/").content.decode()

    services.review_revert(
        review=review, user=publisher, revision=ReviewRevision.objects.get(review=review, number=1)
    )

    review.refresh_from_db()
    assert review.status == Review.Status.CHANGED
    assert "Second summary." in client.get("/reviews/child-r/").content.decode()


def test_only_publishers_revert(editor):
    review = draft(by=editor)

    with pytest.raises(PermissionDenied):
        services.review_revert(
            review=review, user=editor, revision=ReviewRevision.objects.get(review=review)
        )


def test_the_diff_names_each_changed_field_and_row_and_marks_the_changed_words(editor):
    review = draft(by=editor, events=2, learning_points=2, prompts=1)
    review.refresh_from_db()
    change_everything(review, by=editor)
    old, new = ReviewRevision.objects.filter(review=review).order_by("number")

    changes = {change.label: change for change in diff_snapshots(old.snapshot, new.snapshot)}

    assert changes["Title"].new == "Changed title"
    assert any(
        kind == "removed" and "injured" in text for kind, text in changes["Case summary"].parts
    )
    assert ("added", "different") in changes["Case summary"].parts
    assert changes["Agencies"].new == "School"
    assert changes["Chronology event 1"].kind == "removed"
    assert changes["Chronology event 9"].kind == "added"
    assert changes["Chronology event 2: What happened"].new == "Rewritten event."
    assert changes["Learning point 1: Themes"].new == "Neglect"
    assert changes["Learning point 1: Prompt 7"].kind == "added"
    assert changes["Learning point 2"].kind == "removed"
    assert "Child's age in months" in changes


def test_staff_see_the_diff_between_any_two_revisions_in_the_admin(client, editor):
    review = draft(by=editor)
    edit(review, by=editor, summary="The child was found unharmed at home.")
    client.force_login(editor)

    response = client.get(
        reverse("admin:reviews_review_revisions_diff", args=[review.pk]) + "?from=1&to=2"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<del class="diff-removed">injured</del>' in html
    assert '<ins class="diff-added">unharmed</ins>' in html
    history = client.get(reverse("admin:reviews_review_revisions", args=[review.pk]))
    assert history.status_code == 200 and "First draft" in history.content.decode()


def test_a_save_over_someone_elses_newer_save_is_refused_and_the_input_kept(client, editor):
    review = draft(by=editor, slug="stale")
    url = reverse("admin:reviews_review_change", args=[review.pk])
    client.force_login(editor)
    mine = inline_data(review, client.get(url))
    edit(review, by=user_in("Editor", "other"), title="Their newer title")

    mine["title"] = "My title"
    response = client.post(url, mine)

    assert response.status_code == 200
    html = response.content.decode()
    assert "changed this review after you opened it" in html
    assert 'value="My title"' in html
    review.refresh_from_db()
    assert review.title == "Their newer title"
    assert ReviewRevision.objects.filter(review=review).count() == 2


def test_a_fresh_admin_save_is_accepted_and_recorded_with_its_note(client, editor):
    review = draft(by=editor, slug="fresh")
    url = reverse("admin:reviews_review_change", args=[review.pk])
    client.force_login(editor)
    data = inline_data(review, client.get(url))
    data["title"] = "Saved title"
    data["change_note"] = "Fixed the title"

    response = client.post(url, data)

    assert response.status_code == 302
    latest = ReviewRevision.objects.filter(review=review).latest()
    assert latest.snapshot["review"]["title"] == "Saved title"
    assert latest.change_note == "Fixed the title" and latest.created_by == editor


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_saves_on_postgresql_the_second_waits_then_is_refused(editor):
    assert connection.vendor == "postgresql"
    review = draft(by=editor, slug="race")
    version = review.version
    first_has_lock = threading.Event()
    outcome: dict = {}

    def first_editor():
        try:
            with transaction.atomic():
                services.review_lock_for_edit(review_id=review.pk, expected_version=version)
                first_has_lock.set()
                time.sleep(0.5)  # the second editor is now waiting on the row lock
                Review.objects.filter(pk=review.pk).update(title="First editor's title")
                services.review_record_edit(
                    review=review, edited_by=editor, expected_version=version
                )
            outcome["first"] = "saved"
        finally:
            connection.close()

    def second_editor():
        first_has_lock.wait(5)
        started = time.monotonic()
        try:
            with transaction.atomic():
                services.review_lock_for_edit(review_id=review.pk, expected_version=version)
                Review.objects.filter(pk=review.pk).update(title="Second editor's title")
            outcome["second"] = "saved"
        except services.StaleEditError:
            outcome["second"] = "refused"
        finally:
            outcome["waited"] = time.monotonic() - started
            connection.close()

    threads = [threading.Thread(target=first_editor), threading.Thread(target=second_editor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert outcome["first"] == "saved" and outcome["second"] == "refused"
    assert outcome["waited"] >= 0.3  # it really waited for the first save to commit
    review.refresh_from_db()
    assert review.title == "First editor's title"
    assert ReviewRevision.objects.filter(review=review).count() == 2
