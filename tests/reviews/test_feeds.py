import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import build_review

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[str]:
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


def test_the_atom_feed_lists_published_reviews_newest_first_and_never_drafts(client):
    build_review(title="Older", slug="older", published_on=datetime.date(2023, 1, 1))
    build_review(title="Newer", slug="newer", published_on=datetime.date(2024, 1, 1))
    build_review(title="Draft", slug="draft", draft=True)

    response = client.get(reverse("feed_reviews"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = entries(response)
    assert [t.split(" — ")[0] for t in titles] == ["Newer", "Older"]
    assert b"/reviews/newer/" in response.content


def test_a_theme_feed_lists_only_reviews_with_learning_in_that_theme(client):
    build_review(title="With theme", slug="with-theme", learning_points=1)
    build_review(title="Without", slug="without", learning_points=0)

    response = client.get(reverse("feed_theme", kwargs={"slug": "voice-of-the-child"}))

    assert [t.split(" — ")[0] for t in entries(response)] == ["With theme"]
    assert client.get("/feeds/themes/no-such-theme/").status_code == 404


def test_a_withdrawn_review_leaves_feeds_and_the_sitemap(client):
    from reviews.models import Review

    build_review(title="Gone", slug="gone")
    Review.objects.published().filter(slug="gone").update(status=Review.Status.WITHDRAWN)

    assert entries(client.get(reverse("feed_reviews"))) == []
    assert b"/reviews/gone/" not in client.get("/sitemap.xml").content


def test_the_sitemap_lists_published_reviews_and_themes_in_use(client):
    build_review(title="Mapped", slug="mapped", learning_points=1)
    build_review(title="Hidden", slug="hidden", draft=True)

    xml = client.get("/sitemap.xml").content.decode()

    assert "/reviews/mapped/" in xml
    assert "/reviews/hidden/" not in xml
    assert "/themes/voice-of-the-child/" in xml
    assert "/themes/exploitation/" not in xml


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    text = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_pages_carry_opengraph_tags_and_a_feed_link(client):
    review = build_review(title="Baby O", slug="baby-o")

    html = client.get(review.get_absolute_url()).content.decode()

    assert '<meta property="og:title" content="Baby O — Case Summary">' in html
    assert '<meta property="og:type" content="article">' in html
    assert 'type="application/atom+xml"' in html
    theme_html = client.get("/themes/voice-of-the-child/").content.decode()
    assert 'href="/feeds/themes/voice-of-the-child/"' in theme_html


def test_theme_pages_give_an_overview_of_their_learning(client):
    build_review(slug="one", learning_points=2, prompts=2)
    build_review(slug="two", learning_points=1, prompts=1)

    response = client.get("/themes/voice-of-the-child/")

    overview = response.context["overview"]
    assert (overview.review_count, overview.learning_point_count, overview.prompt_count) == (
        2,
        3,
        5,
    )
    assert [agency.name for agency in overview.agencies][:1] == ["GP"]
    html = response.content.decode()
    assert "Agencies most often involved" in html and "Questions for your team" in html
