"""In Welsh, lists show a translated review in its Welsh words: the home page's and the
review list's cards, the feeds and the digests (reviews/selectors.reviews_in_language), and
name themes in Welsh."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.discovery.catalogue import catalogue_forget
from learning.subscriptions.digests import digests_send
from learning.subscriptions.models import Subscription
from reviews.models import Theme
from tests.learning.subscriptions.helpers import subscribed
from tests.reviews.translation_helpers import welsh_translation
from tests.reviews.workflow_helpers import published

pytestmark = pytest.mark.django_db


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


def test_the_welsh_theme_page_and_sheet_name_the_theme_in_welsh(client, reviews):
    theme = Theme.objects.get(slug="voice-of-the-child")
    assert theme.name_cy and theme.name_cy != theme.name

    for path in [
        "/cy/themes/voice-of-the-child/",
        "/cy/themes/voice-of-the-child/discussion-sheet/",
    ]:
        html = client.get(path).content.decode()
        assert "<title>" in html and theme.name_cy in html.split("</title>", 1)[0]
        assert f">{theme.name_cy}</h1>" in html
    english = client.get("/themes/voice-of-the-child/").content.decode()
    assert f"<h1>{theme.name}</h1>" in english


def test_a_welsh_digest_names_a_translated_review_and_its_themes_in_welsh(smtp_server, reviews):
    theme = Theme.objects.get(slug="voice-of-the-child")
    subscription = subscribed("darllenydd@example.org")
    Subscription.objects.filter(pk=subscription.pk).update(
        language="cy", confirmed_at=timezone.now() - datetime.timedelta(days=1)
    )

    assert digests_send().sent == 1

    text = smtp_server.text(smtp_server.only(to="darllenydd@example.org"))
    assert "Cymraeg Baby T" in text
    assert "http://127.0.0.1:8000/cy/reviews/baby-t/" in text
    assert theme.name_cy in text
