"""Working days: Monday to Friday, not a bank or public holiday of the review's nation, and not
a closure day its board entered.

Bank holidays come from the `holidays` package (its UK subdivisions ENG, WLS, SCT, NIR), never
a list of our own. They are computed once per (nation, year) per process and kept: they do not
change while the process runs. Closure days change in the admin, so they are read from the
database for each calculation (one query for any number of boards, `calendars_for`).
"""

import bisect
import datetime
import functools
import types
from collections.abc import Iterable
from dataclasses import dataclass, field

import holidays

from reviews.models import ClosureDay, Review

# Review.nation -> the `holidays` package's subdivision of GB (holidays.UK.subdivisions).
NATION_SUBDIVISIONS = {
    Review.Nation.ENGLAND: "ENG",
    Review.Nation.WALES: "WLS",
    Review.Nation.SCOTLAND: "SCT",
    Review.Nation.NORTHERN_IRELAND: "NIR",
}
# No deadline is further away than this: a bound on the day-by-day count, not a rule.
MAX_WORKING_DAYS = 1000


@functools.cache
def bank_holidays(nation: str, year: int) -> types.MappingProxyType[datetime.date, str]:
    """The bank and public holidays of `nation` in `year`: date -> name."""
    try:
        subdivision = NATION_SUBDIVISIONS[nation]
    except KeyError:
        known = ", ".join(NATION_SUBDIVISIONS)
        raise ValueError(f"unknown nation {nation!r}; expected one of {known}") from None
    # Read-only: every caller in the process shares this one mapping.
    return types.MappingProxyType(
        dict(holidays.country_holidays("GB", subdiv=subdivision, years=year))
    )


def holiday_name(nation: str, day: datetime.date) -> str:
    return bank_holidays(nation, day.year).get(day, "")


def add_weekdays(start: datetime.date, days: int) -> datetime.date:
    """`days` weekdays (Monday to Friday) after `start`, by arithmetic, not day by day."""
    weekday = start.weekday()
    if weekday >= 5:  # from a weekend, count as from the Friday before
        start -= datetime.timedelta(days=weekday - 4)
        weekday = 4
    weeks, rest = divmod(days, 5)
    if rest and weekday + rest >= 5:
        rest += 2  # across a weekend
    return start + datetime.timedelta(days=weeks * 7 + rest)


@dataclass(frozen=True)
class WorkingCalendar:
    """The working days of one nation, less one board's closure days."""

    nation: str
    closures: frozenset[datetime.date] = field(default_factory=frozenset)

    def is_working_day(self, day: datetime.date) -> bool:
        return (
            day.weekday() < 5
            and day not in bank_holidays(self.nation, day.year)
            and day not in self.closures
        )

    @functools.cached_property  # writes the instance's __dict__, which frozen allows
    def _days_off_by_year(self) -> dict[int, list[datetime.date]]:
        return {}

    def _days_off(self, year: int) -> list[datetime.date]:
        """The weekdays of `year` that are not working days, sorted."""
        found = self._days_off_by_year.get(year)
        if found is None:
            days = set(bank_holidays(self.nation, year))
            days.update(day for day in self.closures if day.year == year)
            found = sorted(day for day in days if day.weekday() < 5)
            self._days_off_by_year[year] = found
        return found

    def _days_off_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many weekdays after `start`, up to and including `end`, are days off."""
        return sum(
            bisect.bisect_right(days, end) - bisect.bisect_right(days, start)
            for days in (self._days_off(year) for year in range(start.year, end.year + 1))
        )

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The date `days` working days after `start`: counting starts with the first working
        day after `start`, so 7 working days after Friday 19 December 2025 in England is
        Friday 2 January 2026."""
        if not 0 <= days <= MAX_WORKING_DAYS:
            raise ValueError(f"days must be between 0 and {MAX_WORKING_DAYS}, not {days}")
        # Jump the weekdays at once, then as many more as there were days off among them,
        # until a jump passes none: a few steps, however far the deadline.
        current, remaining = start, days
        while remaining:
            end = add_weekdays(current, remaining)
            remaining = self._days_off_between(current, end)
            current = end
        return current

    def skipped(self, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, str]]:
        """Weekdays after `start` up to `end` that are not working days, with the reason: what
        a person counting on their fingers would otherwise count."""
        found = []
        current = start + datetime.timedelta(days=1)
        while current <= end:
            if current.weekday() < 5 and not self.is_working_day(current):
                reason = holiday_name(self.nation, current) or "board closure day"
                found.append((current, reason))
            current += datetime.timedelta(days=1)
        return found


def calendars_for(
    keys: Iterable[tuple[str, int | None]],
) -> dict[tuple[str, int | None], WorkingCalendar]:
    """A calendar for each (nation, board id), with the boards' closure days: one query."""
    keys = set(keys)
    board_ids = {board_id for _, board_id in keys if board_id is not None}
    closures: dict[int, set[datetime.date]] = {board_id: set() for board_id in board_ids}
    if board_ids:
        for board_id, day in ClosureDay.objects.filter(board_id__in=board_ids).values_list(
            "board_id", "date"
        ):
            closures[board_id].add(day)
    return {
        (nation, board_id): WorkingCalendar(
            nation=nation, closures=frozenset(closures.get(board_id, ()))
        )
        for nation, board_id in keys
    }


def calendar_for(*, nation: str, board_id: int | None) -> WorkingCalendar:
    return calendars_for([(nation, board_id)])[(nation, board_id)]


def review_calendar(review: Review) -> WorkingCalendar:
    """The calendar of a review's deadlines: its nation's holidays, its board's closures."""
    return calendar_for(nation=review.nation, board_id=review.board_id)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(start)


def long_date(day: datetime.date | None) -> str:
    """A date as people write it: "Friday 2 January 2026"."""
    if day is None:
        return ""
    return f"{day:%A} {day.day} {day:%B %Y}"
