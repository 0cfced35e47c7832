import datetime
import random
from unittest import mock

import pytest
from django.http import QueryDict
from django.utils import timezone

from learning.discovery.catalogue import bitset, catalogue, reviews_chosen, set_positions
from learning.discovery.facets import parse_filters
from portal.cache import public_cache_invalidate
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


def test_spans_set_every_bit_from_their_start_to_before_their_stop():
    import numpy as np

    from learning.discovery.bitsets import spans_bitset

    rng = random.Random(6)
    for size in (1, 9, 64, 1000):
        cuts = sorted(rng.sample(range(size + 1), k=min(size + 1, 12)))
        spans = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if rng.random() < 0.6]
        spans.append((cuts[0], cuts[0]))  # an empty span (a review without entries)
        starts = np.array([a for a, _ in spans], dtype=np.int64)
        stops = np.array([b for _, b in spans], dtype=np.int64)
        expected = sorted(p for a, b in spans for p in range(a, b))
        assert set_positions(spans_bitset(starts, stops, size)) == expected


def test_a_shelf_turns_ids_into_bits_by_position_and_drops_ids_it_does_not_hold():
    from array import array

    from learning.discovery.catalogue import Shelf

    shelf = Shelf(ids=[40, 7, 1000, 3], values={})  # newest first

    assert set_positions(shelf.of_ids([1000, 40])) == [0, 2]
    assert set_positions(shelf.of_ids(array("q", [3, 3, 7]))) == [1, 3]
    # Not held: between, above and below the ids held (an unpublished entry, a newer one).
    assert shelf.of_ids([8, 1001, 2_000_000, 0, -5]) == 0
    assert shelf.of_ids([]) == 0
    assert Shelf(ids=[], values={}).of_ids([1, 2]) == 0


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


def _oracle(filters):
    """The reviews a selection means, written independently of the catalogue, in SQL."""
    from django.db.models import Exists, OuterRef, Q

    from learning.discovery.facets import AGE_BANDS
    from reviews.models import LearningPoint

    reviews = Review.objects.published()
    if filters.theme:
        points = LearningPoint.objects.filter(review=OuterRef("pk"), themes__slug__in=filters.theme)
        reviews = reviews.filter(Exists(points))
    if filters.agency:
        links = Review.agencies.through.objects.filter(
            review=OuterRef("pk"), agency__slug__in=filters.agency
        )
        reviews = reviews.filter(Exists(links))
    if filters.type:
        reviews = reviews.filter(review_type__slug__in=filters.type)
    if filters.nation:
        reviews = reviews.filter(nation__in=filters.nation)
    if filters.year:
        reviews = reviews.filter(published_on__year__in=filters.year)
    if filters.outcome:
        reviews = reviews.filter(child_outcome__in=filters.outcome)
    if filters.age:
        bands = Q(pk__in=[])
        for value, _, low, high in AGE_BANDS:
            if value in filters.age:
                band = Q(child_age_months__gte=low)
                if high is not None:
                    band &= Q(child_age_months__lte=high)
                bands |= band
        reviews = reviews.filter(bands)
    return set(reviews.values_list("pk", flat=True))


@pytest.mark.django_db
def test_selections_and_every_count_agree_with_sql_written_apart():
    from dataclasses import replace

    from django.core.management import call_command

    from learning.discovery.catalogue import review_facets
    from learning.discovery.facets import FACET_KEYS, ReviewFilters

    call_command("generate_reviews", count=40, seed=11, stdout=open("/dev/null", "w"))  # noqa: SIM115
    rng = random.Random(11)
    everything = review_facets(ReviewFilters())
    values = {facet.key: [option.value for option in facet.options] for facet in everything}
    checked = 0
    for _ in range(25):
        chosen = {}
        for key in rng.sample(FACET_KEYS, k=rng.randint(1, 3)):
            picked = rng.sample(values[key], k=min(len(values[key]), rng.randint(1, 2)))
            chosen[key] = tuple(int(v) for v in picked) if key == "year" else tuple(picked)
        filters = ReviewFilters(**chosen)

        listed = {review.pk for review in reviews_chosen(filters)}
        assert listed == _oracle(filters), chosen
        for facet in review_facets(filters):
            for option in facet.options:
                value = int(option.value) if facet.key == "year" else option.value
                alone = replace(filters, **{facet.key: (value,)})
                assert option.count == len(_oracle(alone)), (chosen, facet.key, value)
                checked += 1
    assert checked > 300
