"""In Welsh, lists show a translated review in its Welsh words: the home page's and the
review list's cards, and the feeds (reviews/selectors.reviews_in_language)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.discovery.catalogue import catalogue_forget
from tests.reviews.translation_helpers import welsh_translation
from tests.reviews.workflow_helpers import published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_catalogue():
    catalogue_forget()
    yield
    catalogue_forget()


@pytest.fixture
def reviews(editor, publisher):
    """Baby T with a published Welsh translation, Baby U without one."""
    baby_t = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    published(by=editor, publisher=publisher, title="Baby U", slug="baby-u")
    welsh_translation(baby_t, by=editor, publisher=publisher)
    catalogue_forget()


def queries(client, path: str) -> int:
    client.get(path)  # the catalogue and glossary are read once per process, not per page
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/cy/", "/cy/reviews/"])
def test_in_welsh_a_translated_reviews_card_shows_its_welsh_words_at_its_welsh_address(
    client, reviews, path
):
    html = client.get(path).content.decode()

    assert '<a href="/cy/reviews/baby-t/">Cymraeg Baby T</a>' in html
    assert "Cymraeg Baby T, 11 mis" in html
    # The untranslated review is there in English, marked as English for screen readers.
    assert '<h3 class="card__title" lang="en-GB"><a href="/cy/reviews/baby-u/">Baby U</a>' in html
    assert '<h3 class="card__title"><a href="/cy/reviews/baby-t/">' in html


@pytest.mark.parametrize("path", ["/", "/reviews/"])
def test_in_english_the_cards_are_the_english_reviews(client, reviews, path):
    html = client.get(path).content.decode()

    assert '<a href="/reviews/baby-t/">Baby T</a>' in html
    assert "Cymraeg Baby T" not in html


def test_the_english_lists_read_no_more_for_having_translations(client, editor, publisher):
    baby_t = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    before = queries(client, "/reviews/"), queries(client, "/")

    welsh_translation(baby_t, by=editor, publisher=publisher)
    catalogue_forget()

    assert (queries(client, "/reviews/"), queries(client, "/")) == before


def test_the_welsh_list_reads_one_query_for_its_translations_however_many(
    client, editor, publisher
):
    baby_t = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    baby_u = published(by=editor, publisher=publisher, title="Baby U", slug="baby-u")
    english = queries(client, "/reviews/")
    welsh_translation(baby_t, by=editor, publisher=publisher)
    catalogue_forget()
    one = queries(client, "/cy/reviews/")

    welsh_translation(baby_u, by=editor, publisher=publisher)
    catalogue_forget()

    assert one == english + 1
    assert queries(client, "/cy/reviews/") == one


def test_the_welsh_feed_announces_a_translated_review_in_welsh_and_the_english_one_in_english(
    client, reviews
):
    welsh = client.get("/cy/feeds/reviews/").content.decode()
    english = client.get("/feeds/reviews/").content.decode()

    assert "<title>Cymraeg Baby T — " in welsh
    assert 'href="http://testserver/cy/reviews/baby-t/"' in welsh
    assert "<title>Baby U — " in welsh
    assert "Cymraeg Baby T" not in english
