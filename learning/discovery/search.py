"""Full-text search over published reviews and their learning points.

PostgreSQL: the stored tsvector of learning.SearchEntryWords, queried with
websearch_to_tsquery (english stemming; "quoted phrases", `or`, `-word`), ranked with ts_rank
and excerpted with ts_headline. Matches are found through the vectors' lexemes, one row each
in learning.SearchWord, and two-word phrases in learning.SearchEntryWordPairs; queries of
any other shape go to the vectors' GIN index whole. SQLite: the FTS5 table (Porter
stemming, bm25, snippet) with the same query syntax translated; if this SQLite has no FTS5,
a stemmed LIKE search.

Any text is a valid query: it is cleaned and cut to MAX_QUERY_LENGTH, never passed to a
parser that can fail. Only entries the catalogue holds (learning/discovery/catalogue.py, read from
Review.objects.published()) are counted or shown.
Excerpts are escaped first; only then are the <mark> tags put in.
"""

import datetime
import difflib
import re
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learning.discovery.catalogue import catalogue
from learning.discovery.facets import Facet, ReviewFilters
from learning.discovery.index import FTS_TABLE, SEARCH_CONFIG, sqlite_fts_available
from learning.discovery.search_limits import limit_query, statement_timeout_sql, time_limited
from learning.models import SearchEntry, SearchEntryWordPairs, SearchEntryWords, SearchWord
from portal.cache import page_timeout, public_cache_generation
from reviews.models import Agency, Review, Theme, learning_point_url

MAX_QUERY_LENGTH = 300
MAX_TERMS = 24
PER_PAGE = 20
# Search ranks at most this many matches (the newest), so result pages stop there.
RANK_CANDIDATES = 500
MARK_START, MARK_END = "\x02", "\x03"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Text whose highlight markers come in opened-then-closed pairs, none inside another.
_WELL_MARKED = re.compile(r"[^\x02\x03]*(?:\x02[^\x02\x03]*\x03[^\x02\x03]*)*")
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')

# Words practitioners search for that may not appear in theme or agency names.
GLOSSARY = set(
    """
abuse accident adolescent alcohol assessment attendance baby bathing bruising carer chronology
communication concern coercive control cosleeping curiosity dad disclosure domestic drugs
education engagement escalation exploitation father grandparent health hospital housing
injury interpreter isolation listening supervision midwife mother neglect nursery overlay
paediatric parent police pregnancy referral risk safe school sleep strategy substance suicide
supervision threshold transition trauma visitor voice vulnerability weight
""".split()  # noqa: SIM905
)


@dataclass
class Term:
    words: list[str]
    negated: bool = False
    or_before: bool = False


def clean_query(raw: str | None) -> str:
    """The query as searched: control characters gone, whitespace collapsed, length capped."""
    text = _CONTROL.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def parse_terms(query: str) -> list[Term]:
    """Words and "phrases" as websearch_to_tsquery reads them: `or` between, `-` to exclude."""
    terms: list[Term] = []
    pending_or = False
    for match in _TOKEN.finditer(query):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or" and terms:
                pending_or = True
                continue
            negated = "-" if bare.startswith("-") and len(bare) > 1 else ""
            text = bare[1:] if negated else bare
        else:
            text = phrase
        words = _WORD.findall(text.lower())
        if not words:
            continue
        terms.append(Term(words=words[:16], negated=bool(negated), or_before=pending_or))
        pending_or = False
        if len(terms) >= MAX_TERMS:
            break
    return terms


def fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression; every word is quoted, so no input can be an operator."""

    def phrase(term: Term) -> str:
        return '"' + " ".join(term.words) + '"'

    groups: list[list[str]] = []
    for term in terms:
        if term.negated:
            continue
        if term.or_before and groups:
            groups[-1].append(phrase(term))
        else:
            groups.append([phrase(term)])
    if not groups:
        return ""
    expression = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
    for term in terms:
        if term.negated:
            expression = f"({expression}) NOT {phrase(term)}"
    return expression


def _crude_stem(word: str) -> str:
    for suffix in ("ments", "ment", "ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _backend() -> str:
    if connection.vendor == "postgresql":
        return "postgresql"
    if sqlite_fts_available():
        return "fts5"
    return "like"


_TSQUERY_TOKEN = re.compile(r"'((?:[^']|'')*)'|(<->)|<(\d+)>|([&|!()])")
_TSQUERY_TEXT = re.compile(r"(?:\s*(?:'(?:[^']|'')*'|<\d+>|<->|[&|!()]))*\s*")
# How PostgreSQL escapes a quote ('') or a backslash (two backslashes) inside a lexeme.
_TSQUERY_ESCAPE = re.compile(r"''|\\(.)")


def _unescape(match: re.Match) -> str:
    return match.group(1) or "'"


@dataclass
class WordGroup:
    """Entries holding every one of `words`, each of `pairs` ("first second") side by side,
    and none of `excluded`."""

    words: list[str] = field(default_factory=list)
    pairs: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def word_groups(tsquery: str) -> list[WordGroup] | None:
    """A tsquery, as PostgreSQL prints it, as alternatives of word groups:
    `'safe' <-> 'sleep' & !'bath' | 'neglect'` gives two groups, (pairs "safe sleep",
    excluding "bath") or (word "neglect"), or None if it has another shape (a longer or an
    excluded phrase, brackets): the GIN index answers those whole. [] for a query of stop
    words only.
    """
    if not _TSQUERY_TEXT.fullmatch(tsquery):
        return None
    tokens = _TSQUERY_TOKEN.findall(tsquery)
    if not tokens:
        return []
    groups = [WordGroup()]
    item: list[str] = []  # the word, or the two words of a phrase, being read
    excluding = linked = False  # after "!"; after "<->"
    for lexeme, follows, _distance, operator in [*tokens, ("", "", "", "&")]:
        if lexeme:
            if item and not linked:
                return None
            item.append(_TSQUERY_ESCAPE.sub(_unescape, lexeme))
            linked = False
        elif follows:
            if excluding or len(item) != 1:
                # An excluded phrase, or one of three or more words: PostgreSQL checks
                # their positions entry by entry, as it must.
                return None
            linked = True
        elif operator == "!" and not item and not excluding:
            excluding = True
        elif operator in ("&", "|") and item and not linked:
            group = groups[-1]
            if len(item) == 2:
                group.pairs.append(" ".join(item))
            else:
                (group.excluded if excluding else group.words).append(item[0])
            item, excluding = [], False
            if operator == "|":
                groups.append(WordGroup())
        else:
            return None  # words some distance apart (<2>), brackets
    return groups


def _pg_tsquery_literal(lexemes: list[str]) -> str:
    """An AND of lexemes in tsquery input syntax, each quoted as a whole."""
    quoted = ("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
    return " & ".join(quoted)


# Every matching id in one value, eight bytes each: one row instead of tens of thousands,
# and as bytes rather than an int8[] (which is printed as text and parsed back), a quarter
# less time for a broad word.
_IDS_AS_BYTES = "string_agg(int8send(entry_id), ''::bytea)"


def _group_sql(group: WordGroup) -> tuple[str, list]:
    """SELECT entry_id of the entries in one word group."""
    words, pairs = SearchWord._meta.db_table, SearchEntryWordPairs._meta.db_table
    vectors = SearchEntryWords._meta.db_table
    params: list = []
    if group.words:
        # One index range per word, joined: the planner starts from the rarest word.
        first, *others = group.words
        sql = f"SELECT w0.entry_id FROM {words} w0"  # noqa: S608 - constant SQL
        for number, word in enumerate(others, start=1):
            sql += f" JOIN {words} w{number} ON w{number}.entry_id = w0.entry_id"
            sql += f" AND w{number}.word = %s"
            params.append(word)
        sql += " WHERE w0.word = %s"
        params.append(first)
        key = "w0.entry_id"
        if group.pairs:
            sql += f" AND {key} IN (SELECT entry_id FROM {pairs} WHERE pairs @@ %s::tsquery)"  # noqa: S608
            params.append(_pg_tsquery_literal(group.pairs))
    elif group.pairs:
        # A pair implies both its words: the pairs' GIN index alone answers.
        sql = f"SELECT p.entry_id FROM {pairs} p WHERE p.pairs @@ %s::tsquery"  # noqa: S608
        params.append(_pg_tsquery_literal(group.pairs))
        key = "p.entry_id"
    else:
        sql = f"SELECT e.entry_id FROM {vectors} e WHERE true"  # noqa: S608 - exclusions only
        key = "e.entry_id"
    if group.excluded:
        sql += f" AND NOT EXISTS (SELECT FROM {words} x WHERE x.entry_id = {key}"
        sql += " AND x.word = ANY(%s))"
        params.append(group.excluded)
    return sql, params


@dataclass
class Matches:
    """Every search entry whose words match a query, public or not (the caller keeps those
    the catalogue holds, learning/discovery/catalogue.py, which are the published ones)."""

    ids: Sequence[int]
    # Stemmed words (as PostgreSQL wrote them) of which a match holds at least one; None
    # where they are not known.
    words: list[str] | None = None


# One word of letters and digits: PostgreSQL reads it as at most one lexeme, the same in a
# tsvector as in a tsquery, so it is stemmed and looked up in one statement.
_ONE_WORD = re.compile(r"[^\W_]+")


def _one_word_matches_pg(query: str) -> Matches | None:
    words = SearchWord._meta.db_table
    lexemes = "tsvector_to_array(to_tsvector(%s::regconfig, %s))"
    with connection.cursor() as cursor:
        cursor.execute(
            f"{statement_timeout_sql()}SET LOCAL enable_seqscan = off; "  # noqa: S608
            f"SELECT {lexemes}, (SELECT {_IDS_AS_BYTES} "
            f"FROM {words} WHERE word = ({lexemes})[1])",
            [SEARCH_CONFIG, query, SEARCH_CONFIG, query],
        )
        lexemes_found, packed = cursor.fetchone()
    if len(lexemes_found) > 1:
        return None  # never seen; the general way reads it
    return Matches(ids=_ids_of(packed), words=lexemes_found)


def _ids_of(packed: bytes | memoryview | None) -> Sequence[int]:
    ids = array("q")
    if packed:
        ids.frombytes(bytes(packed))
        if sys.byteorder == "little":
            ids.byteswap()  # int8send writes network (big-endian) order
    return ids


def _matches_pg(query: str) -> Matches:
    if _ONE_WORD.fullmatch(query) and (matches := _one_word_matches_pg(query)) is not None:
        return matches
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT websearch_to_tsquery(%s::regconfig, %s)::text", [SEARCH_CONFIG, query]
        )
        tsquery = cursor.fetchone()[0]
    groups = word_groups(tsquery)
    if groups == []:
        return Matches(ids=[], words=[])
    if groups is None:
        table = SearchEntryWords._meta.db_table
        sql = f"SELECT {_IDS_AS_BYTES} FROM {table} WHERE vector @@ %s::tsquery"  # noqa: S608
        params: list = [tsquery]
    else:
        parts = [_group_sql(group) for group in groups]
        union = " UNION ".join(part for part, _ in parts)
        sql = f"SELECT {_IDS_AS_BYTES} FROM ({union}) AS matched"  # noqa: S608 - constant SQL
        params = [param for _, part_params in parts for param in part_params]
    # No sequential scans: the planner prices one of a broad word's vectors ("child") below
    # the GIN index, not knowing that it means unpacking every vector (three times slower,
    # measured). SET LOCAL lasts only for this statement's own transaction.
    with connection.cursor() as cursor:
        cursor.execute(statement_timeout_sql() + "SET LOCAL enable_seqscan = off; " + sql, params)
        ids = _ids_of(cursor.fetchone()[0])
    if groups is None:
        return Matches(ids=ids)
    words = [word for group in groups for pair in group.pairs for word in pair.split(" ")]
    return Matches(ids=ids, words=words + [word for group in groups for word in group.words])


def find_matches(query: str) -> Matches:
    """The search entries whose words match the query (public or not)."""
    backend = _backend()
    if backend == "postgresql":
        return _matches_pg(query)
    terms = parse_terms(query)
    if backend == "fts5":
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
            stem = _crude_stem(word)
            entries = entries.filter(
                Q(title__icontains=stem) | Q(body__icontains=stem) | Q(detail__icontains=stem)
            )
    return Matches(ids=list(entries.values_list("pk", flat=True)))


def matching_ids(query: str) -> Sequence[int]:
    """Ids of every search entry whose words match the query, public or not."""
    return find_matches(query).ids


@dataclass
class SearchHit:
    """One search result as the page shows it: read as plain values, not model instances
    (a page of twenty cost four models each)."""

    pk: int
    kind: str
    title: str
    body: str
    detail: str
    published_on: datetime.date | None
    review_slug: str
    review_title: str
    board_name: str
    learning_point_position: int | None

    @property
    def is_learning_point(self) -> bool:
        return self.kind == SearchEntry.Kind.LEARNING_POINT

    @property
    def url(self) -> str:
        review = reverse("reviews:detail", kwargs={"slug": self.review_slug})
        if self.learning_point_position is None:
            return review
        return learning_point_url(review_url=review, position=self.learning_point_position)


HIT_FIELDS = [
    "pk",
    "kind",
    "title",
    "body",
    "detail",
    "published_on",
    "review_slug",
    "review_title",
    "board_name",
    "learning_point_position",
]


def _hits(entries: QuerySet[SearchEntry]) -> list[SearchHit]:
    return [SearchHit(*row) for row in entries.values_list(*HIT_FIELDS)]


def _pg_array(ids: list[int]) -> str:
    """Ids as one array literal: psycopg2 sends a list as ARRAY[...] with an expression per
    element, which PostgreSQL takes milliseconds to plan at a thousand elements."""
    return "{" + ",".join(map(str, ids)) + "}"


# ts_headline's options: the markers mark_excerpt() turns into <mark>, two short fragments.
_HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def _ranked_page_pg(
    candidates: list[int], query: str, words: list[str] | None, start: int, stop: int
) -> list[tuple[SearchHit, str | None]]:
    """One page of the candidates, best match first, each with its excerpt.

    One statement, written out (through the ORM it took longer to build than to run):
    the candidates are ranked in the narrow words table, and only the page's rows are read.
    They are checked against published() once more, so nothing shows that stopped being
    public since the catalogue was read. The excerpt is cut from the main text only (a
    review's detail holds its whole chronology, and ts_headline parses everything it is
    given), and only if the main text holds one of the query's `words` (weight B in its
    vector): most matches of a theme's name are in the detail, and cutting an excerpt with
    nothing to mark costs as much as one that has.
    """
    public = Review.objects.published().order_by().values("pk")  # unordered: a set to test
    published, published_params = public.query.sql_with_params()
    entry, vectors = SearchEntry._meta.db_table, SearchEntryWords._meta.db_table
    fields = [SearchEntry._meta.pk.name, *HIT_FIELDS[1:]]
    columns = ", ".join(f"e.{SearchEntry._meta.get_field(name).column}" for name in fields)
    sql = (
        "WITH page AS (SELECT entry_id, c.n, ts_rank(vector, q.query) AS rank, vector "  # noqa: S608
        f"FROM {vectors} JOIN unnest(%s::bigint[]) WITH ORDINALITY AS c(id, n) "
        "ON c.id = entry_id, websearch_to_tsquery(%s::regconfig, %s) AS q(query) "
        "ORDER BY rank DESC, c.n LIMIT %s OFFSET %s) "
        f"SELECT {columns}, CASE WHEN %s::text[] IS NULL "
        "OR tsvector_to_array(ts_filter(page.vector, '{b}')) && %s::text[] "
        "THEN ts_headline(%s::regconfig, e.body, websearch_to_tsquery(%s::regconfig, %s), %s) "
        f"END FROM page JOIN {entry} e ON e.id = page.entry_id "
        f"WHERE e.review_id IN ({published}) ORDER BY page.rank DESC, page.n"
    )
    params = [_pg_array(candidates), SEARCH_CONFIG, query, stop - start, start, words, words]
    params += [SEARCH_CONFIG, SEARCH_CONFIG, query, _HEADLINE_OPTIONS, *published_params]
    with connection.cursor() as cursor:
        cursor.execute(statement_timeout_sql() + sql, params)
        return [(SearchHit(*row[:10]), row[10]) for row in cursor.fetchall()]


class RankedEntries(Sequence):
    """The candidates (ids of matching entries, newest first), best match first, for a
    Paginator: a page costs one query, which ranks them and reads the page's rows.

    Only a bounded set is ranked (search() passes the newest RANK_CANDIDATES matches):
    ranking reads each entry's whole vector, so ranking every match of a broad query
    ("child" matches nearly everything) would cost more than the rest of the page.
    """

    def __init__(self, *, query: str, candidates: list[int], words: list[str] | None = None):
        self.query, self.candidates, self.words = query, candidates, words
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
        backend = _backend()
        if backend == "postgresql":
            found = _ranked_page_pg(self.candidates, self.query, self.words, start, stop)
            self.excerpts = {hit.pk: excerpt for hit, excerpt in found}
            return [hit for hit, _ in found]
        # Checked against published() once more, so nothing shows that stopped being
        # public since the catalogue was read.
        entries = SearchEntry.objects.filter(review__in=Review.objects.published())
        if backend == "fts5":
            expression = fts5_query(parse_terms(self.query))
            # bm25: lower is better; title counts ten times, text four, the rest once.
            rank = RawSQL(  # noqa: S611 - constant SQL, the query is a parameter
                f"SELECT bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = learning_searchentry.id",
                [expression],
            )
            ranked = (
                entries.filter(pk__in=self.candidates)
                .annotate(rank=rank)
                .order_by("rank", "-published_on", "pk")
            )
            return _hits(ranked[start:stop])
        wanted = self.candidates[start:stop]
        by_id = {hit.pk: hit for hit in _hits(entries.filter(pk__in=wanted))}
        return [by_id[pk] for pk in wanted if pk in by_id]


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
    stems = [_crude_stem(word) for word in words if word]
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
    ids = [entry.pk for entry in entries]
    if raw is None and _backend() == "fts5":
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
    raw = raw or {}
    words = [word for term in parse_terms(query) if not term.negated for word in term.words]
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


def _vocabulary() -> set[str]:
    """Words to suggest: the glossary, the theme vocabulary (public on /themes/), and the
    agencies and titles of published reviews only: a scheduled or expired review's words
    must not leak through a "did you mean"."""
    words = set(GLOSSARY)
    for text in Theme.objects.values_list("name", flat=True):
        words.update(_WORD.findall(text.lower()))
    published = Review.objects.published()
    # One probe per agency (there are dozens), stopping at its first published review.
    links = Review.agencies.through.objects.filter(agency=OuterRef("pk"), review__in=published)
    agencies = Agency.objects.filter(Exists(links))
    for text in agencies.values_list("name", flat=True)[:500]:
        words.update(_WORD.findall(text.lower()))
    titles = (
        SearchEntry.objects.filter(review__in=published)
        .order_by("-pk")
        .values_list("title", flat=True)[:500]
    )
    for text in titles:
        words.update(_WORD.findall(text.lower()))
    return {word for word in words if len(word) > 2 and not word.isdigit()}


def _vocabulary_now() -> list[str]:
    """The vocabulary, read once per change of what is public, not on every search that
    finds nothing: kept like a public page (the cache's generation, and never past the next
    scheduled go-live or expiry, so an expired review's words go with it)."""
    generation = public_cache_generation()
    key = f"search:vocabulary:{generation}"
    words = cache.get(key)
    if words is None:
        words = sorted(_vocabulary())
        if timeout := page_timeout(generation):
            cache.set(key, words, timeout)
    return words


def did_you_mean(query: str) -> str | None:
    """A respelling of the query from words the portal uses, or None."""
    terms = parse_terms(query)
    if not terms:
        return None
    vocabulary = _vocabulary_now()
    changed = False
    parts = []
    for term in terms:
        words = []
        for word in term.words:
            if word in vocabulary or len(word) < 4:
                words.append(word)
                continue
            close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
            if close:
                changed = True
                words.append(close[0])
            else:
                words.append(word)
        text = " ".join(words)
        if len(words) > 1:
            text = f'"{text}"'
        parts.append(("or " if term.or_before else "") + ("-" if term.negated else "") + text)
    return " ".join(parts) if changed else None


def popular_themes(limit: int = 8) -> list[Theme]:
    """The busiest themes, for pages with no results."""
    from learning import selectors

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
    """One page of ranked results with excerpts and facet counts, in three queries: the
    matching ids, the page's ranking among the newest RANK_CANDIDATES matches, its rows."""
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
    shelf = snapshot.entries
    found = find_matches(query)
    matched = shelf.of_ids(found.ids)
    chosen = shelf.select(filters, within=matched)
    total = chosen.bit_count()
    candidates = shelf.ids_at(chosen, 0, RANK_CANDIDATES)
    ranked = RankedEntries(query=query, candidates=candidates, words=found.words)
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
