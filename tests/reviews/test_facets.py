import datetime
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.discovery.facets import age_band_for, parse_filters
from tests.factories import build_review, theme

pytestmark = pytest.mark.django_db


def varied_reviews():
    """Four published reviews and a draft that differ in every facet."""
    build_review(
        title="Baby A", slug="baby-a", nation="england", child_age_months=3,
        published_on=datetime.date(2023, 3, 1), child_outcome="died",
    )  # fmt: skip
    build_review(
        title="Child B", slug="child-b", nation="wales", child_age_months=30,
        published_on=datetime.date(2024, 6, 1), child_outcome="serious-harm",
        review_type=_type("child-practice-review"),
    )  # fmt: skip
    build_review(
        title="Young person C", slug="young-person-c", nation="england", child_age_months=200,
        published_on=datetime.date(2024, 9, 1), child_outcome="serious-harm",
    )  # fmt: skip
    review = build_review(
        title="Adult D", slug="adult-d", nation="scotland", child_age_months=250,
        published_on=datetime.date(2025, 1, 1), child_outcome="died", learning_points=0,
    )  # fmt: skip
    build_review(title="Draft E", slug="draft-e", draft=True, nation="northern-ireland")
    return review


def _type(slug):
    from tests.factories import review_type

    return review_type(slug)


def facet_options(response):
    return {
        facet.key: {option.value: option for option in facet.options}
        for facet in response.context["facets"]
    }


def test_every_facet_count_equals_the_number_of_reviews_that_value_lists(client):
    varied_reviews()
    facets = facet_options(client.get(reverse("reviews:list")))

    assert set(facets) == {"theme", "type", "nation", "year", "agency", "age", "outcome"}
    checked = 0
    for key, options in facets.items():
        for value, option in options.items():
            response = client.get(reverse("reviews:list"), {key: value})
            assert response.context["paginator"].count == option.count, (key, value)
            checked += 1
    assert checked > 15


def test_facet_counts_equal_search_result_counts(client):
    varied_reviews()
    facets = facet_options(client.get(reverse("search"), {"q": "learning"}))

    assert facets["theme"]["voice-of-the-child"].count == 6
    for key, options in facets.items():
        for value, option in options.items():
            response = client.get(reverse("search"), {"q": "learning", key: value})
            assert response.context["results"].total == option.count, (key, value)


def test_drafts_are_never_counted():
    varied_reviews()
    from learning.discovery.catalogue import review_facets

    facets = {facet.key: facet for facet in review_facets(parse_filters(QueryDict()))}

    assert "northern-ireland" not in {option.value for option in facets["nation"].options}
    assert sum(option.count for option in facets["nation"].options) == 4


def test_values_of_one_facet_are_alternatives_and_facets_combine(client):
    varied_reviews()

    either = client.get(reverse("reviews:list") + "?nation=wales&nation=scotland")
    both = client.get(reverse("reviews:list") + "?nation=england&year=2024")

    assert either.context["paginator"].count == 2
    assert [review.title for review in both.context["reviews"]] == ["Young person C"]


def test_age_bands_follow_the_childs_age_in_months():
    assert [age_band_for(m) for m in (0, 11, 12, 59, 60, 131, 132, 191, 192, 215, 216, None)] == [
        "under-1", "under-1", "1-4", "1-4", "5-10", "5-10", "11-15", "11-15", "16-17", "16-17",
        "adult", None,
    ]  # fmt: skip


def test_unusable_filter_values_are_dropped_with_a_reason():
    filters = parse_filters(
        QueryDict("year=20x4&year=2024&nation=mars&theme=a%20b&theme=neglect&age=adult,1-4")
    )

    assert filters.year == (2024,)
    assert filters.nation == ()
    assert filters.theme == ("neglect",)
    assert filters.age == ("adult", "1-4")
    assert len(filters.errors) == 3


def test_the_facet_form_works_without_javascript_and_is_labelled(client):
    varied_reviews()

    html = client.get(reverse("reviews:list"), {"theme": "voice-of-the-child"}).content.decode()

    assert '<form class="facets" method="get" action="/reviews/"' in html
    assert html.count("<fieldset") == 7 and html.count("<legend") == 7
    assert 'type="checkbox" name="theme" value="voice-of-the-child"' in html
    assert re.search(r'value="voice-of-the-child" id="facet-theme-\d+" checked', html)
    assert '<button type="submit" class="button">Apply filters</button>' in html
    assert "theme=voice-of-the-child&amp;page=2" not in html  # one page only here


def test_pagination_links_keep_the_filters(client):
    for index in range(22):
        build_review(slug=f"r{index}", learning_points=1, events=0, prompts=0)

    html = client.get(reverse("reviews:list"), {"theme": "voice-of-the-child"}).content.decode()

    assert "?theme=voice-of-the-child&amp;page=2" in html


def test_review_list_query_count_does_not_grow_with_reviews(client):
    url = reverse("reviews:list") + "?theme=voice-of-the-child&nation=england"
    build_review(slug="first", learning_points=1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(6):
        build_review(slug=f"more-{index}", learning_points=3)
    client.get(url)  # publishing moved the cache generation on: the settings are read again
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.context["paginator"].count == 7
    assert len(many) == len(few)


def test_themes_of_any_learning_point_count_for_the_review():
    review = build_review(slug="mixed", learning_points=0)
    from tests.factories import LearningPointFactory, make_live

    LearningPointFactory(review=review, themes=[theme("neglect")])
    make_live(review)
    from learning.discovery.catalogue import reviews_chosen as reviews_filtered

    assert reviews_filtered(parse_filters(QueryDict("theme=neglect"))).count() == 1
    assert reviews_filtered(parse_filters(QueryDict("theme=exploitation"))).count() == 0
