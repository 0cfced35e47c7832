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
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from learning.discovery.bitsets import bitset, set_positions
from learning.discovery.catalogue_entries import (
    Shelf,
    all_rows,
    entries_shelf,
    translated_entries_read,
)
from learning.discovery.facets import (
    AGE_BAND_LABELS,
    FACET_KEYS,
    FACET_LABELS,
    Facet,
    ReviewFilters,
    age_band_for,
)
from learning.models import SearchEntry
from portal.cache import next_visibility_change, public_cache_generation
from reviews import selectors
from reviews.models import Agency, LearningPoint, Review, ReviewType, Theme
from reviews.translations.names import current_language, localised_name

__all__ = ["Catalogue", "bitset", "catalogue", "review_facets", "reviews_chosen", "set_positions"]


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
    # What the translated shelves are built from, and the shelves, read on first need.
    review_values: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    review_themes: dict[int, set[str]] = field(default_factory=dict)
    translated: dict[str, Shelf] = field(default_factory=dict)
    translated_labels: dict[str, dict] = field(default_factory=dict)

    def entries_for(self, language: str) -> Shelf:
        """The entries a search in `language` reads (English: the reviews' own)."""
        if language == "en":
            return self.entries
        if language not in self.translated:
            self.translated[language] = translated_entries_read(self, language)
        return self.translated[language]

    def labels_for(self, language: str) -> dict[str, dict[str, str]]:
        """Facet labels with the names of themes, agencies and types in `language`."""
        if language == "en":
            return self.labels
        if language not in self.translated_labels:
            self.translated_labels[language] = _labels(language)
        return self.translated_labels[language]

    def review_facets(self, filters: ReviewFilters) -> list[Facet]:
        return self.reviews.facets(filters, self.labels_for(current_language()))

    def entry_facets(self, filters: ReviewFilters, within: int) -> list[Facet]:
        language = current_language()
        return self.entries_for(language).facets(filters, self.labels_for(language), within=within)


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


def _labels(language: str = "en") -> dict[str, dict[str, str]]:
    def names(model) -> dict[str, str]:
        return {obj.slug: localised_name(obj, language=language) for obj in model.objects.all()}

    return {
        "__facet__": FACET_LABELS,
        "theme": names(Theme),
        "agency": names(Agency),
        "type": names(ReviewType),
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
    for review_id, agency_id in all_rows(links.values_list("review_id", "agency_id")):
        carried[review_id].append(("agency", agency_slugs[agency_id]))

    # A review's themes are its learning points' themes; a review's own search entry
    # carries them all, a learning point's entry its own.
    point_themes: dict[int, list[str]] = {}
    review_themes: dict[int, set[str]] = {}
    theme_points: dict[str, int] = dict.fromkeys(theme_slugs.values(), 0)
    theme_links = LearningPoint.themes.through.objects.filter(learningpoint__review__in=published)
    for point_id, review_id, theme_id in all_rows(
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

    entries = entries_shelf(
        review_ids,
        review_values,
        all_rows(
            SearchEntry.objects.filter(review__in=published).values_list(
                "pk", "review_id", "learning_point_id"
            )
        ),
        point_themes,
        review_themes,
    )
    return Catalogue(
        reviews=reviews,
        entries=entries,
        labels=_labels(),
        review_values=review_values,
        review_themes=review_themes,
        generation=generation,
        valid_until=next_visibility_change(now),
        theme_points=theme_points,
    )
