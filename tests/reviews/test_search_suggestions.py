"""'Did you mean' draws only on what the public may see."""

import datetime

import pytest
from django.utils import timezone

from learning.discovery.search import did_you_mean
from reviews.models import Review
from tests.factories import build_review

pytestmark = pytest.mark.django_db


def live_copy(slug: str) -> Review:
    return Review.objects.get(slug=slug, is_live=True)


def test_a_scheduled_reviews_words_are_never_suggested():
    build_review(title="Zebracorn Family", slug="scheduled", learning_points=1, events=0)
    Review.objects.filter(pk=live_copy("scheduled").pk).update(
        go_live_at=timezone.now() + datetime.timedelta(days=3)
    )

    assert "zebracorn" not in (did_you_mean("zebracorm") or "")


def test_an_expired_reviews_words_are_never_suggested():
    build_review(title="Quixoticus Family", slug="expired", learning_points=1, events=0)
    Review.objects.filter(pk=live_copy("expired").pk).update(
        keep_published_until=timezone.localdate() - datetime.timedelta(days=1)
    )

    assert "quixoticus" not in (did_you_mean("quixoticas") or "")


def test_a_published_reviews_words_are_suggested():
    build_review(title="Zebracorn Family", slug="public", learning_points=1, events=0)

    assert did_you_mean("zebracorm") == "zebracorn"


def test_an_agency_named_only_by_a_scheduled_review_is_never_suggested():
    from tests.factories import AgencyFactory

    review = build_review(title="Child S", slug="agency-scheduled", learning_points=1, events=0)
    review.agencies.add(AgencyFactory(name="Wolverhampton Harbourmasters"))
    from tests.factories import make_live

    make_live(review)
    Review.objects.filter(pk=live_copy("agency-scheduled").pk).update(
        go_live_at=timezone.now() + datetime.timedelta(days=3)
    )

    assert "harbourmasters" not in (did_you_mean("harbourmaster") or "")


def test_the_vocabulary_is_read_once_per_change_of_what_is_public(settings, tmp_path):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_CACHE_SECONDS = 600
    settings.PUBLIC_CACHE_GENERATION_FILE = str(tmp_path / "generation")
    cache.clear()
    build_review(title="Zebracorn Family", slug="public", learning_points=1, events=0)
    did_you_mean("zebracorm")

    with CaptureQueriesContext(connection) as again:
        assert did_you_mean("zebracorm") == "zebracorn"
    build_review(title="Quixoticus Family", slug="newer", learning_points=1, events=0)

    assert did_you_mean("quixoticas") == "quixoticus"  # a publication starts afresh
    assert len(again) <= 2  # the catalogue's generation check; no vocabulary queries
    cache.clear()


def test_the_vocabulary_is_kept_with_the_catalogue_even_with_the_page_cache_off(settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_CACHE_SECONDS = 0
    build_review(title="Zebracorn Family", slug="public", learning_points=1, events=0)
    did_you_mean("zebracorm")

    with CaptureQueriesContext(connection) as again:
        assert did_you_mean("zebracorm") == "zebracorn"

    assert not any("learning_searchentry" in query["sql"] for query in again)
