import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.discovery.facets import ReviewFilters
from learning.discovery.index import search_index_rebuild, search_index_remove, search_index_update
from learning.discovery.search import clean_query, fts5_query, mark_excerpt, parse_terms, search
from learning.models import SearchEntry
from reviews.models import Review
from tests.factories import LearningPointFactory, build_review

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    '"',
    '""""',
    "'",
    "&|!():*",
    "a & b | !c",
    "-",
    "--",
    "or",
    "OR OR OR",
    "NOT",
    "NEAR(a b)",
    "title:child",
    "* ^ $ \\",
    "'; DROP TABLE reviews_review; --",
    "<script>alert(1)</script>",
    "x" * 10_000,
    "listening " * 2000,
    "😀 ñandú Ελληνικά 中文 العربية",
    "\x00\x01\x02 null bytes",
    "%_%",
    "(((((",
    '"unbalanced phrase',
    "the",
]


def live_copy(review: Review) -> Review:
    return Review.objects.published().get(slug=review.slug)


def titles(query: str, **filters) -> list[str]:
    results = search(query=query, filters=ReviewFilters(**filters))
    return [entry.title for entry, _ in results.hits]


def test_publishing_a_review_indexes_it_and_its_learning_points():
    review = build_review(title="Baby Q", slug="baby-q", learning_points=2)

    entries = SearchEntry.objects.filter(review=live_copy(review))

    assert sorted(entries.values_list("kind", flat=True)) == [
        "learning-point",
        "learning-point",
        "review",
    ]


def test_stemming_finds_other_forms_of_a_word():
    review = build_review(title="Baby S", slug="baby-s", learning_points=0)
    LearningPointFactory(
        review=review, title="Listen to the child", body="Their assessment was never shared."
    )
    search_index_update(review=live_copy_after_edit(review))

    assert "Listen to the child" in titles("listening")
    assert "Listen to the child" in titles("assessments")


def live_copy_after_edit(review: Review) -> Review:
    """Child rows added after publishing reach the live copy only when it is made live again."""
    from tests.factories import make_live

    make_live(review)
    return live_copy(review)


def test_quoted_phrases_match_only_words_together():
    review = build_review(title="Baby P", slug="baby-p", learning_points=0)
    LearningPointFactory(review=review, title="Together", body="Use professional curiosity.")
    LearningPointFactory(
        review=review, title="Apart", body="Curiosity matters to every professional."
    )
    live_copy_after_edit(review)

    assert titles('"professional curiosity"') == ["Together"]
    assert set(titles("professional curiosity")) == {"Together", "Apart"}


def test_words_can_be_excluded_or_made_alternatives():
    review = build_review(title="Baby X", slug="baby-x", learning_points=0)
    LearningPointFactory(review=review, title="Dogs", body="A dog bit the toddler.")
    LearningPointFactory(review=review, title="Baths", body="The baby was left in the bath.")
    live_copy_after_edit(review)

    assert set(titles("dog or bath")) == {"Dogs", "Baths"}
    assert titles("toddler -bath") == ["Dogs"]


def test_title_matches_rank_above_matches_in_the_text():
    review = build_review(title="Baby R", slug="baby-r", learning_points=0)
    LearningPointFactory(review=review, title="Other things", body="Some words about bruising.")
    LearningPointFactory(review=review, title="Bruising in babies", body="Some words.")
    live_copy_after_edit(review)

    assert titles("bruising")[0] == "Bruising in babies"


def test_drafts_never_appear_in_search():
    build_review(title="Draft child", slug="draft-child", draft=True, learning_points=1)
    draft = Review.objects.get(slug="draft-child")
    # Even if something indexed the draft by mistake, search must not show it.
    search_index_update(review=draft)

    assert SearchEntry.objects.filter(review=draft).exists()
    assert titles("Draft child") == []
    assert titles("learning") == []


def test_a_withdrawn_review_never_appears_even_if_its_index_rows_linger():
    review = build_review(title="Baby W", slug="baby-w", learning_points=1)
    live = live_copy(review)
    assert titles("Baby W")
    Review.objects.filter(pk=live.pk).update(status=Review.Status.WITHDRAWN)

    assert SearchEntry.objects.filter(review=live).exists()
    assert titles("Baby W") == []


def test_removing_a_review_from_the_index_removes_all_its_rows():
    review = build_review(title="Baby V", slug="baby-v", learning_points=2)
    live = live_copy(review)

    search_index_remove(review=live)

    assert not SearchEntry.objects.filter(review=live).exists()
    assert titles("Baby V") == []


def test_rebuild_indexes_every_published_review_once():
    build_review(title="Baby A", slug="baby-a", learning_points=1)
    build_review(title="Baby B", slug="baby-b", learning_points=1)
    SearchEntry.objects.all().delete()

    written = search_index_rebuild()
    again = search_index_rebuild()

    assert written == again == 4
    assert SearchEntry.objects.count() == 4


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_query_returns_a_page(client, query):
    build_review(title="Baby H", slug="baby-h", learning_points=1)

    response = client.get(reverse("search"), {"q": query, "theme": ["x'--", "voice-of-the-child"]})

    assert response.status_code == 200


def test_excerpts_are_escaped_and_mark_the_matched_words(client):
    review = build_review(title="Baby E", slug="baby-e", learning_points=0)
    LearningPointFactory(
        review=review,
        title="Escaping",
        body="Staff wrote `<script>alert(1)</script>` then kept listening to the child.",
    )
    live_copy_after_edit(review)

    html = client.get(reverse("search"), {"q": "listen"}).content.decode()

    assert "<script>alert(1)" not in html
    assert "<mark>listening</mark>" in html


def test_mark_excerpt_escapes_everything_but_its_own_marks():
    assert (
        mark_excerpt("<b>\x02x\x03</b> & \x02y")
        == "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; <mark>y</mark>"
    )


def test_queries_become_fts5_expressions_that_cannot_be_operators():
    terms = parse_terms('neglect "home alone" or bath -NEAR AND')

    assert fts5_query(terms) == '(("neglect") AND ("home alone" OR "bath") AND ("and")) NOT "near"'
    assert fts5_query(parse_terms("- -- ( )")) == ""


def test_queries_are_cleaned_and_capped():
    assert clean_query("  a\x00b \n c  ") == "a b c"
    assert len(clean_query("x" * 10_000)) == 300


def test_no_results_suggest_a_spelling_and_popular_themes(client):
    build_review(title="Baby N", slug="baby-n", learning_points=1)

    html = client.get(reverse("search"), {"q": "domestc abuse"}).content.decode()

    assert "0 results" in html
    assert "Did you mean" in html and "domestic abuse" in html
    assert "Popular themes" in html and "Voice of the child" in html


def test_search_page_has_a_labelled_search_box_and_the_nav_links_to_it(client):
    html = client.get(reverse("home")).content.decode()

    assert 'href="/search/"' in html
    assert 'for="header-search-q"' in html
    html = client.get(reverse("search")).content.decode()
    assert '<label class="search-form__label" for="search-q">' in html


def test_search_query_count_does_not_grow_with_results(client):
    build_review(title="Baby C1", slug="baby-c1", learning_points=1)
    client.get(reverse("search"))  # creates the board's settings row once
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("search"), {"q": "learning", "theme": "voice-of-the-child"})
    for index in range(4):
        build_review(title=f"Baby M{index}", slug=f"baby-m{index}", learning_points=3)
    client.get(reverse("search"))  # publishing moved the cache generation on: settings reread
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("search"), {"q": "learning", "theme": "voice-of-the-child"})

    assert response.context["results"].total == 13
    assert len(many) == len(few)


@pytest.mark.postgres
def test_postgresql_keeps_a_stored_vector_for_every_entry_with_a_gin_index():
    review = build_review(title="Baby G", slug="baby-g", learning_points=1)

    entries = SearchEntry.objects.filter(review=live_copy(review))
    assert entries.count() == 2
    assert entries.filter(vector=SearchQuery("babies", config="english")).count() == 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector_gin'"
        )
        assert "gin" in cursor.fetchone()[0].lower()


def _vectors_from_text():
    """Every entry's vector worked out afresh from its text, weighted as search_index does."""
    return SearchEntry.objects.annotate(
        fresh=SearchVector("title", config="english", weight="A")
        + SearchVector("body", config="english", weight="B")
        + SearchVector("detail", config="english", weight="C")
    )


def _stale_vectors() -> list[int]:
    return [
        pk
        for pk, stored, fresh in _vectors_from_text().values_list("pk", "vector", "fresh")
        if stored != fresh
    ]


@pytest.mark.postgres
def test_the_vectors_follow_the_text_through_republishing_withdrawal_and_deletion():
    from reviews.publishing import services
    from tests.reviews.workflow_helpers import superuser

    kept = build_review(title="Baby W", slug="baby-w", learning_points=2)
    changed = build_review(title="Baby X", slug="baby-x", learning_points=2)
    withdrawn = build_review(title="Baby Y", slug="baby-y", learning_points=1)
    deleted = build_review(title="Baby Z", slug="baby-z", learning_points=1)
    babies = SearchEntry.objects.filter(vector=SearchQuery("baby", config="english"))
    assert babies.count() == 10  # every entry names its baby
    assert _stale_vectors() == []

    LearningPointFactory(review=changed, title="Zebra crossings", body="Unusual words.")
    live_copy_after_edit(changed)
    admin = superuser()
    services.review_withdraw(review=withdrawn, user=admin, reason="Asked to by the family")
    services.review_delete(review=deleted, user=admin)

    assert _stale_vectors() == []
    assert SearchEntry.objects.filter(vector=SearchQuery("zebra", config="english")).count() == 1
    assert babies.count() == 7  # Baby W: 3 entries, Baby X: 4
    assert titles("zebra") == ["Zebra crossings"]
    assert kept.pk and titles("Baby Z") == []


def test_a_bulk_rebuild_ends_with_fresh_planner_statistics(monkeypatch):
    from learning.discovery import index as search_index

    for number in range(3):
        build_review(title=f"Baby A{number}", slug=f"baby-a{number}", learning_points=2)
    with CaptureQueriesContext(connection) as few:
        search_index_rebuild()
    assert not any("ANALYZE" in query["sql"] for query in few)  # 9 rows: autovacuum's job

    monkeypatch.setattr(search_index, "ANALYSE_AFTER_ROWS", 9)
    with CaptureQueriesContext(connection) as bulk:
        search_index_rebuild()

    assert bulk[-1]["sql"].startswith("ANALYZE")


@pytest.mark.postgres
def test_postgresql_stemming_uses_the_english_dictionary():
    review = build_review(title="Baby D", slug="baby-d", learning_points=0)
    LearningPointFactory(review=review, title="Studies", body="Repeated referrals were studied.")
    live_copy_after_edit(review)

    assert titles("study") == ["Studies"]
    assert titles("referral") == ["Studies"]


def test_results_link_to_the_review_and_to_the_learning_point_on_its_page(client):
    build_review(title="Baby L", slug="baby-l", learning_points=2)

    html = client.get(reverse("search"), {"q": "Baby L"}).content.decode()

    assert 'href="/reviews/baby-l/"' in html
    assert 'href="/reviews/baby-l/#learning-1"' in html
    assert 'href="/reviews/baby-l/#learning-2"' in html
    assert "From Baby L, " in html


def test_the_words_a_match_holds_are_read_from_postgresqls_reading_of_the_query():
    from learning.discovery.search_postgres import query_words

    assert query_words("'neglect'") == ["neglect"]
    assert query_words("'inform' <-> 'share' & 'neglect'") == ["inform", "share", "neglect"]
    assert query_words("'it''s' <-> 'late'") == ["it's", "late"]
    assert query_words("!'polic' & 'neglect'") == ["neglect"]
    assert query_words("'bath' | 'dog' & !'cat'") == ["bath", "dog"]
    assert query_words("") == []  # stop words only: nothing to find


def test_longer_or_excluded_phrases_and_brackets_leave_the_words_unknown():
    from learning.discovery.search_postgres import query_words

    # Excerpts are then cut for every result shown, as ts_headline finds them.
    assert query_words("'self-harm' <-> 'self' <-> 'harm'") is None
    assert query_words("'voic' <3> 'child'") is None
    assert query_words("!( 'safe' <-> 'sleep' )") is None
    assert query_words("!'safe' <-> 'sleep'") is None
    assert query_words("'safe' & ( 'sleep' | 'bath' )") is None
    assert query_words("'safe':* & 'sleep'") is None  # never from websearch_to_tsquery


@pytest.mark.postgres
def test_searches_find_exactly_what_postgresql_matching_the_text_afresh_finds():
    from learning.discovery.search import matching_ids

    review = build_review(title="Baby Q", slug="baby-q", learning_points=0)
    texts = [
        "Information sharing between agencies failed.",
        "Sharing information was slow; information was not shared.",
        "Nobody asked about self-harm or information sharing.",
        "The voice of the child was not heard; neglect was missed.",
        "Professional curiosity about neglect.",
        "Curiosity matters to every professional. It's late.",
    ]
    for number, text in enumerate(texts, start=1):
        LearningPointFactory(review=review, title=f"Point {number}", body=text)
    live_copy_after_edit(review)
    queries = [
        '"information sharing"',
        '"sharing information"',
        '"information sharing" neglect',
        '"information sharing" "self-harm"',
        "self-harm",
        '"voice of the child"',
        '"professional curiosity" neglect',
        '"curiosity professional"',
        '-"information sharing" neglect',
        '"information sharing" or "professional curiosity"',
        "it's late",
        '"it\'s late"',
        "neglect",
        "curiosity professional neglect",
        "neglect -curiosity",
        "-neglect",
        "neglect or sharing -agencies",
        "the of and",
        "the",
        "nonexistentword",
        "Sharing",
        "2019",
        "ñandú",
    ]
    for query in queries:
        exact = (
            _vectors_from_text()
            .filter(fresh=SearchQuery(query, search_type="websearch", config="english"))
            .values_list("pk", flat=True)
        )
        assert sorted(matching_ids(query)) == sorted(exact), query
    assert set(titles('"information sharing"')) == {"Point 1", "Point 3"}


def test_a_renamed_theme_or_board_is_found_by_its_new_name_at_once():
    from learning.services import theme_save
    from reviews.publishing.renames import board_save
    from tests.factories import theme

    review = build_review(title="Baby R", slug="baby-r", learning_points=1)
    assert titles("zanzibar") == []

    renamed = theme()
    renamed.name = "Zanzibar listening"
    theme_save(theme=renamed)
    board = review.board
    board.name = "Quokka Safeguarding Partnership"
    board_save(board=board)

    assert titles("zanzibar") == ["Learning 1"]
    assert titles("quokka") == ["Baby R"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the fallback of a SQLite without FTS5")
def test_a_sqlite_without_fts5_still_finds_pages_and_marks_excerpts(client, monkeypatch):
    review = build_review(title="Baby F", slug="baby-f", learning_points=0)
    LearningPointFactory(review=review, title="Listening", body="Staff kept listening to her.")
    live_copy_after_edit(review)
    monkeypatch.setattr("learning.discovery.search_sqlite.sqlite_fts_available", lambda: False)

    html = client.get(reverse("search"), {"q": "listen -zebra"}).content.decode()

    assert "Listening" in html
    assert "<mark>listening</mark>" in html
