"""What bounds a search's cost, whatever a visitor types (learning/discovery/search.py calls these).

- At most MAX_SEARCH_WORDS words reach the database, on every backend: each word is a
  posting list of the GIN index on PostgreSQL and a MATCH term on SQLite (a query of a
  hundred short words, still under the 300-character cap, once took 5 to 8 seconds). Words that
  carry no meaning ("the", "and", "of"...) are dropped before counting, so they never use up
  the allowance. Queries within it are searched exactly as typed.
- Every statement that finds or ranks matches runs under a time limit, the last guard: on
  PostgreSQL `SET LOCAL statement_timeout` in the statement's own transaction, on SQLite a
  progress handler that interrupts it. Past the limit, `SearchTooBroad`: the page asks for
  fewer or more specific words, never a 500.
"""

import contextlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connection

# Enough for any question a practitioner asks ("father not seen by health visitor after
# discharge" is seven); a hundred words is not a search but a way to make work.
MAX_SEARCH_WORDS = 8

# English words that carry no meaning in a search (PostgreSQL's english configuration drops
# the same before matching; FTS5 would otherwise look each one up).
STOP_WORDS = frozenset(
    """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
""".split()  # noqa: SIM905
)


_WORD = re.compile(r"\w+", re.UNICODE)
# SQLite virtual machine steps between two looks at the clock.
PROGRESS_STEPS = 5000


class SearchTooBroad(Exception):
    """A search statement ran past its time limit."""


@dataclass
class LimitedQuery:
    text: str  # what is searched
    dropped: int  # meaningful words left out to keep within MAX_SEARCH_WORDS


def limit_query(query: str, terms: list) -> LimitedQuery:
    """The query within MAX_SEARCH_WORDS words: unchanged when it already is, else rebuilt
    from its first terms (`terms` as learning.discovery.search.parse_terms reads them), stop words
    dropped from single-word terms first. Phrases keep their words and count them all."""
    if sum(len(term.words) for term in terms) <= MAX_SEARCH_WORDS:
        return LimitedQuery(text=query, dropped=0)
    parts, used = [], 0
    for term in terms:
        words = term.words
        if len(words) == 1 and words[0] in STOP_WORDS:
            continue
        if used + len(words) > MAX_SEARCH_WORDS:
            continue
        used += len(words)
        text = words[0] if len(words) == 1 else '"' + " ".join(words) + '"'
        parts.append(("or " if term.or_before and parts else "") + ("-" * term.negated) + text)
    # Counted in the whole query: `terms` stops after the parser's own limit.
    meaningful = [w for w in _WORD.findall(query.lower()) if w not in STOP_WORDS | {"or"}]
    return LimitedQuery(text=" ".join(parts), dropped=max(0, len(meaningful) - used))


def statement_timeout_sql() -> str:
    """Put before a PostgreSQL search statement sent in one string: the limit lasts for that
    statement's transaction only (the whole request's, inside an atomic block)."""
    return f"SET LOCAL statement_timeout = {int(settings.SEARCH_STATEMENT_TIMEOUT_MS)}; "


def _cancelled(error: OperationalError) -> bool:
    cause = error.__cause__
    if connection.vendor == "postgresql":
        return getattr(cause, "pgcode", None) == "57014"  # query_canceled
    return "interrupted" in str(error)


@contextlib.contextmanager
def time_limited():
    """Raises SearchTooBroad when a statement inside runs past SEARCH_STATEMENT_TIMEOUT_MS.

    PostgreSQL's statements carry their own limit (statement_timeout_sql); SQLite's are
    interrupted by a progress handler checking the clock every few thousand steps.
    """
    handler_set = False
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        deadline = time.monotonic() + settings.SEARCH_STATEMENT_TIMEOUT_MS / 1000
        connection.connection.set_progress_handler(
            lambda: time.monotonic() > deadline, PROGRESS_STEPS
        )
        handler_set = True
    try:
        yield
    except OperationalError as error:
        if _cancelled(error):
            raise SearchTooBroad from error
        raise
    finally:
        if handler_set:
            connection.connection.set_progress_handler(None, 0)
