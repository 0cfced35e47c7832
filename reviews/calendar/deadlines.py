"""A review's statutory deadlines (docs/statutory-deadlines.md), read from its statutory dates,
its board's rules and the calendar of its nation.

| deadline             | rule (England's defaults; each board sets its own)          |
| Panel notified       | within 5 working days after `incident_known_on`             |
| Rapid review sent    | within 15 working days after `incident_known_on`            |
| Earliest publication | 7 working days after `sent_to_panel_on`                     |
| Keep published until | at least 12 months after first publication                  |

Each deadline is met, missed, due or not yet known. The first two are "by" deadlines: met when
the matching date is on or before the deadline. The last two are "not before": met when the
matching date (first publication; the last day public) is on or after it.
"""

import datetime
import enum
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from reviews.calendar.working_days import (
    WorkingCalendar,
    add_months,
    calendars_for,
    long_date,
)
from reviews.models import Board, Review

# What the deadlines are drawn from: ReviewDates attribute -> the column it is read from.
_COLUMNS = {
    "pk": "pk",
    "title": "title",
    "nation": "nation",
    "board_id": "board_id",
    "board_name": "board__name",
    "panel_notice_working_days": "board__panel_notice_working_days",
    "rapid_review_working_days": "board__rapid_review_working_days",
    "publication_wait_working_days": "board__publication_wait_working_days",
    "keep_published_months": "board__keep_published_months",
    "incident_known_on": "incident_known_on",
    "panel_notified_on": "panel_notified_on",
    "rapid_review_sent_on": "rapid_review_sent_on",
    "sent_to_panel_on": "sent_to_panel_on",
    "published_on": "published_on",
    "keep_published_until": "keep_published_until",
    "live_status": "live_copy__status",
    "live_published_on": "live_copy__published_on",
    "live_go_live_at": "live_copy__go_live_at",
    "live_withdrawn_at": "live_copy__withdrawn_at",
}


@dataclass(frozen=True, kw_only=True)
class ReviewDates:
    """One review's dates and its board's rules, read as plain values: listing thousands of
    reviews costs a third as much as building model instances for them."""

    pk: int
    title: str
    nation: str
    board_id: int
    board_name: str
    panel_notice_working_days: int
    rapid_review_working_days: int
    publication_wait_working_days: int
    keep_published_months: int
    incident_known_on: datetime.date | None
    panel_notified_on: datetime.date | None
    rapid_review_sent_on: datetime.date | None
    sent_to_panel_on: datetime.date | None
    published_on: datetime.date | None
    keep_published_until: datetime.date | None
    live_status: str | None
    live_published_on: datetime.date | None
    live_go_live_at: datetime.datetime | None
    live_withdrawn_at: datetime.datetime | None

    @property
    def nation_display(self) -> str:
        return Review.Nation(self.nation).label

    @property
    def calendar_key(self) -> tuple[str, int]:
        return (self.nation, self.board_id)


def review_dates(reviews: QuerySet[Review]) -> list[ReviewDates]:
    """The reviews' dates, their boards' rules and their live copies' dates: one query."""
    names = list(_COLUMNS)
    rows = reviews.values_list(*_COLUMNS.values())
    return [ReviewDates(**dict(zip(names, row, strict=True))) for row in rows]


MAX_LISTED = 500


class State(enum.StrEnum):
    MET = "met"
    MISSED = "missed"
    DUE = "due"
    NOT_YET_KNOWN = "not yet known"


class Kind(enum.StrEnum):
    BY = "by"  # done on or before the date
    NOT_BEFORE = "not before"  # done on or after the date


@dataclass(frozen=True, kw_only=True)
class Deadline:
    review: ReviewDates
    key: str
    label: str
    rule: str
    kind: Kind
    date: datetime.date | None  # None: not yet known
    actual: datetime.date | None  # the matching date, once known
    actual_label: str
    state: State
    today: datetime.date
    # Weekdays not counted between the date it counts from and the deadline, with the
    # reason ("Christmas Day", "board closure day"); filled in for one review's panel only.
    not_counted: tuple[tuple[datetime.date, str], ...] = ()

    @property
    def not_counted_text(self) -> str:
        return "; ".join(f"{long_date(day)} ({reason})" for day, reason in self.not_counted)

    @property
    def overdue(self) -> bool:
        """Missed, and nothing is recorded yet: something is still to be done."""
        return self.state == State.MISSED and self.actual is None

    @property
    def date_text(self) -> str:
        return long_date(self.date) if self.date else "not yet known"

    @property
    def actual_text(self) -> str:
        return long_date(self.actual) if self.actual else "not recorded"

    @property
    def state_text(self) -> str:
        if self.overdue:
            days = (self.today - self.date).days
            return f"missed: nothing recorded, {days} day{'s' if days != 1 else ''} overdue"
        return str(self.state)


def _state(kind: Kind, date, actual, today, *, passed_is_met: bool = False) -> State:
    if date is None:
        return State.NOT_YET_KNOWN
    if actual is not None:
        on_time = actual <= date if kind == Kind.BY else actual >= date
        return State.MET if on_time else State.MISSED
    if kind == Kind.BY:
        return State.MISSED if today > date else State.DUE
    return State.MET if passed_is_met and today >= date else State.DUE


def first_publication(review: ReviewDates) -> datetime.date | None:
    """When the review was (or is scheduled to be) first published."""
    if review.published_on:
        return review.published_on
    if review.live_go_live_at is not None:
        return review.live_published_on or timezone.localdate(review.live_go_live_at)
    return None


def _last_public_day(review: ReviewDates) -> datetime.date | None:
    ends = [review.keep_published_until] if review.keep_published_until else []
    if review.live_status == Review.Status.WITHDRAWN and review.live_withdrawn_at:
        ends.append(timezone.localdate(review.live_withdrawn_at))
    return min(ends, default=None)


def review_deadlines(
    review: ReviewDates, *, calendar: WorkingCalendar, today: datetime.date, explain: bool = False
) -> list[Deadline]:
    """The four deadlines of one review, from what is already read (no queries). With
    `explain`, each working-day deadline names the weekdays it did not count."""
    board = review  # the board's rules are read with the review

    def after(start, days):
        return calendar.add_working_days(start, days) if start else None

    known = review.incident_known_on
    published = first_publication(review)
    starts = {
        "panel_notified": known,
        "rapid_review": known,
        "earliest_publication": review.sent_to_panel_on,
    }

    def not_counted(key, date):
        start = starts.get(key)
        return tuple(calendar.skipped(start, date)) if explain and start and date else ()

    rules = [
        (
            "panel_notified",
            "Panel notified",
            f"within {board.panel_notice_working_days} working days after the incident was known",
            Kind.BY,
            after(known, board.panel_notice_working_days),
            review.panel_notified_on,
            "notified",
        ),
        (
            "rapid_review",
            "Rapid review sent to the Panel",
            f"within {board.rapid_review_working_days} working days after the incident was known",
            Kind.BY,
            after(known, board.rapid_review_working_days),
            review.rapid_review_sent_on,
            "sent",
        ),
        (
            "earliest_publication",
            "Earliest publication",
            f"{board.publication_wait_working_days} working days after the report was sent "
            "to the Panel and the Secretary of State",
            Kind.NOT_BEFORE,
            after(review.sent_to_panel_on, board.publication_wait_working_days),
            published,
            "published",
        ),
        (
            "keep_published",
            "Keep published until",
            f"at least {board.keep_published_months} months after first publication",
            Kind.NOT_BEFORE,
            add_months(published, board.keep_published_months) if published else None,
            _last_public_day(review),
            "last day public",
        ),
    ]
    return [
        Deadline(
            review=review,
            key=key,
            label=label,
            rule=rule,
            kind=kind,
            date=date,
            actual=actual,
            actual_label=actual_label,
            # A review still public past its minimum period has met it.
            state=_state(kind, date, actual, today, passed_is_met=key == "keep_published"),
            today=today,
            not_counted=not_counted(key, date),
        )
        for key, label, rule, kind, date, actual, actual_label in rules
    ]


def deadlines_for_review(*, review: Review, today: datetime.date | None = None) -> list[Deadline]:
    """The statutory deadlines panel of a review's admin page (staff only): two queries."""
    today = today or timezone.localdate()
    (dates,) = review_dates(Review.objects.filter(pk=review.pk))
    calendar = calendars_for([dates.calendar_key])[dates.calendar_key]
    return review_deadlines(dates, calendar=calendar, today=today, explain=True)


@dataclass(frozen=True)
class DueList:
    deadlines: list[Deadline]  # overdue first, then due, each soonest first; at most MAX_LISTED
    total: int  # how many there are, listed or not
    overdue_count: int


def deadlines_due(
    *,
    board: Board | int | None = None,
    nation: str = "",
    today: datetime.date | None = None,
) -> DueList:
    """What is due next across all reviews (working copies), overdue first: two queries
    however many reviews there are (the reviews with their boards and live copies, and the
    boards' closure days)."""
    today = today or timezone.localdate()
    reviews = Review.objects.working_copies().filter(
        Q(incident_known_on__isnull=False)
        | Q(sent_to_panel_on__isnull=False)
        | Q(published_on__isnull=False)
        | Q(live_copy__isnull=False)
    )
    if board:
        reviews = reviews.filter(board=board)
    if nation:
        reviews = reviews.filter(nation=nation)
    rows = review_dates(reviews.order_by("title", "pk"))
    calendars = calendars_for(row.calendar_key for row in rows)
    found: list[Deadline] = []
    for row in rows:
        found.extend(
            deadline
            for deadline in review_deadlines(row, calendar=calendars[row.calendar_key], today=today)
            if deadline.overdue or (deadline.state == State.DUE and deadline.date >= today)
        )
    found.sort(key=lambda deadline: (not deadline.overdue, deadline.date))
    overdue = sum(1 for deadline in found if deadline.overdue)
    return DueList(deadlines=found[:MAX_LISTED], total=len(found), overdue_count=overdue)


def earliest_publication(review: Review) -> datetime.date | None:
    """The first day the review may be published: its board's number of working days after
    the report was sent to the Panel and the Secretary of State; None while that is unknown."""
    if review.sent_to_panel_on is None:
        return None
    calendar = calendars_for([(review.nation, review.board_id)])[(review.nation, review.board_id)]
    return calendar.add_working_days(
        review.sent_to_panel_on, review.board.publication_wait_working_days
    )
