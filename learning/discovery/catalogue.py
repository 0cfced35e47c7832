"""The published catalogue, held in memory for filtering and facet counts.

Facet counts must be exact: every option says how many results choosing it gives. Counting
them in SQL means grouping every matching row once per facet, and PostgreSQL's executor
spends about a third of a microsecond a row on each grouping: a broad search over a national
collection (60,000 search entries match "child") cost hundreds of milliseconds in counting
alone. Here each facet value instead holds the set of reviews (and of search entries) that
carry it, as a bitset: a Python int whose bit i stands for the i-th newest. Choosing values
is OR within a facet and AND between facets; a count is one `int.bit_count()`. A search
asks the database only which entries match its words (learning/discovery/search.py).

The snapshot is read from `Review.objects.published()`, the one visibility rule, so nothing
else can count or list a draft, a withdrawn review or one whose time has not come. A
process keeps it while portal.cache's public generation is unchanged (every publication,
withdrawal and edit of a theme, agency or review type moves it on) and until the next
moment `published()` changes on its own (a scheduled go-live, a "keep published until"
date running out); then the next request reads it again.
"""

import datetime
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from learning.discovery.bitsets import bitset, int_of_flags, set_positions, spans_bitset
from learning.discovery.facets import (
    AGE_BAND_LABELS,
    FACET_KEYS,
    FACET_LABELS,
    Facet,
    FacetOption,
    ReviewFilters,
    age_band_for,
    facets_ordered,
)
from learning.models import SearchEntry
from portal.cache import next_visibility_change, public_cache_generation
from reviews import selectors
from reviews.models import Agency, LearningPoint, Review, ReviewType, Theme

__all__ = ["Catalogue", "bitset", "catalogue", "review_facets", "reviews_chosen", "set_positions"]


@dataclass
class Shelf:
    """One kind of result (reviews, or search entries) with the bitset of every facet value.

    `ids[i]` is the result at bit i, newest first; `values[key][value]` is the bitset of the
    results that carry that value.
    """

    ids: list[int]
    values: dict[str, dict[str, int]]

    def __post_init__(self):
        # The bit of every id, indexed by id (-1: not held), to turn many ids into a bitset
        # at once: 4 bytes for every id up to the highest (entries get new ids each time
        # a review is indexed again), 0.3 MB at 10,000 reviews.
        ids = np.array(self.ids, dtype=np.int64)
        self._bit_of_id = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int32)
        self._bit_of_id[ids] = np.arange(len(ids), dtype=np.int32)

    @property
    def everything(self) -> int:
        return (1 << len(self.ids)) - 1

    def of_ids(self, ids: Sequence[int]) -> int:
        """The bitset of these ids; ids the catalogue does not hold (not public) drop out."""
        # In numpy: a broad search matches 60,000 entries, 11 ms one id at a time in Python.
        wanted = np.asarray(ids, dtype=np.int64)
        bit_of_id = self._bit_of_id
        bits = bit_of_id[wanted[(wanted >= 0) & (wanted < len(bit_of_id))]]
        flags = np.zeros(len(self.ids), dtype=bool)
        flags[bits[bits >= 0]] = True
        return int_of_flags(flags)

    def chosen(self, filters: ReviewFilters, key: str) -> int | None:
        """Results carrying any chosen value of one facet, or None if nothing is chosen."""
        wanted = getattr(filters, key)
        if not wanted:
            return None
        values = self.values[key]
        bits = 0
        for value in wanted:
            bits |= values.get(str(value), 0)
        return bits

    def select(self, filters: ReviewFilters, within: int | None = None) -> int:
        """Results matching every facet selection (and `within`, a search's matches)."""
        bits = self.everything if within is None else within
        for key in FACET_KEYS:
            chosen = self.chosen(filters, key)
            if chosen is not None:
                bits &= chosen
        return bits

    def facets(
        self, filters: ReviewFilters, labels: dict[str, dict[str, str]], within: int | None = None
    ) -> list[Facet]:
        """Every facet's options with counts. A facet's counts apply the other facets'
        selections but not its own, so each count is what choosing that value alone gives."""
        base = self.everything if within is None else within
        chosen = {key: self.chosen(filters, key) for key in FACET_KEYS}
        facets = []
        for key in FACET_KEYS:
            others = base
            for other, bits in chosen.items():
                if other != key and bits is not None:
                    others &= bits
            selected = {str(value) for value in getattr(filters, key)}
            options = []
            for value, bits in self.values[key].items():
                count = (others & bits).bit_count() if others else 0
                if count or value in selected:
                    # str(): lazily translated labels (facets.py) in the page's language.
                    label = str(labels[key].get(value, value))
                    options.append(FacetOption(value, label, count, value in selected))
            shown = {option.value for option in options}
            # A chosen value with no results stays on the form, so it can be unticked.
            options += [FacetOption(value, value, 0, True) for value in selected - shown]
            facets.append(Facet(key=key, label=str(labels["__facet__"][key]), options=options))
        return facets_ordered(facets)

    def ids_at(self, bits: int, start: int = 0, stop: int | None = None) -> list[int]:
        """Ids of the set bits, newest first, from the start-th to the stop-th."""
        ids = self.ids
        return [ids[position] for position in set_positions(bits, start, stop)]


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]  # sorted, so suggestions do not depend on the order they were read in
    known: frozenset[str]


@dataclass
class Catalogue:
    reviews: Shelf
    entries: Shelf
    labels: dict[str, dict[str, str]]
    generation: str
    valid_until: datetime.datetime | None
    # Published learning points per theme slug (the home page and theme list show them).
    theme_points: dict[str, int]
    # Words "did you mean" may suggest, read on first need (learning/discovery/search_suggest.py).
    vocabulary: Vocabulary | None = None

    def review_facets(self, filters: ReviewFilters) -> list[Facet]:
        return self.reviews.facets(filters, self.labels)

    def entry_facets(self, filters: ReviewFilters, within: int) -> list[Facet]:
        return self.entries.facets(filters, self.labels, within=within)


class ReviewsInOrder(Sequence):
    """Published reviews chosen in the catalogue, newest first, for a Paginator: only the
    page asked for is read from the database, through `queryset` (itself published())."""

    def __init__(self, catalogue: Catalogue, bits: int, queryset: QuerySet[Review]):
        self.catalogue, self.bits, self.queryset = catalogue, bits, queryset
        self.size = bits.bit_count()

    def count(self) -> int:  # what Paginator asks
        return self.size

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[Review]:
        return iter(self[0 : self.size])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(self.size)
        ids = self.catalogue.reviews.ids_at(self.bits, start, stop)
        if not ids:
            return []
        by_id = {review.pk: review for review in self.queryset.filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


def reviews_chosen(
    filters: ReviewFilters, queryset: QuerySet[Review] | None = None
) -> ReviewsInOrder:
    """Published reviews matching a selection, newest first, ready for a list or the API."""

    if queryset is None:
        queryset = selectors.review_list_public()
    snapshot = catalogue()
    return ReviewsInOrder(snapshot, snapshot.reviews.select(filters), queryset)


def review_facets(filters: ReviewFilters) -> list[Facet]:
    return catalogue().review_facets(filters)


_current: Catalogue | None = None
_lock = threading.Lock()


def catalogue() -> Catalogue:
    """The current snapshot, read again after anything public changed."""

    global _current
    generation = public_cache_generation()
    if _current_holds(generation):
        return _current
    with _lock:
        if not _current_holds(generation):
            # The generation is read before the data, so a change that lands while this
            # runs moves the generation on and the snapshot is read again next time.
            _current = catalogue_read(generation=generation)
        return _current


def _current_holds(generation: str) -> bool:
    remembered = _current
    return (
        remembered is not None
        and remembered.generation == generation
        and (remembered.valid_until is None or timezone.now() < remembered.valid_until)
    )


def catalogue_forget() -> None:
    """Read the catalogue again on next use (tests, which roll back what they publish)."""
    global _current
    _current = None


def _labels() -> dict[str, dict[str, str]]:

    return {
        "__facet__": FACET_LABELS,
        "theme": dict(Theme.objects.values_list("slug", "name")),
        "agency": dict(Agency.objects.values_list("slug", "name")),
        "type": dict(ReviewType.objects.values_list("slug", "name")),
        "nation": dict(Review.Nation.choices),
        "outcome": dict(Review.Outcome.choices),
        "age": AGE_BAND_LABELS,
        "year": {},
    }


def _shelf(ids: list[int], memberships: dict[str, dict[str, list[int]]]) -> Shelf:
    size = len(ids)
    return Shelf(
        ids=ids,
        values={
            key: {value: bitset(positions, size) for value, positions in by_value.items()}
            for key, by_value in memberships.items()
        },
    )


def _all_rows(queryset: QuerySet) -> list[tuple]:
    """Every row of a values_list() of plain integers in one fetch: Django's iteration
    fetches a hundred rows at a time, which over 100,000 link rows costs more than the
    query."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def catalogue_read(*, generation: str) -> Catalogue:
    """Read the published reviews and their search entries into a new snapshot."""

    now = timezone.now()
    published = Review.objects.published(now=now)
    theme_slugs = dict(Theme.objects.values_list("pk", "slug"))
    agency_slugs = dict(Agency.objects.values_list("pk", "slug"))

    rows = published.order_by("-published_on", "title", "pk").values_list(
        "pk", "published_on", "review_type__slug", "nation", "child_age_months", "child_outcome"
    )
    review_ids: list[int] = []
    # (key, value) of every facet value a review carries.
    carried: dict[int, list[tuple[str, str]]] = {}
    for pk, published_on, type_slug, nation, age_months, outcome in rows:
        review_ids.append(pk)
        pairs = [("type", type_slug), ("nation", nation), ("outcome", outcome)]
        if published_on:
            pairs.append(("year", str(published_on.year)))
        if band := age_band_for(age_months):
            pairs.append(("age", band))
        carried[pk] = pairs
    links = Review.agencies.through.objects.filter(review__in=published)
    for review_id, agency_id in _all_rows(links.values_list("review_id", "agency_id")):
        carried[review_id].append(("agency", agency_slugs[agency_id]))

    # A review's themes are its learning points' themes; a review's own search entry
    # carries them all, a learning point's entry its own.
    point_themes: dict[int, list[str]] = {}
    review_themes: dict[int, set[str]] = {}
    theme_points: dict[str, int] = dict.fromkeys(theme_slugs.values(), 0)
    theme_links = LearningPoint.themes.through.objects.filter(learningpoint__review__in=published)
    for point_id, review_id, theme_id in _all_rows(
        theme_links.values_list("learningpoint_id", "learningpoint__review_id", "theme_id")
    ):
        slug = theme_slugs[theme_id]
        theme_points[slug] += 1
        point_themes.setdefault(point_id, []).append(slug)
        review_themes.setdefault(review_id, set()).add(slug)

    review_values: dict[str, dict[str, list[int]]] = {key: {} for key in FACET_KEYS}
    for position, pk in enumerate(review_ids):
        for key, value in carried[pk]:
            review_values[key].setdefault(value, []).append(position)
        for slug in review_themes.get(pk, ()):
            review_values["theme"].setdefault(slug, []).append(position)
    reviews = _shelf(review_ids, review_values)

    # Search entries in the reviews' order, each review's entries together (its own first).
    review_position = {pk: index for index, pk in enumerate(review_ids)}
    entry_rows = [
        row
        for row in _all_rows(
            SearchEntry.objects.filter(review__in=published).values_list(
                "pk", "review_id", "learning_point_id"
            )
        )
        if row[1] in review_position
    ]
    entry_rows.sort(key=lambda row: (review_position[row[1]], row[2] is not None, row[0]))
    entry_ids = [row[0] for row in entry_rows]
    # Each review's entries stand together, from span_start to span_stop (by the review's
    # position): a review's facet values are set over its span at once, never entry by
    # entry (as lists of positions they took 25 MB at 10,000 reviews, where the catalogue
    # itself holds 4).
    span_start = np.zeros(len(review_ids), dtype=np.int64)
    span_stop = np.zeros(len(review_ids), dtype=np.int64)
    themes: dict[str, list[int]] = {}
    start = 0
    while start < len(entry_rows):
        review_id = entry_rows[start][1]
        stop = start
        while stop < len(entry_rows) and entry_rows[stop][1] == review_id:
            point_id = entry_rows[stop][2]
            own = point_themes.get(point_id, ()) if point_id else review_themes.get(review_id, ())
            for slug in own:
                themes.setdefault(slug, []).append(stop)
            stop += 1
        position = review_position[review_id]
        span_start[position], span_stop[position] = start, stop
        start = stop
    size = len(entry_ids)
    entry_values = {
        key: {
            value: spans_bitset(span_start[positions], span_stop[positions], size)
            for value, positions in review_values[key].items()
        }
        for key in FACET_KEYS
        if key != "theme"
    }
    # A learning point's entry carries its own themes, not all its review's.
    entry_values["theme"] = {slug: bitset(positions, size) for slug, positions in themes.items()}
    return Catalogue(
        reviews=reviews,
        entries=Shelf(ids=entry_ids, values=entry_values),
        labels=_labels(),
        generation=generation,
        valid_until=next_visibility_change(now),
        theme_points=theme_points,
    )
