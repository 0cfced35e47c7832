"""The search entries of the catalogue (learning/discovery/catalogue.py): the shelf type that
holds reviews or entries with the bitset of every facet value, the entries shelf of the
reviews' own words, and the shelf a search in another language reads (docs/welsh-translations.md):
each public review's published translation's entries where it has one, else its own.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import QuerySet

from learning.discovery.bitsets import bitset, int_of_flags, set_positions, spans_bitset
from learning.discovery.facets import FACET_KEYS, Facet, FacetOption, ReviewFilters, facets_ordered
from learning.models import SearchEntry
from reviews.models import LearningPoint, Review, Theme


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


def all_rows(queryset: QuerySet) -> list[tuple]:
    """Every row of a values_list() of plain integers in one fetch: Django's iteration
    fetches a hundred rows at a time, which over 100,000 link rows costs more than the
    query."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def entries_shelf(
    review_ids: list[int],
    review_values: dict[str, dict[str, list[int]]],
    rows: list[tuple[int, int, int | None]],
    point_themes: dict[int, list[str]],
    review_themes: dict[int, set[str]],
    owner: dict[int, int] | None = None,
) -> Shelf:
    """The search entries shelf: `rows` (entry id, review id, learning point id) in the
    reviews' order, each review's entries together (its own first), carrying their review's
    facet values. `owner` maps a translation's id to its original's (Welsh entries count
    under the review they translate); a review's own entry carries its original's themes."""
    owner = owner or {}
    review_position = {pk: index for index, pk in enumerate(review_ids)}

    def owned(review_id: int) -> int:
        return owner.get(review_id, review_id)

    entry_rows = [row for row in rows if owned(row[1]) in review_position]
    entry_rows.sort(key=lambda row: (review_position[owned(row[1])], row[2] is not None, row[0]))
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
        original = owned(review_id)
        stop = start
        while stop < len(entry_rows) and entry_rows[stop][1] == review_id:
            point_id = entry_rows[stop][2]
            own = point_themes.get(point_id, ()) if point_id else review_themes.get(original, ())
            for slug in own:
                themes.setdefault(slug, []).append(stop)
            stop += 1
        position = review_position[original]
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
    return Shelf(ids=entry_ids, values=entry_values)


def translated_entries_read(snapshot, language: str) -> Shelf:
    """The entries a search in `language` looks through: for each public review, the entries
    of its published translation in that language if it has one, else its own."""
    published_ids = snapshot.reviews.ids
    translations = dict(
        Review.objects.published(translations=True)
        .filter(language=language, translation_of__live_copy__in=published_ids)
        .values_list("pk", "translation_of__live_copy")
    )
    translated = set(translations.values())
    sources = list(translations) + [pk for pk in published_ids if pk not in translated]
    rows = all_rows(
        SearchEntry.objects.filter(review_id__in=sources).values_list(
            "pk", "review_id", "learning_point_id"
        )
    )
    theme_slugs = dict(Theme.objects.values_list("pk", "slug"))
    point_themes: dict[int, list[str]] = {}
    links = LearningPoint.themes.through.objects.filter(learningpoint__review_id__in=sources)
    for point_id, theme_id in all_rows(links.values_list("learningpoint_id", "theme_id")):
        point_themes.setdefault(point_id, []).append(theme_slugs[theme_id])
    return entries_shelf(
        published_ids,
        snapshot.review_values,
        rows,
        point_themes,
        snapshot.review_themes,
        owner=translations,
    )
