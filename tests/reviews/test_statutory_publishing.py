"""Publishing and the statutory calendar: the earliest publication date needs confirming, and
the statutory dates never leave the staff side (reviews/publishing/, reviews/calendar/)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.calendar.working_days import long_date, review_calendar
from reviews.models import AuditEntry, Review
from reviews.publishing import services
from tests.reviews.test_admin_workflow import messages_of, panel
from tests.reviews.workflow_helpers import draft, edit, live_copy, ready

pytestmark = pytest.mark.django_db

STATUTORY = {
    "incident_known_on": datetime.date(2025, 11, 3),
    "panel_notified_on": datetime.date(2025, 11, 7),
    "rapid_review_sent_on": datetime.date(2025, 11, 21),
    "sent_to_panel_on": datetime.date(2025, 12, 19),
}


def sent_today(editor) -> tuple[Review, datetime.date]:
    """A review ready for sign-off whose report went to the Panel today, and its earliest
    publication date (7 working days on)."""
    today = timezone.localdate()
    review = ready(by=editor, sent_to_panel_on=today)
    return review, review_calendar(review).add_working_days(today, 7)


def test_publishing_before_the_earliest_date_is_refused_naming_the_date(editor, publisher):
    review, earliest = sent_today(editor)

    with pytest.raises(services.WorkflowError) as refused:
        services.review_publish(review=review, user=publisher)

    message = " ".join(refused.value.messages)
    assert f"The earliest publication date of this review is {long_date(earliest)}" in message
    assert "confirm that you mean to publish early" in message
    review.refresh_from_db()
    assert review.status == Review.Status.READY
    assert not Review.objects.filter(is_live=True).exists()


def test_publishing_early_with_confirmation_publishes_and_the_audit_says_so(editor, publisher):
    review, earliest = sent_today(editor)

    services.review_publish(review=review, user=publisher, confirm_early=True)

    assert Review.objects.published().filter(working_copy=review).exists()
    entry = AuditEntry.objects.get(review=review, action=AuditEntry.Action.PUBLISHED)
    assert entry.details["before_earliest_publication"] == earliest.isoformat()


def test_a_go_live_time_on_the_earliest_date_needs_no_confirmation(editor, publisher):
    review, earliest = sent_today(editor)
    go_live_at = timezone.make_aware(datetime.datetime.combine(earliest, datetime.time(9)))

    services.review_publish(review=review, user=publisher, go_live_at=go_live_at)

    assert live_copy(review).go_live_at == go_live_at


def test_a_review_sent_to_the_panel_long_ago_publishes_without_confirmation(editor, publisher):
    review = ready(by=editor, sent_to_panel_on=datetime.date(2025, 12, 19))

    services.review_publish(review=review, user=publisher)

    assert Review.objects.published().filter(working_copy=review).exists()


def test_the_publish_form_shows_the_earliest_date_and_asks_for_confirmation(
    client, editor, publisher
):
    review, earliest = sent_today(editor)
    client.force_login(publisher)

    html = panel(client, review)

    assert f"Earliest publication date: {long_date(earliest)}" in html
    assert 'name="confirm_early"' in html


def test_the_publish_button_without_the_box_ticked_publishes_nothing_and_says_why(
    client, editor, publisher
):
    review, earliest = sent_today(editor)
    client.force_login(publisher)
    url = reverse("admin:reviews_review_publish", args=[review.pk])

    response = client.post(url, {"note": ""}, follow=True)

    assert any(long_date(earliest) in message for message in messages_of(response))
    assert not Review.objects.filter(is_live=True).exists()

    response = client.post(url, {"note": "", "confirm_early": "on"}, follow=True)

    assert "Signed off and published." in messages_of(response)
    assert Review.objects.published().filter(working_copy=review).exists()


def test_statutory_dates_stay_on_the_working_copy_and_out_of_every_public_output(
    client, editor, publisher
):
    review = ready(by=editor, slug="child-s", **STATUTORY)
    services.review_publish(review=review, user=publisher)

    live = live_copy(review)
    assert all(getattr(live, name) is None for name in Review.STATUTORY_FIELDS)
    review.refresh_from_db()
    assert review.incident_known_on == STATUTORY["incident_known_on"]
    public = [
        client.get("/reviews/child-s/"),
        client.get(reverse("api_review_detail", args=["child-s"])),
        client.get(reverse("api_review_list")),
        client.get(reverse("feed_reviews")),
        client.get("/search/?q=child"),
    ]
    for response in public:
        assert response.status_code == 200, response
        text = response.content.decode()
        for day in STATUTORY.values():
            for written in (day.isoformat(), f"{day.day} {day:%B %Y}", f"{day:%d/%m/%Y}"):
                assert written not in text, (response.wsgi_request.path, written)


def test_restoring_an_edit_keeps_the_statutory_dates_on_the_working_copy(editor, publisher):
    review = draft(by=editor, **STATUTORY)

    review = edit(review, by=editor, panel_notified_on=datetime.date(2025, 11, 10))

    assert review.panel_notified_on == datetime.date(2025, 11, 10)
    assert review.sent_to_panel_on == STATUTORY["sent_to_panel_on"]


def test_an_update_to_a_public_review_is_not_held_back_by_the_earliest_date(
    client, editor, publisher
):
    from tests.reviews.workflow_helpers import published

    review = published(by=editor, publisher=publisher)
    review = edit(review, by=editor, sent_to_panel_on=timezone.localdate())
    services.review_submit(review=review, user=editor)
    client.force_login(publisher)

    assert 'name="confirm_early"' not in panel(client, review)
    services.review_publish(review=review, user=publisher, note="Corrected a date")

    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED
