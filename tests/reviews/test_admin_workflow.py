"""The publishing panel in the admin: the right buttons, clear messages, no inline code."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reviews.models import Review
from tests.reviews.test_admin import inline_data
from tests.reviews.workflow_helpers import draft, live_copy, published, ready, user_in

pytestmark = pytest.mark.django_db


def panel(client, review) -> str:
    html = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    match = re.search(r'<section class="workflow-panel".*?</section>', html, re.S)
    assert match, "no publishing panel"
    return match.group(0)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_editor_sees_submit_but_no_publishing_buttons(client, editor):
    review = draft(by=editor)
    client.force_login(editor)

    html = panel(client, review)

    assert 'value="Submit for sign-off"' in html
    assert "Sign off and publish" not in html and "Send back" not in html
    assert "Withdraw" not in html and "Preview link" not in html


def test_a_publisher_sees_sign_off_send_back_and_preview_link_for_a_ready_review(
    client, editor, publisher
):
    review = ready(by=editor)
    client.force_login(publisher)

    html = panel(client, review)

    assert "Sign off and publish revision 1" in html
    assert 'value="Send back"' in html and 'type="datetime-local"' in html
    assert "Create preview link" in html
    assert "four eyes" not in html


def test_the_panel_warns_a_publisher_who_saved_the_latest_version(client, publisher):
    review = ready(by=publisher)
    client.force_login(publisher)

    assert "another publisher must sign it off (four eyes)" in panel(client, review)


def test_the_panel_has_no_inline_script_or_style_for_the_content_security_policy(
    client, editor, publisher
):
    review = ready(by=editor)
    client.force_login(publisher)

    response = client.get(reverse("admin:reviews_review_change", args=[review.pk]))
    html = panel(client, review)

    assert "style=" not in html and "<script" not in html and "onclick" not in html
    assert "reviews/admin/workflow.css" in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_sending_back_without_a_reason_says_so_and_changes_nothing(client, editor, publisher):
    review = ready(by=editor)
    client.force_login(publisher)

    response = client.post(
        reverse("admin:reviews_review_reject", args=[review.pk]), {"reason": "  "}
    )

    assert response.status_code == 302
    assert any("reason" in message for message in messages_of(response))
    review.refresh_from_db()
    assert review.status == Review.Status.READY


def test_the_author_sees_why_their_review_was_sent_back(client, editor, publisher):
    review = ready(by=editor)
    client.force_login(publisher)
    client.post(
        reverse("admin:reviews_review_reject", args=[review.pk]),
        {"reason": "The learning points need themes."},
    )

    client.force_login(editor)

    html = panel(client, review)
    assert "Sent back by a publisher" in html and "The learning points need themes." in html
    assert 'value="Submit for sign-off"' in html


def test_scheduling_from_the_admin_shows_the_time_and_offers_to_cancel(client, editor, publisher):
    review = ready(by=editor)
    client.force_login(publisher)
    go_live = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )

    response = client.post(
        reverse("admin:reviews_review_publish", args=[review.pk]),
        {"go_live_at": go_live.strftime("%Y-%m-%dT%H:%M")},
    )

    assert any("goes public on" in message for message in messages_of(response))
    assert live_copy(review).go_live_at == go_live
    html = panel(client, review)
    assert f"scheduled to go public on {go_live:%-d %B %Y at 09:30}" in html
    assert 'value="Cancel the schedule"' in html

    client.post(reverse("admin:reviews_review_cancel_schedule", args=[review.pk]))
    assert not Review.objects.filter(working_copy=review).exists()


def test_a_go_live_time_that_is_not_a_date_is_refused_with_a_message(client, editor, publisher):
    review = ready(by=editor)
    client.force_login(publisher)

    response = client.post(
        reverse("admin:reviews_review_publish", args=[review.pk]), {"go_live_at": "next week"}
    )

    assert any("valid date" in message for message in messages_of(response))
    assert not Review.objects.filter(working_copy=review).exists()


def test_withdrawing_from_the_admin_takes_the_page_down_with_the_public_notice(
    client, editor, publisher, second_publisher
):
    review = published(by=editor, publisher=second_publisher, slug="child-d")
    client.force_login(publisher)

    client.post(
        reverse("admin:reviews_review_withdraw", args=[review.pk]),
        {"reason": "Identifiable.", "public_notice": "Withdrawn by the board in 2026."},
    )

    client.logout()
    response = client.get("/reviews/child-d/")
    assert response.status_code == 410
    assert "Withdrawn by the board in 2026." in response.content.decode()


def test_status_cannot_be_changed_by_editing_the_form(client, editor):
    review = draft(by=editor)
    client.force_login(editor)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = inline_data(review, client.get(url))
    data["status"] = "published"

    client.post(url, data)

    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    assert not Review.objects.published().exists()


def test_saving_warns_about_statutory_dates(client, editor):
    review = draft(by=editor)
    client.force_login(editor)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = inline_data(review, client.get(url))
    data["published_on"] = "2026-03-06"  # a Friday
    data["sent_to_panel_on"] = "2026-03-02"  # the Monday: only 4 working days before
    data["keep_published_until"] = "2026-12-31"

    response = client.post(url, data, follow=True)

    text = " ".join(messages_of(response))
    assert "less than 7 working days" in text and "earliest is Wednesday 11 March 2026" in text
    assert "less than 12 months after publication" in text and "Saturday 6 March 2027" in text


def test_dates_that_meet_the_statutory_minimums_give_no_warning(client, editor):
    review = draft(by=editor)
    client.force_login(editor)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = inline_data(review, client.get(url))
    data["published_on"] = "2026-03-11"
    data["sent_to_panel_on"] = "2026-03-02"
    data["keep_published_until"] = "2027-03-11"

    response = client.post(url, data, follow=True)

    assert not [m for m in messages_of(response) if "working days" in m or "12 months" in m]


def test_a_new_review_added_in_the_admin_gets_its_first_revision(client, editor):
    from reviews.models import ReviewRevision
    from tests.factories import BoardFactory, review_type

    client.force_login(editor)
    url = reverse("admin:reviews_review_add")
    data = inline_data(None, client.get(url))
    data.update(
        title="Baby N",
        slug="baby-n",
        review_type=review_type().pk,
        board=BoardFactory().pk,
        nation="england",
        child_pseudonym="Baby N",
        child_sex="not-stated",
        child_age_text="3 months",
        child_outcome="died",
        summary="A summary.",
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    review = Review.objects.get(slug="baby-n")
    assert review.status == Review.Status.DRAFT and not review.is_live
    assert ReviewRevision.objects.get(review=review).created_by == editor


def test_saving_a_learning_point_on_its_own_page_is_a_revision_of_its_review(client, editor):
    from reviews.models import LearningPoint, ReviewRevision

    review = draft(by=editor)
    point = LearningPoint.objects.filter(review=review).first()
    url = reverse("admin:learning_learningpoint_change", args=[point.pk])
    client.force_login(editor)
    data = inline_data(None, client.get(url))
    data["title"] = "Renamed learning point"

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    latest = ReviewRevision.objects.filter(review=review).latest()
    assert latest.number == 2
    titles = [row["title"] for row in latest.snapshot["review"]["learning_points"]]
    assert "Renamed learning point" in titles


def test_a_stale_learning_point_save_is_refused_too(client, editor):
    from reviews.models import LearningPoint
    from tests.reviews.workflow_helpers import edit

    review = draft(by=editor)
    point = LearningPoint.objects.filter(review=review).first()
    url = reverse("admin:learning_learningpoint_change", args=[point.pk])
    client.force_login(editor)
    data = inline_data(None, client.get(url))
    edit(review, by=user_in("Editor", "other"), title="Someone else's save")
    data["title"] = "My rename"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "changed this review after you opened it" in response.content.decode()
    point.refresh_from_db()
    assert point.title != "My rename"
