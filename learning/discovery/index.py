"""Keeping the search index (learning.SearchEntry) in step with what is published.

Publishing keeps it up to date through `SearchIndex` (at the end of this module), which
learning registers with reviews/publishing/public_copies.py when Django starts: every change
to what the public sees re-indexes the reviews concerned (`search_index_rebuild`) and takes
withdrawn ones out. Searches join back through Review.objects.published(), so a stale row
is never shown, only left unused.

PostgreSQL: a stored tsvector on each entry (english stemming; title weight A, text B, the
rest C), written with the row, with a GIN index. SQLite: an FTS5 table with Porter stemming,
keyed by the entry's id. A bulk rebuild ends by analysing what it filled, so the planner
knows the new rows (and the vectors' common words) at once.
"""

import html
import re
from collections.abc import Iterable, Sequence

import nh3
from django.db import connection, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from learning.models import SearchEntry
from reviews.models import ChronologyEvent, LearningPoint, Recommendation, Review
from reviews.translations.names import localised_name

FTS_TABLE = "learning_searchentry_fts"
SEARCH_CONFIG = "english"
# Welsh (and any language but English) is indexed without stemming: PostgreSQL has no Welsh
# dictionary, and English stemming would mangle Welsh words (docs/welsh-translations.md).
SIMPLE_CONFIG = "simple"


def search_config(language: str) -> str:
    """The text search configuration of entries (or queries) in `language`."""
    return SEARCH_CONFIG if language == "en" else SIMPLE_CONFIG


# Control characters mark highlights in excerpts, so indexed text must not contain them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACE = re.compile(r"\s+")
# tsvector holds at most 1 MB; no real review comes near, a pasted report might.
MAX_TEXT = 200_000
# A rebuild writing this many entries or more is a bulk load: it ends with ANALYZE.
ANALYSE_AFTER_ROWS = 1000


def plain_text(rendered_html: str) -> str:
    """Readable text from the sanitised HTML of a Markdown field, for excerpts and indexing."""
    # nh3 with no tags allowed keeps only the text, escaped; a third faster than strip_tags.
    text = html.unescape(nh3.clean(rendered_html or "", tags=set()))
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()[:MAX_TEXT]


def public_review_ids(language: str = "en") -> QuerySet[Review]:
    """Ids of the reviews whose entries a search in `language` may show: the published
    reviews, and in another language also their published translations."""
    public = Review.objects.published().order_by().values("pk")  # unordered: a set to test
    if language == "en":
        return public
    # One scan with both, not two subqueries joined by OR: with sequential scans off (the
    # matching statement turns them off for its transaction) that made PostgreSQL price the
    # plan in billions and spend seconds compiling it (JIT).
    both = Review.objects.published(translations=None).order_by()
    return both.filter(Q(translation_of__isnull=True) | Q(language=language)).values("pk")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _CONTROL.sub(" ", text or "")).strip()[:MAX_TEXT]


def _reviews_for_indexing(reviews: QuerySet[Review]) -> QuerySet[Review]:
    return reviews.select_related("board", "review_type", "translation_of").prefetch_related(
        "agencies",
        "findings",
        Prefetch("chronology_events", queryset=ChronologyEvent.objects.order_by("position")),
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("position")),
        Prefetch(
            "learning_points",
            queryset=LearningPoint.objects.order_by("position").prefetch_related(
                "themes", "agencies", "prompts"
            ),
        ),
    )


def _entries_for(review: Review) -> list[SearchEntry]:
    """The entries for one review (with prefetched relations)."""
    agencies = list(review.agencies.all())
    language = review.language
    # A translation's entries link to its original's address (read in its language there).
    common = {
        "review": review,
        "published_on": review.published_on,
        "review_slug": review.original_slug,
        "review_title": review.title,
        "board_name": localised_name(review.board, language=language),
    }
    rows = []
    for learning_point in review.learning_points.all():
        themes = list(learning_point.themes.all())
        detail = [prompt.question for prompt in learning_point.prompts.all()]
        detail += [localised_name(theme, language=language) for theme in themes]
        detail += [
            localised_name(agency, language=language) for agency in learning_point.agencies.all()
        ]
        detail.append(review.title)
        rows.append(
            SearchEntry(
                kind=SearchEntry.Kind.LEARNING_POINT,
                learning_point=learning_point,
                learning_point_position=learning_point.position,
                title=_clean(learning_point.title)[:200],
                body=plain_text(learning_point.body_html),
                detail=_clean(" \n".join(detail)),
                **common,
            )
        )
    detail = [
        review.plain_summary,
        review.child_pseudonym,
        localised_name(review.review_type, language=language),
        review.board.name,
        review.keywords.replace(",", " "),
        review.methodology,
        review.reviewer,
    ]
    detail += [localised_name(agency, language=language) for agency in agencies]
    for finding in review.findings.all():
        detail += [finding.heading, plain_text(finding.text_html)]
    for event in review.chronology_events.all():
        detail += [event.when, plain_text(event.text_html)]
    detail += [plain_text(r.text_html) for r in review.recommendations.all()]
    review_entry = SearchEntry(
        kind=SearchEntry.Kind.REVIEW,
        title=_clean(review.title)[:200],
        body=plain_text(review.summary_html),
        detail=_clean(" \n".join(part for part in detail if part)),
        plain_summary=_clean(review.plain_summary),
        **common,
    )
    rows.insert(0, review_entry)
    if connection.vendor == "postgresql":
        for row in rows:
            row.vector = _vector(row, search_config(review.language))
    return rows


# The weighted vector of an entry's text, computed by PostgreSQL as the row is inserted.
# Written out rather than built from SearchVector expressions: Django compiles those anew
# for every row, which cost more than the insert itself (2 s per thousand entries).
VECTOR_SQL = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'C')"
)


def _vector(entry: SearchEntry, config: str = SEARCH_CONFIG) -> RawSQL:
    texts = [entry.title, entry.body, entry.detail]
    return RawSQL(VECTOR_SQL, [part for text in texts for part in (config, text)])  # noqa: S611 - constant SQL


def sqlite_fts_available() -> bool:
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        return cursor.fetchone() is not None


def _delete_entries(review_ids: Sequence[int]) -> None:
    entries = SearchEntry.objects.filter(review_id__in=review_ids)
    if sqlite_fts_available():
        ids = list(entries.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608
    entries.delete()


def _write_entries(reviews: Iterable[Review]) -> int:
    built = [row for review in reviews for row in _entries_for(review)]
    if not built:
        return 0
    entries = SearchEntry.objects.bulk_create(built, batch_size=1000)
    if sqlite_fts_available():
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, detail) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [(entry.pk, entry.title, entry.body, entry.detail) for entry in entries],
            )
    return len(entries)


@transaction.atomic
def search_index_update(*, review: Review) -> int:
    """Index one review and its learning points as they are now; returns the rows written.

    Pass the live (published) copy. Safe to call again: the review's old rows go first.
    """
    _delete_entries([review.pk])
    return _write_entries(_reviews_for_indexing(Review.objects.filter(pk=review.pk)))


@transaction.atomic
def search_index_remove(*, review: Review) -> None:
    """Take a review and its learning points out of the search index (withdrawal)."""
    _delete_entries([review.pk])


def search_index_rebuild(*, reviews: QuerySet[Review] | None = None, batch_size: int = 500) -> int:
    """Index every published review (or the given ones) in batches; returns the rows written.

    Each batch is its own transaction, so a national-size rebuild never holds one huge lock.
    One that wrote ANALYSE_AFTER_ROWS rows or more (a bulk load, a full rebuild) ends by
    analysing the entries, so the planner's statistics (the vectors' common words among
    them) describe what was just written, not the empty table it started from. Smaller ones
    (a renamed board's reviews) are left to autovacuum: analysing costs a second at
    national scale.
    """
    everything = reviews is None
    if reviews is None:
        # Published translations too: their entries are what a Welsh search finds.
        reviews = Review.objects.published(translations=None)
    ids = list(reviews.order_by("pk").values_list("pk", flat=True))
    written = 0
    if everything:
        gone = SearchEntry.objects.exclude(review_id__in=ids)
        _delete_entries(list(gone.values_list("review_id", flat=True).distinct()))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            _delete_entries(chunk)
            written += _write_entries(_reviews_for_indexing(Review.objects.filter(pk__in=chunk)))
    if written >= ANALYSE_AFTER_ROWS:
        search_index_analyse()
    return written


def search_index_analyse() -> None:
    """Fresh planner statistics for the search entries (after a bulk write)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(SearchEntry._meta.db_table)}")


class SearchIndex:
    """The search index as the review record's publishing sees it (ReviewIndex in
    reviews/publishing/public_copies.py); learning registers it when Django starts."""

    def index(self, *, reviews: QuerySet[Review]) -> None:
        search_index_rebuild(reviews=reviews)

    @transaction.atomic
    def remove(self, *, review_ids: Iterable[int]) -> None:
        _delete_entries(list(review_ids))
