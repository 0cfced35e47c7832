"""The assurance report's reads: BRAG counts per agency and per review, the overdue list and
what falls due next, for the filters a board member chose.

The number of queries does not grow with the number of actions: two grouped counts (by
agency and by review, each with BRAG as one SQL CASE, `ActionQuerySet.with_brag`) and two
short lists (the most overdue, the next due), each capped; everything else is arithmetic on
those rows. The CSV of every action is one more query, uncapped, streamed from one SELECT.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from portal.charts import BRAG_SERIES, Row
from reviews.models import BRAG_AMBER, BRAG_RED, BRAG_VALUES, Action, Agency, Board, Review

# The page and the PDF list at most this many overdue and due-soon actions each (the most
# overdue first, the soonest due first); the CSV has them all. A board reads the top of the
# list; a PDF of thousands of rows is neither readable nor quick to make.
LIST_CAP = 100
# The PDF lists fewer: WeasyPrint lays out a table row in about 10 ms on this machine, and a
# board paper needs the worst cases and the totals, not every line.
PDF_LIST_CAP = 50


STATUS_LABELS = dict(Action.Status.choices)
LISTED_FIELDS = (
    "pk",
    "review__title",
    "recommendation_number",
    "position",
    "description",
    "owner__name",
    "due_on",
    "status",
)


@dataclass(frozen=True)
class AssuranceFilters:
    """Validated filters (reviews/assurance/forms.py): None means "all"."""

    board: Board | None = None
    agency: Agency | None = None
    review: Review | None = None
    brag: str | None = None

    def described(self) -> str:
        parts = []
        if self.board:
            parts.append(f"board: {self.board.name}")
        if self.agency:
            parts.append(f"agency: {self.agency.name}")
        if self.review:
            parts.append(f"review: {self.review.title}")
        if self.brag:
            parts.append(f"BRAG: {self.brag}")
        return "; ".join(parts) or "all boards, agencies, reviews and BRAG states"


@dataclass(frozen=True)
class ListedAction:
    """A line of the overdue or due-soon list (plain values: no model instances to build)."""

    pk: int
    review_title: str
    recommendation_number: int
    position: int
    description: str
    owner_name: str
    due_on: datetime.date
    status: str
    days: int  # days overdue (red) or days until due (amber)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    # Written out here rather than by template filters: a hundred rows of `|date` and of
    # localised numbers were a tenth of the page's time.
    @property
    def number_text(self) -> str:
        return f"{self.recommendation_number} / {self.position}"

    @property
    def due_text(self) -> str:
        return f"{self.due_on.day} {self.due_on:%b %Y}"

    @property
    def days_text(self) -> str:
        return f"{self.days:,}"


@dataclass
class AssuranceReport:
    today: datetime.date
    filters: AssuranceFilters
    by_agency: list[Row] = field(default_factory=list)
    by_review: list[Row] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    overdue: list[ListedAction] = field(default_factory=list)
    due_soon: list[ListedAction] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def overdue_total(self) -> int:
        return self.totals.get(BRAG_RED, 0)

    @property
    def due_soon_total(self) -> int:
        return self.totals.get(BRAG_AMBER, 0)


def filtered_actions(*, filters: AssuranceFilters, today: datetime.date) -> QuerySet:
    """Every action the report covers (of working copies: actions never point elsewhere)."""
    actions = Action.objects.all()
    if filters.board:
        actions = actions.filter(review__board=filters.board)
    if filters.agency:
        actions = actions.filter(owner=filters.agency)
    if filters.review:
        actions = actions.filter(review=filters.review)
    if filters.brag:
        actions = actions.brag_filter(filters.brag, today)
    return actions


def _grouped(actions: QuerySet, today: datetime.date, *fields: str) -> list[dict]:
    return list(
        actions.with_brag(today)
        .values(*fields, "brag")
        .annotate(count=Count("pk"))
        .order_by()  # no model ordering in the GROUP BY
    )


def _rows(grouped: list[dict], key: str, label: str) -> list[Row]:
    """One Row per key (agency, review: a review's title need not be unique) with its
    counts in BRAG_SERIES order, sorted by label."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BRAG_VALUES, 0))
    labels: dict[str, str] = {}
    for entry in grouped:
        counts[entry[key]][entry["brag"]] += entry["count"]
        labels[entry[key]] = entry[label]
    order = [one.key for one in BRAG_SERIES]
    keys = sorted(counts, key=lambda k: (labels[k].casefold(), k))
    return [Row(label=labels[k], values=tuple(counts[k][brag] for brag in order)) for k in keys]


def assurance_report(
    *, filters: AssuranceFilters, today: datetime.date, cap: int = LIST_CAP
) -> AssuranceReport:
    actions = filtered_actions(filters=filters, today=today)
    report = AssuranceReport(today=today, filters=filters)
    grouped = _grouped(actions, today, "owner__name")
    report.by_agency = _rows(grouped, "owner__name", "owner__name")
    grouped = _grouped(actions, today, "review__slug", "review__title")
    report.by_review = _rows(grouped, "review__slug", "review__title")
    report.totals = {
        one.key: sum(row.values[index] for row in report.by_agency)
        for index, one in enumerate(BRAG_SERIES)
    }
    order = ("due_on", "review__title", "recommendation_number", "position")
    if filters.brag in (None, BRAG_RED) and report.overdue_total:
        overdue = actions.brag_filter(BRAG_RED, today).order_by(*order).values_list(*LISTED_FIELDS)
        report.overdue = [ListedAction(*row, (today - row[6]).days) for row in overdue[:cap]]
    if filters.brag in (None, BRAG_AMBER) and report.due_soon_total:
        due = actions.brag_filter(BRAG_AMBER, today).order_by(*order).values_list(*LISTED_FIELDS)
        report.due_soon = [ListedAction(*row, (row[6] - today).days) for row in due[:cap]]
    return report


ACTIONS_CSV_HEADER = (
    "review",
    "board",
    "recommendation",
    "position",
    "action",
    "owner",
    "due",
    "status",
    "brag",
    "days overdue",
)


def assurance_csv_rows(*, filters: AssuranceFilters, today: datetime.date):
    """Every action of the report, one row each, for the CSV (one query, iterated)."""
    actions = (
        filtered_actions(filters=filters, today=today)
        .with_brag(today)
        .values_list(
            "review__slug",
            "review__board__name",
            "recommendation_number",
            "position",
            "description",
            "owner__name",
            "due_on",
            "status",
            "brag",
        )
        .order_by("review__slug", "recommendation_number", "position")
    )
    for row in actions.iterator(chunk_size=2000):
        due_on, brag = row[6], row[8]
        yield (*row, (today - due_on).days if brag == BRAG_RED else "")
