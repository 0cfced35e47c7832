"""Search on SQLite (development, tests): the FTS5 table of learning/discovery/index.py (Porter
stemming, bm25, snippet), with the same query syntax translated by fts5_query, so nothing
typed is an operator. A SQLite built without FTS5 (it is a compile-time option of the
library Python links, not of Python) gets a LIKE search on crudely stemmed words.
"""

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from learning.discovery.index import FTS_TABLE, public_review_ids, sqlite_fts_available
from learning.discovery.search_hits import MARK_END, MARK_START, Matches, SearchHit, hits
from learning.discovery.search_query import crude_stem, fts5_query, parse_terms
from learning.models import SearchEntry


def matches(query: str) -> Matches:
    """Every entry whose text matches the query, public or not."""
    terms = parse_terms(query)
    if sqlite_fts_available():
        expression = fts5_query(terms)
        if not expression:
            return Matches(ids=[])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [expression],
            )
            return Matches(ids=[row[0] for row in cursor.fetchall()])
    positives = [term for term in terms if not term.negated]
    if not positives:
        return Matches(ids=[])
    entries = SearchEntry.objects.all()
    for term in positives:
        for word in term.words:
            stem = crude_stem(word)
            entries = entries.filter(
                Q(title__icontains=stem) | Q(body__icontains=stem) | Q(detail__icontains=stem)
            )
    return Matches(ids=list(entries.values_list("pk", flat=True)))


def ranked_page(
    candidates: list[int], query: str, start: int, stop: int, language: str = "en"
) -> list[SearchHit]:
    """One page of the candidates, best match first (without FTS5: in the candidates'
    order, newest first)."""
    # Checked against published() once more, so nothing shows that stopped being public
    # since the catalogue was read.
    entries = SearchEntry.objects.filter(review__in=public_review_ids(language))
    if sqlite_fts_available():
        expression = fts5_query(parse_terms(query))
        # bm25: lower is better; title counts ten times, text four, the rest once.
        rank = RawSQL(  # noqa: S611 - constant SQL, the query is a parameter
            f"SELECT bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = learning_searchentry.id",
            [expression],
        )
        ranked = (
            entries.filter(pk__in=candidates)
            .annotate(rank=rank)
            .order_by("rank", "-published_on", "pk")
        )
        return hits(ranked[start:stop])
    wanted = candidates[start:stop]
    by_id = {hit.pk: hit for hit in hits(entries.filter(pk__in=wanted))}
    return [by_id[pk] for pk in wanted if pk in by_id]


def snippets(ids: list[int], query: str) -> dict[int, str] | None:
    """FTS5's excerpt of each entry, from its main text if the match is there, else from
    the rest; None without FTS5 (excerpts are then cut in Python)."""
    if not sqlite_fts_available():
        return None
    raw = {}
    expression = fts5_query(parse_terms(query))
    marks = ",".join(["%s"] * len(ids))
    sql = (
        f"SELECT rowid, snippet({FTS_TABLE}, 1, %s, %s, ' … ', 28), "  # noqa: S608
        f"snippet({FTS_TABLE}, 2, %s, %s, ' … ', 28) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [MARK_START, MARK_END, MARK_START, MARK_END, expression, *ids])
        for pk, body, detail in cursor.fetchall():
            raw[pk] = body if MARK_START in (body or "") or MARK_START not in detail else detail
    return raw
