"""Full-text search over published reviews and their learning points.

PostgreSQL: its own full-text search over the stored tsvector of learning.SearchEntry
(search_postgres.py beside this module). SQLite: an FTS5 table, or a LIKE search where this
SQLite has no FTS5 (search_sqlite.py). Queries are read in search_query.py and bounded by
search_limits.py; "did you mean" is search_suggest.py.

Only entries the catalogue holds (learning/discovery/catalogue.py, read from
Review.objects.published()) are counted or shown: the database says which entries match
the words, the catalogue counts every facet over them and picks the newest
RANK_CANDIDATES (after the filters) for the database to rank. Excerpts are escaped first;
only then are the <mark> tags put in.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learning import selectors
from learning.discovery import search_postgres, search_sqlite
from learning.discovery.catalogue import catalogue
from learning.discovery.facets import Facet, ReviewFilters
from learning.discovery.search_hits import MARK_END, MARK_START, Matches, SearchHit
from learning.discovery.search_limits import limit_query, time_limited
from learning.discovery.search_query import (
    clean_query,
    crude_stem,
    fts5_query,
    parse_terms,
    positive_words,
)
from learning.discovery.search_suggest import did_you_mean
from reviews.models import Theme
from reviews.translations.names import current_language

# Read here by the tests and the benchmark.
__all__ = ["SearchHit", "clean_query", "did_you_mean", "fts5_query", "parse_terms", "search"]

PER_PAGE = 20
# Search ranks at most this many matches (the newest), so result pages stop there.
RANK_CANDIDATES = 500
# Text whose highlight markers come in opened-then-closed pairs, none inside another.
_WELL_MARKED = re.compile(r"[^\x02\x03]*(?:\x02[^\x02\x03]*\x03[^\x02\x03]*)*")


def find_matches(query: str, language: str = "en") -> Matches:
    """The search entries whose words match the query (public or not)."""
    if connection.vendor == "postgresql":
        return search_postgres.matches(query, language)
    return search_sqlite.matches(query)


def matching_ids(query: str) -> Sequence[int]:
    """Ids of every search entry whose words match the query, public or not."""
    return find_matches(query).ids


class RankedEntries(Sequence):
    """The candidates (ids of matching entries, newest first), best match first, for a
    Paginator: a page costs one query, which ranks them and reads the page's rows.

    Only a bounded set is ranked (search() passes the newest RANK_CANDIDATES matches):
    ranking reads each entry's whole vector, so ranking every match of a broad query
    ("child" matches nearly everything) would cost more than the rest of the page.
    """

    def __init__(
        self,
        *,
        query: str,
        candidates: list[int],
        words: list[str] | None = None,
        language: str = "en",
    ):
        self.query, self.candidates, self.words = query, candidates, words
        self.language = language
        self.excerpts: dict[int, str] | None = None  # the database's, for the last page read

    def count(self) -> int:  # what Paginator asks
        return len(self.candidates)

    def __len__(self) -> int:
        return len(self.candidates)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self.candidates))
        if start >= stop:
            return []
        if connection.vendor == "postgresql":
            found = search_postgres.ranked_page(
                self.candidates, self.query, self.words, start, stop, self.language
            )
            self.excerpts = {hit.pk: excerpt for hit, excerpt in found}
            return [hit for hit, _ in found]
        return search_sqlite.ranked_page(self.candidates, self.query, start, stop, self.language)


def mark_excerpt(text: str) -> SafeString:
    """Escape everything, then turn the highlight markers into <mark> elements."""
    escaped = escape(text)  # the control-character markers pass through unchanged
    if _WELL_MARKED.fullmatch(escaped):
        # The usual case: pairs in order, none nested (what the databases write).
        return mark_safe(  # noqa: S308 - built from escaped text
            escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
        )
    opened = 0
    out = []
    for char in escaped:
        if char == MARK_START:
            if not opened:
                out.append("<mark>")
            opened += 1
        elif char == MARK_END:
            if opened:
                opened -= 1
                if not opened:
                    out.append("</mark>")
        else:
            out.append(char)
    if opened:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - built from escaped text


def _python_excerpt(text: str, words: list[str], length: int = 240) -> str:
    """An excerpt around the first match, with markers, where the database cannot make one."""
    stems = [crude_stem(word) for word in words if word]
    lowered = text.lower()
    positions = [lowered.find(stem) for stem in stems if stem and stem in lowered]
    start = max(0, min(positions) - length // 3) if positions else 0
    excerpt = text[start : start + length]
    if stems:
        pattern = re.compile(
            r"\b(" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE
        )
        excerpt = pattern.sub(lambda m: MARK_START + m.group(0) + MARK_END, excerpt)
    return ("… " if start else "") + excerpt + (" …" if start + length < len(text) else "")


def excerpts(
    *, entries: list[SearchHit], query: str, raw: dict[int, str] | None = None
) -> dict[int, SafeString]:
    """A short, highlighted, safe excerpt for each entry shown: PostgreSQL's came with the
    entries (`raw`); SQLite's FTS5 snippets take one query; otherwise they are cut here."""
    if not entries:
        return {}
    if raw is None and connection.vendor != "postgresql":
        raw = search_sqlite.snippets([entry.pk for entry in entries], query)
    raw = raw or {}
    words = positive_words(query)
    result = {}
    for entry in entries:
        text = raw.get(entry.pk) or ""
        if MARK_START not in text:
            # The match is not in the main text (or there is no database excerpt): look in
            # the detail, else fall back to the start of the main text.
            in_detail = _python_excerpt(entry.detail, words) if entry.detail else ""
            if MARK_START in in_detail:
                text = in_detail
            elif not text:
                text = _python_excerpt(entry.body, words)
        result[entry.pk] = mark_excerpt(text)
    return result


def popular_themes(limit: int = 8) -> list[Theme]:
    """The busiest themes, for pages with no results."""

    return [
        theme for theme in selectors.theme_list_with_counts()[:limit] if theme.learning_point_count
    ]


@dataclass
class SearchResults:
    query: str
    filters: ReviewFilters
    page: Page | None
    excerpts: dict[int, SafeString] = field(default_factory=dict)
    facets: list[Facet] = field(default_factory=list)
    suggestion: str | None = None
    matched: int | None = None  # every match, when more than the pages go through
    dropped_words: int = 0  # left out to keep within search_limits.MAX_SEARCH_WORDS

    @property
    def total(self) -> int:
        if self.matched is not None:
            return self.matched
        return self.page.paginator.count if self.page else 0

    @property
    def hits(self) -> list[tuple[SearchHit, SafeString]]:
        if not self.page:
            return []
        return [(entry, self.excerpts.get(entry.pk, "")) for entry in self.page.object_list]


def search(
    *, query: str, filters: ReviewFilters, page: str | int = 1, per_page: int = PER_PAGE
) -> SearchResults:
    """One page of ranked results with excerpts and facet counts: the matching ids, then
    the page's ranking among the newest RANK_CANDIDATES matches with its rows."""
    query = clean_query(query)
    if not query:
        return SearchResults(query="", filters=filters, page=None)
    limited = limit_query(query, parse_terms(query))
    if not limited.text:
        return SearchResults(query=query, filters=filters, page=None)
    with time_limited():
        return _search(query, limited.text, limited.dropped, filters, page, per_page)


def _search(
    shown: str, query: str, dropped: int, filters: ReviewFilters, page, per_page: int
) -> SearchResults:
    snapshot = catalogue()
    # In Welsh: the Welsh translations' entries, and the English of untranslated reviews.
    language = current_language()
    shelf = snapshot.entries_for(language)
    found = find_matches(query, language)
    matched = shelf.of_ids(found.ids)
    chosen = shelf.select(filters, within=matched)
    total = chosen.bit_count()
    candidates = shelf.ids_at(chosen, 0, RANK_CANDIDATES)
    ranked = RankedEntries(query=query, candidates=candidates, words=found.words, language=language)
    current = Paginator(ranked, per_page).get_page(page)
    entries = current.object_list = list(current.object_list)
    suggestion = did_you_mean(query) if not total else None
    return SearchResults(
        query=shown,
        filters=filters,
        page=current,
        excerpts=excerpts(entries=entries, query=query, raw=ranked.excerpts),
        facets=snapshot.entry_facets(filters, within=matched),
        suggestion=suggestion,
        matched=total,
        dropped_words=dropped,
    )
