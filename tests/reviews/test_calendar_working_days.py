"""Working days of each UK nation, less a board's closure days (reviews/calendar/)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from reviews.calendar import services
from reviews.calendar.working_days import (
    WorkingCalendar,
    bank_holidays,
    calendar_for,
    calendars_for,
    long_date,
)
from reviews.models import ClosureDay
from reviews.records import WorkflowError
from tests.factories import BoardFactory

D = datetime.date


@pytest.mark.parametrize(
    ("nation", "start", "days", "expected"),
    [
        # The spec's examples (specs/action-plan.md, "Working days").
        ("england", D(2025, 12, 19), 7, D(2026, 1, 2)),
        ("scotland", D(2025, 12, 19), 7, D(2026, 1, 5)),
        ("england", D(2025, 3, 13), 5, D(2025, 3, 20)),
        ("northern-ireland", D(2025, 3, 13), 5, D(2025, 3, 21)),
        # Wales keeps England's bank holidays; Easter Monday is not one in Scotland.
        ("wales", D(2025, 12, 19), 7, D(2026, 1, 2)),
        ("england", D(2025, 4, 17), 1, D(2025, 4, 22)),
        ("scotland", D(2025, 4, 17), 1, D(2025, 4, 21)),
        # The Twelfth (observed on Monday 14 July 2025) in Northern Ireland only.
        ("northern-ireland", D(2025, 7, 11), 1, D(2025, 7, 15)),
        ("england", D(2025, 7, 11), 1, D(2025, 7, 14)),
    ],
)
def test_n_working_days_after_a_date_count_from_the_first_working_day_after_it(
    nation, start, days, expected
):
    assert WorkingCalendar(nation=nation).add_working_days(start, days) == expected


def test_counting_starts_after_the_date_even_when_the_date_is_a_holiday():
    christmas = D(2025, 12, 25)

    assert WorkingCalendar(nation="england").add_working_days(christmas, 1) == D(2025, 12, 29)


def test_zero_working_days_after_a_date_is_the_date_itself():
    assert WorkingCalendar(nation="england").add_working_days(D(2025, 12, 25), 0) == D(2025, 12, 25)


def test_a_negative_or_huge_count_is_refused_with_a_message():
    calendar = WorkingCalendar(nation="england")
    with pytest.raises(ValueError, match="between 0 and"):
        calendar.add_working_days(D(2025, 1, 1), -1)
    with pytest.raises(ValueError, match="between 0 and"):
        calendar.add_working_days(D(2025, 1, 1), 10**6)


def test_an_unknown_nation_is_refused_naming_the_ones_it_knows():
    with pytest.raises(ValueError, match="unknown nation 'france'.*england, wales"):
        bank_holidays("france", 2025)


def test_bank_holidays_are_computed_once_per_nation_and_year():
    bank_holidays.cache_clear()
    calendar = WorkingCalendar(nation="scotland")
    for _ in range(3):
        calendar.add_working_days(D(2025, 12, 19), 30)

    info = bank_holidays.cache_info()
    assert (info.misses, info.currsize) == (2, 2)  # 2025 and 2026


def test_skipped_days_name_each_holiday():
    calendar = WorkingCalendar(nation="scotland", closures=frozenset({D(2025, 12, 24)}))

    assert calendar.skipped(D(2025, 12, 19), D(2026, 1, 5)) == [
        (D(2025, 12, 24), "board closure day"),
        (D(2025, 12, 25), "Christmas Day"),
        (D(2025, 12, 26), "Boxing Day"),
        (D(2026, 1, 1), "New Year's Day"),
        (D(2026, 1, 2), "New Year Holiday"),
    ]


def test_dates_are_written_as_people_write_them():
    assert long_date(D(2026, 1, 2)) == "Friday 2 January 2026"


@pytest.mark.django_db
def test_a_boards_closure_day_is_not_a_working_day_for_its_reviews_only(superuser):
    board, other = BoardFactory(), BoardFactory()
    services.closure_day_save(
        closure_day=ClosureDay(board=board, date=D(2025, 12, 22), reason="Council closure"),
        user=superuser,
    )

    # Monday 22 December is closed: 7 working days after Friday 19 December land a day later.
    assert calendar_for(nation="england", board_id=board.pk).add_working_days(
        D(2025, 12, 19), 7
    ) == D(2026, 1, 5)
    assert calendar_for(nation="england", board_id=other.pk).add_working_days(
        D(2025, 12, 19), 7
    ) == D(2026, 1, 2)


@pytest.mark.django_db
def test_calendars_for_many_boards_read_closure_days_in_one_query(django_assert_num_queries):
    boards = [BoardFactory() for _ in range(5)]
    for board in boards:
        ClosureDay.objects.create(board=board, date=D(2025, 12, 22), reason="Closed")

    with django_assert_num_queries(1):
        calendars = calendars_for(
            [(nation, board.pk) for board in boards for nation in ("england", "wales")]
        )

    assert len(calendars) == 10
    assert all(D(2025, 12, 22) in calendar.closures for calendar in calendars.values())


@pytest.mark.django_db
def test_a_second_closure_day_on_the_same_date_is_refused_with_a_clear_message(superuser):
    board = BoardFactory()
    services.closure_day_save(
        closure_day=ClosureDay(board=board, date=D(2025, 12, 22), reason="Council closure"),
        user=superuser,
    )

    with pytest.raises(WorkflowError, match="already has a closure day on that date"):
        services.closure_day_save(
            closure_day=ClosureDay(board=board, date=D(2025, 12, 22), reason="Again"),
            user=superuser,
        )
    assert ClosureDay.objects.count() == 1


@pytest.mark.django_db
def test_editors_may_not_add_closure_days_and_publishers_may(editor, publisher):
    board = BoardFactory()
    day = ClosureDay(board=board, date=D(2025, 12, 22), reason="Council closure")

    with pytest.raises(PermissionDenied):
        services.closure_day_save(closure_day=day, user=editor)
    services.closure_day_save(closure_day=day, user=publisher)
    services.closure_day_delete(closure_day=day, user=publisher)

    assert not ClosureDay.objects.exists()


def test_the_quick_count_agrees_with_counting_day_by_day_for_every_nation_and_start():
    calendar_closures = frozenset({D(2025, 12, 22), D(2026, 1, 5), D(2026, 12, 29)})

    def by_hand(calendar, start, days):
        current = start
        while days:
            current += datetime.timedelta(days=1)
            if calendar.is_working_day(current):
                days -= 1
        return current

    for nation in ("england", "wales", "scotland", "northern-ireland"):
        calendar = WorkingCalendar(nation=nation, closures=calendar_closures)
        for offset in range(0, 730, 3):
            start = D(2025, 1, 1) + datetime.timedelta(days=offset)
            for days in (0, 1, 4, 5, 7, 15, 31):
                assert calendar.add_working_days(start, days) == by_hand(calendar, start, days), (
                    nation,
                    start,
                    days,
                )
