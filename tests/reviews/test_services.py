"""The workflow's state changes (reviews/publishing/services.py), through the public pages."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from reviews.models import AuditEntry, LearningPoint, Review
from reviews.publishing import services
from tests.reviews.workflow_helpers import (
    draft,
    edit,
    live_copy,
    published,
    ready,
    superuser,
    user_in,
)

pytestmark = pytest.mark.django_db

Status = Review.Status


def public_urls():
    return [
        reverse("home"),
        reverse("reviews:list"),
        reverse("learning:theme_list"),
        reverse("learning:theme_detail", kwargs={"slug": "voice-of-the-child"}),
    ]


def test_a_review_goes_from_draft_to_ready_to_published_and_only_then_is_public(
    client, editor, publisher
):
    review = draft(by=editor, title="Child S", slug="child-s")
    assert client.get("/reviews/child-s/").status_code == 404

    review = services.review_submit(review=review, user=editor)
    assert review.status == Status.READY
    assert client.get("/reviews/child-s/").status_code == 404

    review = services.review_publish(review=review, user=publisher)

    assert review.status == Status.PUBLISHED
    response = client.get("/reviews/child-s/")
    assert response.status_code == 200
    assert "Child S — Case Summary" in response.content.decode()
    for url in public_urls():
        if url != reverse("learning:theme_list"):  # lists themes, not reviews
            assert "Child S" in client.get(url).content.decode(), url


def test_publishing_copies_every_child_row_into_a_separate_live_copy(editor, publisher):
    review = published(by=editor, publisher=publisher, events=3, learning_points=2, prompts=2)

    live = live_copy(review)

    assert live.pk != review.pk and live.is_live and not review.is_live
    assert live.slug == review.slug
    assert live.chronology_events.count() == 3
    assert live.findings.count() == review.findings.count() == 2
    assert live.recommendations.count() == 2
    assert [p.title for p in live.learning_points.all()] == ["Learning 1", "Learning 2"]
    point = live.learning_points.get(title="Learning 1")
    assert point.prompts.count() == 2
    assert set(point.themes.values_list("slug", flat=True)) == {
        "voice-of-the-child",
        "information-sharing",
    }
    assert set(Review.objects.published()) == {live}
    assert set(LearningPoint.objects.published()) == set(live.learning_points.all())


def test_editing_a_published_review_changes_nothing_public_until_it_is_published_again(
    client, editor, publisher
):
    review = published(by=editor, publisher=publisher, title="Child E", slug="child-e")

    review = edit(review, by=editor, summary="A corrected summary of what happened.")

    assert review.status == Status.CHANGED
    assert review.get_status_display() == "Published, with unpublished changes"
    html = client.get("/reviews/child-e/").content.decode()
    assert "corrected summary" not in html
    assert "Last updated" not in html

    services.review_submit(review=review, user=editor)
    services.review_publish(review=review, user=publisher, note="Corrected the case summary.")

    html = client.get("/reviews/child-e/").content.decode()
    assert "A corrected summary of what happened." in html
    assert "Last updated" in html and "Corrected the case summary." in html
    assert Review.objects.filter(slug="child-e", is_live=True).count() == 1


def test_a_publisher_cannot_sign_off_a_version_they_saved_themselves(editor, publisher):
    review = ready(by=publisher)

    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.review_publish(review=review, user=publisher)

    review.refresh_from_db()
    assert review.status == Status.READY
    assert not Review.objects.filter(working_copy=review).exists()


def test_four_eyes_applies_to_superusers_too_and_a_second_person_can_sign_off(publisher):
    boss = superuser()
    review = ready(by=boss)

    with pytest.raises(services.WorkflowError):
        services.review_publish(review=review, user=boss)
    services.review_publish(review=review, user=publisher)

    assert live_copy(review).status == Status.PUBLISHED


def test_the_last_editor_counts_not_the_first_author(editor, publisher, second_publisher):
    review = draft(by=editor)
    review = edit(review, by=publisher, title="Edited by the publisher")
    services.review_submit(review=review, user=editor)

    with pytest.raises(services.WorkflowError):
        services.review_publish(review=review, user=publisher)
    services.review_publish(review=review, user=second_publisher)


@pytest.mark.parametrize("reason", ["", "   "])
def test_sending_back_needs_a_reason_and_changes_nothing_without_one(editor, publisher, reason):
    review = ready(by=editor)
    entries = AuditEntry.objects.count()

    with pytest.raises(services.WorkflowError, match="reason"):
        services.review_reject(review=review, user=publisher, reason=reason)

    review.refresh_from_db()
    assert review.status == Status.READY and review.rejection_reason == ""
    assert AuditEntry.objects.count() == entries


def test_sending_back_returns_the_review_to_draft_with_the_reason_for_its_author(editor, publisher):
    review = ready(by=editor)

    review = services.review_reject(
        review=review, user=publisher, reason="The chronology misses the 2015 referral."
    )

    assert review.status == Status.DRAFT
    assert review.rejection_reason == "The chronology misses the 2015 referral."
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.REJECTED).get()
    assert entry.details["reason"] == "The chronology misses the 2015 referral."


def test_only_a_review_ready_for_sign_off_can_be_published(editor, publisher):
    review = draft(by=editor)

    with pytest.raises(services.WorkflowError, match="ready for sign-off"):
        services.review_publish(review=review, user=publisher)


def test_withdrawal_needs_a_reason(editor, publisher):
    review = published(by=editor, publisher=publisher)

    with pytest.raises(services.WorkflowError, match="reason"):
        services.review_withdraw(review=review, user=publisher, reason=" ")

    assert live_copy(review).status == Status.PUBLISHED


def test_a_withdrawn_review_answers_410_with_a_notice_and_leaves_every_list(
    client, editor, publisher
):
    review = published(by=editor, publisher=publisher, title="Child W", slug="child-w")
    point_title = review.learning_points.first().title

    services.review_withdraw(
        review=review,
        user=publisher,
        reason="The family recognised themselves.",
        public_notice="Withdrawn at the family's request.",
    )

    response = client.get("/reviews/child-w/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "Child W" in html and "Withdrawn at the family" in html
    assert review.board.name in html
    assert "The family recognised themselves" not in html  # staff-only reason
    assert "The child was found injured" not in html  # no case content
    for url in public_urls():
        page = client.get(url).content.decode()
        assert "Child W" not in page and point_title not in page, url
    assert not Review.objects.published().exists()
    review.refresh_from_db()
    assert review.status == Status.WITHDRAWN
    assert review.withdrawal_reason == "The family recognised themselves."


def test_an_address_that_never_was_public_is_still_404(client, editor):
    draft(by=editor, slug="never-public")

    assert client.get("/reviews/never-public/").status_code == 404


def test_a_scheduled_review_appears_at_its_go_live_second_and_not_before(client, editor, publisher):
    review = ready(by=editor, title="Child G", slug="child-g")
    go_live = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)

    services.review_publish(review=review, user=publisher, go_live_at=go_live)

    def at(moment):
        return mock.patch("django.utils.timezone.now", return_value=moment)

    with at(go_live - datetime.timedelta(seconds=1)):
        assert not Review.objects.published().filter(slug="child-g").exists()
        assert client.get("/reviews/child-g/").status_code == 404
        assert "Child G" not in client.get(reverse("reviews:list")).content.decode()
    with at(go_live):
        assert Review.objects.published().filter(slug="child-g").exists()
    with at(go_live + datetime.timedelta(seconds=1)):
        assert client.get("/reviews/child-g/").status_code == 200
        assert "Child G" in client.get(reverse("reviews:list")).content.decode()


def test_a_schedule_can_be_cancelled_and_the_review_waits_for_sign_off_again(
    client, editor, publisher
):
    review = ready(by=editor, slug="child-x")
    services.review_publish(
        review=review, user=publisher, go_live_at=timezone.now() + datetime.timedelta(hours=1)
    )

    review = services.review_cancel_schedule(review=review, user=publisher)

    assert review.status == Status.READY
    assert not Review.objects.filter(working_copy=review).exists()
    with mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(hours=2)
    ):
        assert client.get("/reviews/child-x/").status_code == 404


def test_a_public_review_cannot_be_rescheduled_into_the_future(editor, publisher):
    review = published(by=editor, publisher=publisher)
    review = edit(review, by=editor, title="New title")
    services.review_submit(review=review, user=editor)

    with pytest.raises(services.WorkflowError, match="already public"):
        services.review_publish(
            review=review, user=publisher, go_live_at=timezone.now() + datetime.timedelta(days=1)
        )


def test_a_review_leaves_the_site_after_its_keep_published_until_date(client, editor, publisher):
    review = draft(by=editor, slug="child-k")
    edit(review, by=editor, keep_published_until=datetime.date(2030, 1, 31))
    services.review_submit(review=review, user=editor)
    services.review_publish(review=review, user=publisher)

    with mock.patch(
        "django.utils.timezone.now",
        return_value=datetime.datetime(2030, 1, 31, 23, 0, tzinfo=datetime.UTC),
    ):
        assert client.get("/reviews/child-k/").status_code == 200
    with mock.patch(
        "django.utils.timezone.now",
        return_value=datetime.datetime(2030, 2, 1, 1, 0, tzinfo=datetime.UTC),
    ):
        assert client.get("/reviews/child-k/").status_code == 410


def test_improvements_only_leaves_the_case_summary_and_chronology_out_of_the_live_copy(
    client, editor, publisher
):
    review = draft(by=editor, slug="child-i", events=2)
    edit(review, by=editor, improvements_only=True, summary="Secret case detail.")
    services.review_submit(review=review, user=editor)
    services.review_publish(review=review, user=publisher)

    live = live_copy(review)
    assert live.summary == "" and live.chronology_events.count() == 0
    assert live.learning_points.count() == 2 and live.recommendations.count() == 2
    html = client.get("/reviews/child-i/").content.decode()
    assert "Secret case detail" not in html and "Chronology" not in html
    assert "Key Learning" in html and "Recommendations" in html
    review.refresh_from_db()
    assert review.summary == "Secret case detail." and review.chronology_events.count() == 2


def test_publishing_fills_in_the_published_date_of_the_live_copy_only(editor, publisher):
    review = ready(by=editor)

    services.review_publish(review=review, user=publisher)

    assert live_copy(review).published_on == timezone.localdate()
    review.refresh_from_db()
    assert review.published_on is None


def test_people_without_the_permission_are_refused_and_nothing_changes(editor):
    stranger = user_in(None, "stranger")
    review = ready(by=editor)

    for call in (
        lambda: services.review_publish(review=review, user=editor),
        lambda: services.review_reject(review=review, user=editor, reason="No"),
        lambda: services.review_submit(review=review, user=stranger),
        lambda: services.preview_link_create(review=review, user=editor),
    ):
        with pytest.raises(PermissionDenied):
            call()
    review.refresh_from_db()
    assert review.status == Status.READY


def test_each_state_change_writes_one_audit_entry(editor, publisher):
    review = published(by=editor, publisher=publisher)
    services.review_withdraw(review=review, user=publisher, reason="Test")

    actions = list(
        AuditEntry.objects.filter(review_id=review.pk)
        .order_by("created_at", "id")
        .values_list("action", "user_name")
    )

    assert actions == [
        ("created", "edith"),
        ("submitted", "edith"),
        ("published", "percy"),
        ("withdrawn", "percy"),
    ]


def test_submitting_emails_the_publishers_once_and_not_the_submitter(
    editor, publisher, second_publisher, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_BASE_URL = "https://portal.example.org/"
    user_in("Publisher", "no-staff", email="outsider@example.org", is_staff=False)
    review = draft(by=editor, title="Child M")

    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(review=review, user=editor)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Child M" in message.subject
    assert sorted(message.bcc) == ["paula@example.org", "percy@example.org"]
    assert "outsider@example.org" not in message.bcc + message.to
    assert f"https://portal.example.org/admin/reviews/review/{review.pk}/change/" in message.body


def test_the_author_is_emailed_the_reason_when_sent_back_and_when_published(
    editor, publisher, django_capture_on_commit_callbacks
):
    review = ready(by=editor)

    with django_capture_on_commit_callbacks(execute=True):
        services.review_reject(review=review, user=publisher, reason="Check the dates.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].bcc == ["edith@example.org"]
    assert "Check the dates." in mail.outbox[0].body

    services.review_submit(review=review, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_publish(review=review, user=publisher)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Published:")
    assert mail.outbox[1].bcc == ["edith@example.org"]


def test_make_live_publishes_an_imported_review_without_sign_off(client):
    review = draft(by=superuser(), slug="imported")

    services.review_make_live(review=review, note="Imported from imported.md")

    assert client.get("/reviews/imported/").status_code == 200
    assert AuditEntry.objects.filter(action="imported-live", review_id=review.pk).exists()


def test_a_slug_still_used_by_another_live_review_is_refused_with_a_message(editor, publisher):
    first = published(by=editor, publisher=publisher, slug="shared")
    edit(first, by=editor, slug="renamed")  # the live copy keeps "shared" until republished
    second = draft(by=editor, slug="second")
    edit(second, by=editor, slug="shared")
    services.review_submit(review=second, user=editor)

    with pytest.raises(services.WorkflowError, match="still uses the address"):
        services.review_publish(review=second, user=publisher)
