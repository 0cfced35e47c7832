import datetime
import random
from unittest import mock

import pytest
from django.http import QueryDict
from django.utils import timezone

from portal.cache import public_cache_invalidate
from reviews.catalogue import bitset, catalogue, reviews_chosen, set_positions
from reviews.facets import parse_filters
from reviews.models import Review
from tests.factories import build_review


def test_a_bitset_holds_exactly_the_positions_it_was_given_in_order():
    rng = random.Random(5)
    for size in (0, 1, 7, 8, 9, 64, 1000, 10_007):
        positions = sorted(rng.sample(range(size), k=size // 3)) if size else []
        bits = bitset(positions, size)
        assert bits.bit_count() == len(positions)
        assert set_positions(bits) == positions
        assert set_positions(bits, 2, 5) == positions[2:5]
        assert set_positions(bits, 5, 2) == []


@pytest.mark.django_db
def test_the_catalogue_holds_published_reviews_only_newest_first():
    build_review(title="Old", slug="old", published_on=datetime.date(2021, 1, 1))
    build_review(title="New", slug="new", published_on=datetime.date(2024, 1, 1))
    build_review(title="Draft", slug="draft", draft=True)
    build_review(title="Gone", slug="gone")
    Review.objects.filter(slug="gone", is_live=True).update(status=Review.Status.WITHDRAWN)
    build_review(title="Expired", slug="expired")
    Review.objects.filter(slug="expired").update(
        keep_published_until=timezone.localdate() - datetime.timedelta(days=1)
    )

    reviews = reviews_chosen(parse_filters(QueryDict()))

    assert [review.slug for review in reviews] == ["new", "old"]
    assert [r.slug for r in reviews] == list(
        Review.objects.published().order_by("-published_on", "title").values_list("slug", flat=True)
    )


@pytest.mark.django_db
def test_the_catalogue_is_read_again_after_anything_public_changes():
    build_review(title="First", slug="first")
    assert len(reviews_chosen(parse_filters(QueryDict()))) == 1
    build_review(title="Second", slug="second")

    public_cache_invalidate()

    assert len(reviews_chosen(parse_filters(QueryDict()))) == 2


@pytest.mark.django_db
def test_the_catalogue_is_read_again_when_a_keep_published_until_date_runs_out():
    build_review(title="Short-lived", slug="short-lived")
    today = timezone.localdate()
    Review.objects.filter(slug="short-lived").update(keep_published_until=today)
    assert catalogue().valid_until is not None
    assert len(reviews_chosen(parse_filters(QueryDict()))) == 1

    tomorrow = catalogue().valid_until + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert len(reviews_chosen(parse_filters(QueryDict()))) == 0


@pytest.mark.django_db
def test_a_page_of_the_list_reads_only_its_own_reviews(django_assert_num_queries):
    for number in range(25):
        build_review(title=f"Review {number:02}", slug=f"review-{number:02}", learning_points=0)
    reviews = reviews_chosen(parse_filters(QueryDict()))
    catalogue()  # read once, outside the count below

    with django_assert_num_queries(1):
        page = reviews[20:25]

    assert len(reviews) == 25
    assert [review.slug for review in page] == [
        review.slug for review in Review.objects.published().order_by("-published_on", "title")
    ][20:25]
