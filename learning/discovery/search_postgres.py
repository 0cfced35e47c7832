"""Search on PostgreSQL: its own full-text search over the stored, weighted tsvector of
learning.SearchEntry (english stemming; title A, main text B, the rest C) and its GIN index.

PostgreSQL reads the query (websearch_to_tsquery: "quoted phrases", `or`, `-word`), so
stemming, stop words and phrase positions are its own. A search takes two statements at
any size: every matching id (one value, eight bytes an id, for the catalogue's counts), and
one that ranks the bounded candidate set learning/discovery/search.py passes (ts_rank) and reads the
page's rows, with excerpts (ts_headline) for those rows only. Both run under the search
time limit (learning/discovery/search_limits.py).
"""

import re
import sys
from array import array
from collections.abc import Sequence

from django.db import connection

from learning.discovery.index import SEARCH_CONFIG, public_review_ids, search_config
from learning.discovery.search_hits import HIT_FIELDS, MARK_END, MARK_START, Matches, SearchHit
from learning.discovery.search_limits import statement_timeout_sql
from learning.models import SearchEntry

# The query as PostgreSQL read it, and every matching id in one value: as bytes rather than
# an int8[] (printed as text and parsed back), a quarter less time for a broad word. The
# tsquery comes from a function in FROM, so the planner cannot see how common its words
# are and takes the GIN index; priced with the words known, a broad word ("child") got a
# sequential scan that unpacks every vector, three times slower.
_MATCH_SQL = (
    "SELECT q::text, (SELECT string_agg(int8send(e.id), ''::bytea) FROM {entries} e "  # noqa: S608
    "WHERE e.vector @@ q) FROM websearch_to_tsquery(%s::regconfig, %s) AS q"
)

# In another language than English: Welsh entries are indexed without stemming (simple),
# English ones (reviews without a translation) with it, so an entry matches either reading.
_MATCH_SQL_TRANSLATED = (
    "SELECT NULL, (SELECT string_agg(int8send(e.id), ''::bytea) FROM {entries} e "  # noqa: S608
    "WHERE e.vector @@ q OR e.vector @@ q2) "
    "FROM websearch_to_tsquery(%s::regconfig, %s) AS q, "
    "websearch_to_tsquery(%s::regconfig, %s) AS q2"
)

_LEXEME = r"'(?:[^']|'')*'"
_ITEM = rf"(?:!\s*{_LEXEME}|{_LEXEME}(?:\s*<->\s*{_LEXEME})?)"
# Words, excluded words and two-word phrases, joined by & and |: the shapes whose words
# tell whether an entry's main text can hold a match (more below).
_PLAIN_TSQUERY = re.compile(rf"\s*{_ITEM}(?:\s*[&|]\s*{_ITEM})*\s*")
_WANTED_LEXEME = re.compile(rf"(!\s*)?({_LEXEME})")
# How PostgreSQL escapes a quote ('') or a backslash (two backslashes) inside a lexeme.
_TSQUERY_ESCAPE = re.compile(r"''|\\(.)")


def _unescape(match: re.Match) -> str:
    return match.group(1) or "'"


def query_words(tsquery: str) -> list[str] | None:
    """The lexemes a match of `tsquery` (as PostgreSQL prints it) holds at least one of: its
    words and phrases' words, not its excluded words. None for other shapes (longer or
    excluded phrases, words some distance apart, brackets), where it is not worked out.
    """
    if not tsquery.strip():
        return []
    if not _PLAIN_TSQUERY.fullmatch(tsquery):
        return None
    return [
        _TSQUERY_ESCAPE.sub(_unescape, lexeme[1:-1])
        for excluded, lexeme in _WANTED_LEXEME.findall(tsquery)
        if not excluded
    ]


def _ids_of(packed: bytes | memoryview | None) -> Sequence[int]:
    ids = array("q")
    if packed:
        ids.frombytes(bytes(packed))
        if sys.byteorder == "little":
            ids.byteswap()  # int8send writes network (big-endian) order
    return ids


def matches(query: str, language: str = "en") -> Matches:
    """Every entry whose vector matches the query, public or not."""
    params = [SEARCH_CONFIG, query]
    sql = _MATCH_SQL
    if language != "en":
        sql = _MATCH_SQL_TRANSLATED
        params = [search_config(language), query, SEARCH_CONFIG, query]
    with connection.cursor() as cursor:
        cursor.execute(
            statement_timeout_sql()
            + "SET LOCAL enable_seqscan = off; "
            + sql.format(entries=SearchEntry._meta.db_table),
            params,
        )
        tsquery, packed = cursor.fetchone()
    # Words are worked out for English only; elsewhere every excerpt is cut.
    return Matches(ids=_ids_of(packed), words=None if tsquery is None else query_words(tsquery))


def _pg_array(ids: list[int]) -> str:
    """Ids as one array literal: psycopg2 sends a list as ARRAY[...] with an expression per
    element, which PostgreSQL takes milliseconds to plan at a thousand elements."""
    return "{" + ",".join(map(str, ids)) + "}"


# ts_headline's options: the markers mark_excerpt() turns into <mark>, two short fragments.
_HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def ranked_page(
    candidates: list[int],
    query: str,
    words: list[str] | None,
    start: int,
    stop: int,
    language: str = "en",
) -> list[tuple[SearchHit, str | None]]:
    """One page of the candidates, best match first, each with its excerpt.

    One statement, written out (through the ORM it took longer to build than to run). The
    candidates are ranked and only the page's rows are read; they are checked against
    published() once more, so nothing shows that stopped being public since the catalogue
    was read. The excerpt is cut from the main text only (a review's detail holds its whole
    chronology, and ts_headline parses everything it is given), and only if the main text
    holds one of the query's `words` (weight B in its vector): most matches of a theme's
    name are in the detail, and cutting an excerpt with nothing to mark costs as much as
    one that has.
    """
    public = public_review_ids(language)
    published, published_params = public.query.sql_with_params()
    entry = SearchEntry._meta.db_table
    fields = [SearchEntry._meta.pk.name, *HIT_FIELDS[1:]]
    columns = ", ".join(f"e.{SearchEntry._meta.get_field(name).column}" for name in fields)
    sql = (
        "WITH page AS (SELECT r.id, c.n, ts_rank(r.vector, q.query) AS rank "  # noqa: S608
        f"FROM {entry} r JOIN unnest(%s::bigint[]) WITH ORDINALITY AS c(id, n) "
        "ON c.id = r.id, websearch_to_tsquery(%s::regconfig, %s) AS q(query) "
        "ORDER BY rank DESC, c.n LIMIT %s OFFSET %s) "
        f"SELECT {columns}, CASE WHEN %s::text[] IS NULL "
        "OR tsvector_to_array(ts_filter(e.vector, '{b}')) && %s::text[] "
        "THEN ts_headline(%s::regconfig, e.body, websearch_to_tsquery(%s::regconfig, %s), %s) "
        f"END FROM page JOIN {entry} e ON e.id = page.id "
        f"WHERE e.review_id IN ({published}) ORDER BY page.rank DESC, page.n"
    )
    # In Welsh, ranked and cut without stemming (English entries rank by their exact words).
    config = search_config(language)
    params = [_pg_array(candidates), config, query, stop - start, start, words, words]
    params += [config, config, query, _HEADLINE_OPTIONS, *published_params]
    with connection.cursor() as cursor:
        cursor.execute(statement_timeout_sql() + sql, params)
        return [(SearchHit(*row[:-1]), row[-1]) for row in cursor.fetchall()]
