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


def test_generated_reviews_come_in_through_the_import_service_with_revisions_and_audit():
    from reviews.models import AuditEntry, ReviewRevision

    generate(count=3, seed=11)

    working = Review.objects.working_copies().filter(slug__startswith="generated-11-")
    assert working.count() == 3
    for review in working:
        assert ReviewRevision.objects.filter(review=review).exists()
        entries = AuditEntry.objects.filter(review=review)
        assert AuditEntry.Action.IMPORTED_LIVE in {entry.action for entry in entries}
        assert any(entry.details.get("run_by") == "generate_reviews" for entry in entries)


def test_generating_ends_with_fresh_planner_statistics(on_postgres):
    from django.db import connection

    generate(count=4, seed=12)

    with connection.cursor() as cursor:
        if on_postgres:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'reviews_review'")
            assert cursor.fetchone()[0] == Review.objects.count()
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'reviews_review'")
            # One row per index; the first figure of a whole-table index is the row count.
            counts = {stat.split()[0] for (stat,) in cursor.fetchall()}
            assert str(Review.objects.count()) in counts
