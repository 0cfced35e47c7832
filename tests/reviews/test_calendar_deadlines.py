"""A review's statutory deadlines and what is due across reviews (reviews/calendar/deadlines.py)."""

import datetime

import pytest

from reviews.calendar.deadlines import State, deadlines_due, deadlines_for_review
from reviews.models import Board, ClosureDay
from tests.factories import BoardFactory, ReviewFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def by_key(review, today):
    return {deadline.key: deadline for deadline in deadlines_for_review(review=review, today=today)}


def test_each_deadline_has_its_date_the_actual_date_and_whether_it_was_met():
    review = ReviewFactory(
        incident_known_on=D(2025, 12, 19),
        panel_notified_on=D(2025, 12, 30),
        sent_to_panel_on=D(2025, 12, 19),
        published_on=D(2026, 1, 5),
    )

    deadlines = by_key(review, today=D(2026, 1, 20))

    panel = deadlines["panel_notified"]
    assert (panel.date_text, panel.actual_text, panel.state) == (
        "Tuesday 30 December 2025",
        "Tuesday 30 December 2025",
        State.MET,
    )
    rapid = deadlines["rapid_review"]
    assert (rapid.date_text, rapid.actual, rapid.state, rapid.overdue) == (
        "Wednesday 14 January 2026",
        None,
        State.MISSED,
        True,
    )
    assert rapid.state_text == "missed: nothing recorded, 6 days overdue"
    earliest = deadlines["earliest_publication"]
    assert (earliest.date_text, earliest.state) == ("Friday 2 January 2026", State.MET)
    keep = deadlines["keep_published"]
    assert (keep.date_text, keep.state) == ("Tuesday 5 January 2027", State.DUE)


def test_a_deadline_is_not_yet_known_until_the_date_it_counts_from_is():
    review = ReviewFactory(draft=True)

    deadlines = by_key(review, today=D(2026, 1, 20))

    assert {deadline.state for deadline in deadlines.values()} == {State.NOT_YET_KNOWN}
    assert deadlines["panel_notified"].date_text == "not yet known"


def test_late_dates_are_missed_and_early_publication_is_missed_too():
    review = ReviewFactory(
        nation="scotland",
        incident_known_on=D(2025, 12, 19),
        panel_notified_on=D(2026, 1, 2),
        rapid_review_sent_on=D(2026, 1, 9),
        sent_to_panel_on=D(2025, 12, 19),
        published_on=D(2026, 1, 2),
        keep_published_until=D(2026, 6, 30),
    )

    deadlines = by_key(review, today=D(2026, 1, 20))

    assert deadlines["panel_notified"].date == D(2025, 12, 30)
    assert deadlines["panel_notified"].state == State.MISSED
    assert not deadlines["panel_notified"].overdue
    assert deadlines["rapid_review"].state == State.MET
    # Scotland keeps 2 January: the spec's example, Monday 5 January 2026.
    assert deadlines["earliest_publication"].date == D(2026, 1, 5)
    assert deadlines["earliest_publication"].state == State.MISSED
    assert deadlines["keep_published"].state == State.MISSED


def test_the_boards_own_rules_and_closure_days_are_used():
    board = BoardFactory(panel_notice_working_days=3)
    ClosureDay.objects.create(board=board, date=D(2025, 12, 22), reason="Council closure")
    review = ReviewFactory(board=board, draft=True, incident_known_on=D(2025, 12, 19))

    panel = by_key(review, today=D(2025, 12, 20))["panel_notified"]

    # 23, 24, then 29 December: the 22nd is closed, the 25th and 26th are bank holidays.
    assert panel.date == D(2025, 12, 29)
    assert panel.rule == "within 3 working days after the incident was known"
    assert panel.state == State.DUE


def test_what_is_due_lists_overdue_first_then_due_soonest_first():
    ReviewFactory(title="Late", draft=True, incident_known_on=D(2026, 1, 2))
    ReviewFactory(title="Soon", draft=True, incident_known_on=D(2026, 1, 19))
    done = {"panel_notified_on": D(2026, 1, 20), "rapid_review_sent_on": D(2026, 1, 20)}
    ReviewFactory(title="Done", draft=True, incident_known_on=D(2026, 1, 19), **done)

    due = deadlines_due(today=D(2026, 1, 20))

    rows = [(d.review.title, d.key, d.overdue) for d in due.deadlines]
    assert rows == [
        ("Late", "panel_notified", True),  # Friday 9 January
        ("Late", "rapid_review", False),  # Friday 23 January
        ("Soon", "panel_notified", False),  # Monday 26 January
        ("Soon", "rapid_review", False),  # Monday 9 February
    ]
    assert (due.total, due.overdue_count) == (4, 1)


def test_what_is_due_filters_by_board_and_nation():
    board = BoardFactory()
    ReviewFactory(title="Here", board=board, draft=True, incident_known_on=D(2026, 1, 19))
    ReviewFactory(title="Wales", nation="wales", draft=True, incident_known_on=D(2026, 1, 19))

    def titles(**filters) -> set[str]:
        due = deadlines_due(today=D(2026, 1, 20), **filters)
        return {deadline.review.title for deadline in due.deadlines}

    assert titles(board=board) == {"Here"}
    assert titles(nation="wales") == {"Wales"}
    assert titles(board=board, nation="wales") == set()


@pytest.mark.parametrize("count", [3, 12])
def test_what_is_due_reads_a_fixed_number_of_queries_however_many_reviews(
    count, django_assert_num_queries
):
    for number in range(count):
        ReviewFactory(
            board=BoardFactory(name=f"Board {number % 4}"),
            nation=["england", "scotland"][number % 2],
            incident_known_on=D(2026, 1, 2),
            sent_to_panel_on=D(2026, 1, 12),
            published_on=D(2026, 1, 19),
        )

    with django_assert_num_queries(2):
        due = deadlines_due(today=D(2026, 1, 20))

    assert due.total == 3 * count
    assert Board.objects.count() == min(count, 4)


def test_the_demo_baby_c_shows_deadlines_met_and_missed():
    from django.core.management import call_command

    from reviews.models import Review

    call_command("load_demo", stdout=None)
    baby_c = Review.objects.working_copies().get(slug="baby-c")

    states = {d.key: d.state for d in deadlines_for_review(review=baby_c, today=D(2026, 12, 4))}

    assert states == {
        "panel_notified": State.MET,
        "rapid_review": State.MISSED,  # sent Friday 10 July 2015; due Monday 6 July
        "earliest_publication": State.MET,
        "keep_published": State.MET,
    }
