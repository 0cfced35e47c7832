"""The reach and impact report's reads: discussions, people and agencies reached, follow-ups
answered and practice changed, per review, per theme and per agency; discussions per month;
and the quotes of "what will we do differently".

Queries do not grow with the number of returns. Every figure comes from ONE grouped query
over the returns (by review, agency, the "other" agency's name and the use code),
whose rows are at most reviews x agencies, not returns; per review, per theme, per agency
and the totals are sums (and set unions, for "agencies reached") over those rows in Python.
A return counts for a theme when its use code was printed for that theme, or when its
review has a learning point in that theme. Then the names (reviews, themes, agencies), the
themes of the reviews in the rows, the months, and one page of quotes.

Which returns count: every return not rejected by staff (a return held for the privacy
check is a real discussion; only its words wait). Quotes: only returns staff let through
(`VISIBLE`), never held or rejected ones.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from learning.returns.models import DiscussionReturn, UseCode
from reviews.models import Agency, LearningPoint, Review, Theme

QUOTES_PER_PAGE = 20
# The chart shows at most this many months, ending with the latest discussion's month.
MAX_MONTHS = 36
CHANGED = (DiscussionReturn.PracticeChanged.YES, DiscussionReturn.PracticeChanged.PARTLY)
OTHER_AGENCY = "Other (named by the team)"


@dataclass(frozen=True)
class ImpactFilters:
    """Validated filters (learning/impact/forms.py): None means "all"."""

    review: Review | None = None
    theme: Theme | None = None
    agency: Agency | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None

    def described(self) -> str:
        parts = []
        if self.review:
            parts.append(f"review: {self.review.title}")
        if self.theme:
            parts.append(f"theme: {self.theme.name}")
        if self.agency:
            parts.append(f"agency: {self.agency.name}")
        if self.since:
            parts.append(f"from {self.since:%-d %B %Y}")
        if self.until:
            parts.append(f"to {self.until:%-d %B %Y}")
        return "; ".join(parts) or "every review, theme and agency"


@dataclass
class Reach:
    """One line of the report: a review, a theme, an agency, or all of them."""

    label: str
    discussions: int = 0
    people: int = 0
    agencies: set = field(default_factory=set)
    answered: int = 0
    changed: int = 0

    @property
    def agencies_reached(self) -> int:
        return len(self.agencies)

    @property
    def changed_share(self) -> int | None:
        """Percentage of answered follow-ups that said practice changed (yes or partly)."""
        return round(100 * self.changed / self.answered) if self.answered else None

    def add(self, row: dict, agency_key) -> None:
        self.discussions += row["discussions"]
        self.people += row["people"] or 0
        if agency_key is not None:
            self.agencies.add(agency_key)
        self.answered += row["answered"]
        self.changed += row["changed"]

    def merge(self, other: "Reach") -> None:
        self.discussions += other.discussions
        self.people += other.people
        self.agencies |= other.agencies
        self.answered += other.answered
        self.changed += other.changed


@dataclass
class ImpactReport:
    filters: ImpactFilters
    total: Reach
    by_review: list[Reach]
    by_theme: list[Reach]
    by_agency: list[Reach]
    months: list[tuple[datetime.date, int]]
    held: int  # returns counted whose words wait for the privacy check


def counted_returns(filters: ImpactFilters) -> QuerySet:
    returns = DiscussionReturn.objects.exclude(status=DiscussionReturn.Status.REJECTED)
    if filters.review:
        returns = returns.filter(review=filters.review)
    if filters.agency:
        returns = returns.filter(agency=filters.agency)
    if filters.theme:
        reviews = LearningPoint.objects.filter(themes=filters.theme).values("review_id")
        returns = returns.filter(Q(use_code__theme=filters.theme) | Q(review_id__in=reviews))
    if filters.since:
        returns = returns.filter(discussed_on__gte=filters.since)
    if filters.until:
        returns = returns.filter(discussed_on__lte=filters.until)
    return returns


def _grouped(returns: QuerySet) -> list[dict]:
    # Grouped by the use code's id, not its theme: no join, and the few theme sheets' codes
    # are looked up apart (`code_themes`). "Other" names are grouped as typed and matched
    # without case in Python.
    return list(
        returns.values("review_id", "agency_id", "use_code_id", "agency_other")
        .annotate(
            discussions=Count("pk"),
            people=Sum("participants"),
            answered=Count("pk", filter=Q(follow_up_answered_at__isnull=False)),
            changed=Count(
                "pk",
                filter=Q(follow_up_answered_at__isnull=False, practice_changed__in=CHANGED),
            ),
            held=Count("pk", filter=Q(status=DiscussionReturn.Status.HELD)),
        )
        .order_by()
    )


def _agency_key(row: dict):
    """Who a row reached: a portal agency's id, or the "other" name the team typed."""
    if row["agency_id"] is not None:
        return row["agency_id"]
    other = (row["agency_other"] or "").strip().casefold()
    return f"other:{other}" if other else None


def impact_report(*, filters: ImpactFilters) -> ImpactReport:
    returns = counted_returns(filters)
    rows = _grouped(returns)
    review_ids = {row["review_id"] for row in rows if row["review_id"] is not None}
    review_themes: dict[int, set[int]] = defaultdict(set)
    for review_id, theme_id in (
        LearningPoint.themes.through.objects.filter(learningpoint__review_id__in=review_ids)
        .values_list("learningpoint__review_id", "theme_id")
        .distinct()
    ):
        review_themes[review_id].add(theme_id)
    reviews = dict(Review.objects.filter(id__in=review_ids).values_list("id", "title"))
    code_themes = dict(UseCode.objects.filter(theme__isnull=False).values_list("id", "theme_id"))
    themes = dict(Theme.objects.values_list("id", "name"))
    agencies = dict(Agency.objects.values_list("id", "name"))

    total = Reach(label="All")
    by_agency: dict = {}
    # Rows are first added up per (review, theme of the printed code), a hundred or so pairs
    # however many rows; reviews and themes are then merged from those, not from every row.
    by_pair: dict = {}
    held = 0
    for row in rows:
        key = _agency_key(row)
        held += row["held"]
        total.add(row, key)
        agency_label = agencies.get(row["agency_id"], OTHER_AGENCY)
        by_agency.setdefault(row["agency_id"], Reach(label=agency_label)).add(row, key)
        pair = (row["review_id"], code_themes.get(row["use_code_id"]))
        by_pair.setdefault(pair, Reach(label="")).add(row, key)
    by_review: dict = {}
    by_theme: dict = {}
    for (review_id, code_theme), reach in by_pair.items():
        label = reviews.get(review_id, "No review (a theme sheet or a deleted review)")
        by_review.setdefault(review_id, Reach(label=label)).merge(reach)
        pair_themes = set(review_themes.get(review_id, ()))
        if code_theme is not None:
            pair_themes.add(code_theme)
        for theme_id in pair_themes:
            by_theme.setdefault(theme_id, Reach(label=themes.get(theme_id, "?"))).merge(reach)

    def ordered(lines: dict) -> list[Reach]:
        return sorted(lines.values(), key=lambda line: (-line.discussions, line.label.casefold()))

    return ImpactReport(
        filters=filters,
        total=total,
        by_review=ordered(by_review),
        by_theme=ordered(by_theme),
        by_agency=ordered(by_agency),
        months=_months(returns),
        held=held,
    )


def _months(returns: QuerySet) -> list[tuple[datetime.date, int]]:
    """Discussions per month (by the date the team discussed it), no month left out, at most
    MAX_MONTHS ending with the latest."""
    counted = dict(
        returns.annotate(month=TruncMonth("discussed_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("month", "count")
    )
    if not counted:
        return []
    counted = {_month_start(month): count for month, count in counted.items()}
    last = max(counted)
    first = max(min(counted), _add_months(last, -(MAX_MONTHS - 1)))
    months, month = [], first
    while month <= last:
        months.append((month, counted.get(month, 0)))
        month = _add_months(month, 1)
    return months


def _month_start(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


class _CountedPaginator(Paginator):
    """A paginator told its count: the report already knows it, and counting again scanned
    every visible return once more."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def impact_quotes(
    *, filters: ImpactFilters, page: str | int | None, report: ImpactReport | None = None
) -> Page:
    """One page of "what will we do differently", the latest returns first: only returns
    staff let through the privacy check. Ordered by when they arrived, which the index on
    (status, -submitted_at) serves: ordering by the discussion's date sorted every visible
    return for each page (90 ms at 50,000)."""
    quotes = (
        counted_returns(filters)
        .filter(status=DiscussionReturn.Status.VISIBLE)
        .select_related("review", "agency")
        .only(
            "different",
            "discussed_on",
            "team_name",
            "agency_other",
            "participants",
            "review__title",
            "agency__name",
        )
        .order_by("-submitted_at", "-pk")
    )
    if report is not None:
        # Counted returns are visible or held (rejected ones are not counted), so the
        # visible ones under the same filters are the rest.
        visible = report.total.discussions - report.held
        return _CountedPaginator(quotes, QUOTES_PER_PAGE, count=visible).get_page(page)
    return Paginator(quotes, QUOTES_PER_PAGE).get_page(page)


def impact_quotes_csv_rows(*, filters: ImpactFilters):
    """Every quote staff let through, for the CSV (one query, iterated)."""
    quotes = (
        counted_returns(filters)
        .filter(status=DiscussionReturn.Status.VISIBLE)
        .values_list(
            "discussed_on", "review__title", "agency__name", "agency_other", "team_name",
            "participants", "different",
        )
        .order_by("-discussed_on", "-pk")
    )  # fmt: skip
    for discussed_on, review, agency, other, team, participants, different in quotes.iterator(
        chunk_size=2000
    ):
        yield (discussed_on, review or "", agency or other, team, participants, different)
