import pytest
from django.core.management import CommandError, call_command

from learning.discovery.facets import ReviewFilters
from learning.discovery.search import search
from learning.models import SearchEntry
from reviews.models import LearningPoint, Review

pytestmark = pytest.mark.django_db


def generate(count=12, seed=7):
    call_command("generate_reviews", count=count, seed=seed, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_generated_reviews_are_published_complete_and_indexed():
    generate()

    published = Review.objects.published()
    assert published.count() == 12
    review = published.with_page_relations().first()
    assert review.summary_html.startswith("<p>")
    assert review.chronology_events.count() >= 4
    assert review.findings.exists() and review.recommendations.exists()
    assert review.agencies.count() >= 3
    learning_point = review.learning_points.first()
    assert learning_point.themes.exists() and learning_point.prompts.exists()
    assert SearchEntry.objects.filter(review__in=published).count() == (
        12 + LearningPoint.objects.published().count()
    )
    assert search(query="referral", filters=ReviewFilters()).total > 0


def test_the_same_seed_gives_the_same_reviews():
    generate(seed=3)
    first = list(Review.objects.published().order_by("slug").values_list("slug", "title", "nation"))
    Review.objects.all().delete()
    generate(seed=3)

    again = list(Review.objects.published().order_by("slug").values_list("slug", "title", "nation"))
    assert again == first


def test_running_a_seed_twice_is_refused_with_a_reason():
    generate(count=2, seed=5)

    with pytest.raises(CommandError, match="already here"):
        generate(count=2, seed=5)
    assert Review.objects.published().count() == 2


def test_generated_reviews_show_in_a_list_read_before_they_were_made(client):
    generate(count=2, seed=3)
    before = client.get("/reviews/").context["paginator"].count

    generate(count=3, seed=4)

    assert before == 2
    assert client.get("/reviews/").context["paginator"].count == 5


def test_generated_html_is_what_render_markdown_makes():
    from portal.markdown import render_markdown

    generate(count=3, seed=9)

    for review in Review.objects.published():
        assert review.summary_html == render_markdown(review.summary)
