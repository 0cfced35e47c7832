"""The statutory calendar in the admin: a review's deadlines panel, /admin/deadlines/ and
board closure days (reviews/admin/calendar.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import ClosureDay
from tests.factories import BoardFactory, ReviewFactory
from tests.reviews.workflow_helpers import draft, user_in

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/admin/deadlines/"


def test_a_reviews_page_shows_its_statutory_deadlines(client, editor):
    review = draft(
        by=editor,
        incident_known_on=D(2025, 12, 19),
        panel_notified_on=D(2025, 12, 30),
        sent_to_panel_on=D(2025, 12, 19),
    )
    client.force_login(editor)

    html = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()

    assert "Statutory deadlines" in html
    assert "Tuesday 30 December 2025" in html  # Panel notified: due and done that day
    assert "Friday 2 January 2026" in html  # earliest publication
    assert "Thursday 25 December 2025 (Christmas Day)" in html  # said why it was not counted
    assert "<strong>met</strong>" in html


def test_the_statutory_dates_are_edited_in_their_own_fieldset_and_refused_out_of_order(
    client, editor
):
    from tests.reviews.test_admin import inline_data

    review = draft(by=editor)
    client.force_login(editor)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = inline_data(review, client.get(url))
    data["incident_known_on"] = "2025-11-03"
    data["panel_notified_on"] = "2025-11-01"

    response = client.post(url, data)

    assert response.status_code == 200  # the form again, with the message
    assert "the Panel cannot be notified of an incident before it was known" in (
        response.content.decode()
    )
    review.refresh_from_db()
    assert review.incident_known_on is None


def test_an_impossible_date_in_the_form_gets_a_clear_message(client, editor):
    from tests.reviews.test_admin import inline_data

    review = draft(by=editor)
    client.force_login(editor)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = inline_data(review, client.get(url))
    data["sent_to_panel_on"] = "2025-02-30"

    response = client.post(url, data)

    assert "Enter a valid date." in response.content.decode()


def test_the_deadlines_page_lists_overdue_first_for_staff(client, editor):
    today = timezone.localdate()
    ReviewFactory(title="Late one", draft=True, incident_known_on=today - datetime.timedelta(60))
    ReviewFactory(title="New one", draft=True, incident_known_on=today)
    client.force_login(editor)

    html = client.get(URL).content.decode()

    assert html.index("Late one") < html.index("New one")
    assert "days overdue" in html


def test_the_deadlines_page_is_for_staff_only(client):
    assert client.get(URL).status_code == 302  # to the admin's sign-in page
    client.force_login(user_in(None, "no-role"))  # staff, but may not see reviews
    assert client.get(URL).status_code == 403


def test_the_deadlines_page_filters_by_board_and_nation(client, editor):
    today = timezone.localdate()
    board = BoardFactory(name="Coventry")
    ReviewFactory(title="Coventry one", board=board, draft=True, incident_known_on=today)
    ReviewFactory(title="Welsh one", nation="wales", draft=True, incident_known_on=today)
    client.force_login(editor)

    by_board = client.get(URL, {"board": board.pk}).content.decode()
    by_nation = client.get(URL, {"nation": "wales"}).content.decode()

    assert "Coventry one" in by_board and "Welsh one" not in by_board
    assert "Welsh one" in by_nation and "Coventry one" not in by_nation


def test_a_bad_filter_gets_a_clear_message_and_no_list(client, editor):
    ReviewFactory(title="Any one", draft=True, incident_known_on=timezone.localdate())
    client.force_login(editor)

    html = client.get(URL, {"nation": "france", "board": "99999"}).content.decode()

    assert "Please correct the filters below." in html
    assert "Select a valid choice." in html
    assert "Any one" not in html


def _queries_for_page(client, count: int) -> int:
    today = timezone.localdate()
    for number in range(count):
        ReviewFactory(
            board=BoardFactory(name=f"Board {number % 3}"),
            incident_known_on=today,
            sent_to_panel_on=today,
            published_on=today,
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_the_deadlines_page_reads_a_fixed_number_of_queries_however_many_reviews(client, editor):
    client.force_login(editor)
    client.get(URL)  # the session and permissions, read once

    few = _queries_for_page(client, 2)
    many = _queries_for_page(client, 20)

    assert few == many


def test_a_second_closure_day_on_a_date_is_refused_in_the_admin_form(client, publisher):
    board = BoardFactory()
    ClosureDay.objects.create(board=board, date=D(2025, 12, 22), reason="Council closure")
    client.force_login(publisher)

    response = client.post(
        reverse("admin:reviews_closureday_add"),
        {"board": board.pk, "date": "2025-12-22", "reason": "Again"},
    )

    assert response.status_code == 200
    assert "This board already has a closure day on that date." in response.content.decode()
    assert ClosureDay.objects.count() == 1


def test_a_publisher_adds_a_closure_day_in_the_admin(client, publisher):
    board = BoardFactory()
    client.force_login(publisher)

    response = client.post(
        reverse("admin:reviews_closureday_add"),
        {"board": board.pk, "date": "2025-12-22", "reason": "Council closure"},
    )

    assert response.status_code == 302
    assert ClosureDay.objects.get().date == D(2025, 12, 22)


def test_a_boards_timescales_are_its_own_and_zero_working_days_is_refused(client, superuser):
    board = BoardFactory(name="Belfast")
    client.force_login(superuser)
    url = reverse("admin:reviews_board_change", args=[board.pk])
    data = {
        "name": "Belfast",
        "slug": board.slug,
        "panel_notice_working_days": 0,
        "rapid_review_working_days": 10,
        "publication_wait_working_days": 7,
        "keep_published_months": 12,
    }

    refused = client.post(url, data)
    saved = client.post(url, {**data, "panel_notice_working_days": 4})

    assert "Ensure this value is greater than or equal to 1." in refused.content.decode()
    assert saved.status_code == 302
    board.refresh_from_db()
    assert (board.panel_notice_working_days, board.rapid_review_working_days) == (4, 10)


def test_the_admin_front_page_links_to_the_deadlines_for_staff_who_see_reviews(editor_client):
    page = editor_client.get("/admin/").content.decode()

    assert f'href="{reverse("admin_deadlines")}"' in page
