"""A search's cost is bounded whatever is typed: words capped, stop words dropped, a time
limit on every statement that finds or ranks matches."""

import random
import string

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.discovery import search_limits
from learning.discovery.facets import ReviewFilters
from learning.discovery.search import parse_terms, search
from learning.discovery.search_limits import MAX_SEARCH_WORDS, limit_query
from tests.factories import build_review

pytestmark = pytest.mark.django_db


def hostile_query() -> str:
    """About a hundred short distinct words, under the 300-character cap."""
    rng = random.Random(14)
    words: set[str] = set()
    while len(" ".join(words)) < 290:
        words.add("".join(rng.choices(string.ascii_lowercase, k=2)))
    return " ".join(sorted(words))[:299].rsplit(" ", 1)[0]


def limited(query: str):
    return limit_query(query, parse_terms(query))


def test_a_query_within_the_allowance_is_searched_exactly_as_typed():
    for query in ('"safe sleep" -bath', "neglect or police", "father not seen by the GP"):
        assert limited(query).text == query
        assert limited(query).dropped == 0


def test_a_hundred_word_query_keeps_only_the_first_words_allowed():
    query = hostile_query()
    assert len(query.split()) > 90

    result = limited(query)

    assert len(result.text.split()) <= MAX_SEARCH_WORDS
    assert result.dropped > 80


def test_stop_words_never_use_up_the_allowance():
    query = "the of and to in is was it for on with as neglect police"

    assert limited(query).text == "neglect police"


def test_phrases_exclusions_and_alternatives_survive_the_cut():
    query = '"safe sleep" -bath or cot the a an is ' + " ".join(f"w{n}" for n in range(10))

    text = limited(query).text

    assert text.startswith('"safe sleep" -bath or cot')
    assert len(parse_terms(text)) <= MAX_SEARCH_WORDS


def test_no_more_than_the_allowed_words_reach_the_database():
    build_review(slug="searched", learning_points=2)

    with CaptureQueriesContext(connection) as queries:
        search(query=hostile_query(), filters=ReviewFilters())

    if connection.vendor == "postgresql":
        # The text PostgreSQL reads (websearch_to_tsquery) as it was sent.
        statement = next(q["sql"] for q in queries if "websearch_to_tsquery" in q["sql"])
        searched = statement.rsplit("'english'::regconfig, '", 1)[1].split("'", 1)[0]
        assert len(searched.split()) <= MAX_SEARCH_WORDS
    else:
        match = next(q["sql"] for q in queries if " MATCH " in q["sql"])
        assert match.count('"') <= 2 * MAX_SEARCH_WORDS


def test_the_results_page_says_that_only_the_first_words_were_used(client):
    build_review(slug="searched", learning_points=1)

    page = client.get("/search/", {"q": hostile_query()}).content.decode()

    assert f"Only the first {MAX_SEARCH_WORDS} words of your search were used" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_search_past_its_time_limit_gets_a_too_broad_page_never_an_error(
    client, monkeypatch, settings
):
    build_review(slug="slow", learning_points=1)
    if connection.vendor == "postgresql":
        # A statement that cannot finish within a one-millisecond limit.
        monkeypatch.setattr(
            "learning.discovery.search_postgres.statement_timeout_sql",
            lambda: "SET LOCAL statement_timeout = 1; SELECT pg_sleep(0.2); ",
        )
    else:
        settings.SEARCH_STATEMENT_TIMEOUT_MS = 0
        monkeypatch.setattr(search_limits, "PROGRESS_STEPS", 1)

    response = client.get("/search/", {"q": "child injured"})

    assert response.status_code == 200
    assert "This search is too broad" in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]
    # The connection is usable afterwards: the next search works.
    monkeypatch.undo()
    assert client.get("/search/", {"q": "injured"}).status_code == 200
