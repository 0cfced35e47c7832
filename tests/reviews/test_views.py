import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ReviewFactory, build_review

pytestmark = pytest.mark.django_db


def test_published_review_page_shows_its_structured_record(client):
    review = build_review(title="Baby Q", slug="baby-q", events=2, learning_points=1, prompts=3)

    response = client.get(review.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Baby Q — Case Summary" in html
    assert html.count("<h1") == 1
    assert "Chronology" in html and "Key Learning" in html and "Analysis" in html
    assert "Questions for your team" in html
    assert html.count('class="prompt"') == 3
    assert "Health visiting" in html


def test_a_draft_review_is_invisible_to_the_public_everywhere(client):
    draft = build_review(title="Draft Child", slug="draft-child", draft=True)
    learning_point = draft.learning_points.first()

    assert client.get(draft.get_absolute_url()).status_code == 404
    for url in (
        reverse("home"),
        reverse("reviews:list"),
        reverse("learning:theme_list"),
        reverse("learning:theme_detail", kwargs={"slug": "voice-of-the-child"}),
    ):
        html = client.get(url).content.decode()
        assert "Draft Child" not in html, url
        assert learning_point.title not in html, url


def test_theme_page_lists_published_learning_points_with_links_to_their_reviews(client):
    review = build_review(title="Child T", slug="child-t", learning_points=2)

    response = client.get(reverse("learning:theme_detail", kwargs={"slug": "voice-of-the-child"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Learning 1" in html and "Learning 2" in html
    assert f'href="{review.get_absolute_url()}"' in html


def test_unknown_theme_and_review_addresses_are_not_found(client):
    assert client.get("/themes/no-such-theme/").status_code == 404
    assert client.get("/reviews/no-such-review/").status_code == 404


def test_review_list_is_newest_first_and_paginated(client):
    import datetime

    for day in range(1, 23):
        ReviewFactory(title=f"Child {day:02d}", published_on=datetime.date(2024, 1, day))

    first_page = client.get(reverse("reviews:list")).content.decode()
    second_page = client.get(reverse("reviews:list") + "?page=2").content.decode()

    assert first_page.index("Child 22") < first_page.index("Child 21")
    assert "Child 01" not in first_page and "Child 01" in second_page


def count_queries(client, url: str) -> int:
    client.get(url)  # the first request may create the portal settings row
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["reviews:detail"])
def test_review_page_query_count_does_not_grow_with_the_review(client, url_name):
    small = build_review(slug="small", events=1, learning_points=1, prompts=1)
    large = build_review(slug="large", events=40, learning_points=12, prompts=6)

    small_count = count_queries(client, reverse(url_name, kwargs={"slug": small.slug}))
    large_count = count_queries(client, reverse(url_name, kwargs={"slug": large.slug}))

    assert small_count == large_count


def test_theme_page_query_count_does_not_grow_with_learning_points(client):
    url = reverse("learning:theme_detail", kwargs={"slug": "voice-of-the-child"})
    build_review(slug="one", learning_points=1, prompts=1)
    few = count_queries(client, url)
    for index in range(5):
        build_review(slug=f"more-{index}", learning_points=4, prompts=4)

    assert count_queries(client, url) == few


def test_pages_have_a_skip_link_landmarks_and_one_heading_level_one(client):
    review = build_review(slug="landmarks")
    for url in (reverse("home"), reverse("reviews:list"), review.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'href="#main"' in html, url
        assert '<main id="main"' in html and "<header" in html and "<footer" in html, url
        assert html.count("<h1") == 1, url
        assert '<html lang="en-GB">' in html, url


def test_the_home_page_shows_the_five_newest_published_reviews(client):
    import datetime

    for year in range(2015, 2022):
        build_review(
            title=f"Review {year}",
            slug=f"review-{year}",
            published_on=datetime.date(year, 1, 1),
            learning_points=0,
        )
    build_review(title="Draft 2024", slug="draft-2024", draft=True, learning_points=0)

    latest = client.get("/").context["latest_reviews"]

    newest_first = [f"Review {year}" for year in range(2021, 2016, -1)]
    assert [review.title for review in latest] == newest_first
