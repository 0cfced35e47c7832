"""The plain summary: at most 60 words, kept by documents, shown first everywhere the review
is (its page, cards, search, feeds, the API, sheets), warned about when missing."""

from pathlib import Path

import pytest
from django.urls import reverse

from reviews.documents.exporting import review_documents_export, review_list_for_export
from reviews.documents.format import DocumentError
from reviews.documents.importing import review_documents_import
from reviews.documents.reading import parse_document
from reviews.models import Review, Theme
from tests.factories import build_review
from tests.reviews.test_admin import inline_data

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "reviews"
PLAIN = "A baby was hurt at home. Workers did not share what they knew. Share worries early."


def document(plain_summary: str) -> bytes:
    text = (FIXTURES / "baby-c.md").read_text(encoding="utf-8")
    start = text.index("plain_summary: ")
    end = text.index("\n", start)
    return (text[:start] + f"plain_summary: {plain_summary}" + text[end:]).encode()


def themes() -> set[str]:
    return set(Theme.objects.values_list("slug", flat=True))


def test_a_document_reads_and_writes_its_plain_summary():
    doc = parse_document(document(PLAIN), name="baby-c.md", known_themes=themes())

    assert doc.plain_summary == PLAIN
    review_documents_import(sources=[("baby-c.md", document(PLAIN))])
    assert Review.objects.get(slug="baby-c", is_live=False).plain_summary == PLAIN
    [(name, text)] = review_documents_export(reviews=review_list_for_export())
    assert f"slug: baby-c\nplain_summary: {PLAIN}\nreview_type:" in text


def test_a_document_with_more_than_60_words_is_refused_with_its_file_and_line():
    too_long = " ".join(["word"] * 61)

    with pytest.raises(DocumentError) as error:
        review_documents_import(sources=[("baby-c.md", document(too_long))])

    assert str(error.value) == (
        "baby-c.md:5: plain_summary: The plain summary has 61 words; keep it to 60 or fewer."
    )
    assert not Review.objects.filter(slug="baby-c").exists()


def test_the_admin_refuses_61_words_on_the_field_and_saves_60(superuser_client):
    review = build_review(slug="admin-plain", draft=True)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = inline_data(review, superuser_client.get(url))

    data["plain_summary"] = " ".join(["word"] * 61)
    refused = superuser_client.post(url, data)

    assert refused.status_code == 200
    assert "The plain summary has 61 words; keep it to 60 or fewer." in refused.content.decode()
    assert Review.objects.get(pk=review.pk).plain_summary == ""

    data["plain_summary"] = " ".join(["word"] * 60)
    saved = superuser_client.post(url, data)

    assert saved.status_code == 302
    assert Review.objects.get(pk=review.pk).plain_summary.count("word") == 60


def test_saving_without_a_plain_summary_is_allowed_with_a_warning(superuser_client):
    review = build_review(slug="admin-warned", draft=True)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    data = inline_data(review, superuser_client.get(url))

    response = superuser_client.post(url, data, follow=True)

    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any("no plain summary" in message for message in messages)


def test_the_plain_summary_comes_first_on_the_review_page(client):
    review = build_review(slug="first", plain_summary=PLAIN, summary="The case summary.")

    html = client.get(review.get_absolute_url()).content.decode()

    assert f'<span class="plain-summary__label">In short:</span> <span>{PLAIN}</span>' in html
    assert html.index(PLAIN) < html.index("About this review") < html.index("The case summary.")


def test_cards_search_results_feeds_and_sheets_show_the_plain_summary(client):
    build_review(slug="everywhere", plain_summary=PLAIN, summary="The baby was found.")

    pages = {
        "review list": reverse("reviews:list"),
        "search": reverse("search") + "?q=baby",
        "discussion sheet": reverse("reviews:discussion_sheet", kwargs={"slug": "everywhere"}),
        "briefing": reverse("reviews:briefing", kwargs={"slug": "everywhere"}),
        "action plan": reverse("reviews:action_plan", kwargs={"slug": "everywhere"}),
        "theme sheet": reverse("learning:theme_sheet", kwargs={"slug": "voice-of-the-child"}),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert PLAIN in response.content.decode(), name

    feed = client.get(reverse("feed_reviews")).content.decode()
    assert PLAIN in feed


def test_the_api_serves_the_plain_summary_and_documents_it(client):
    build_review(slug="api-plain", plain_summary=PLAIN)
    build_review(slug="api-none")

    detail = client.get("/api/reviews/api-plain/").json()
    listed = {item["slug"]: item for item in client.get("/api/reviews/").json()["results"]}
    spec = client.get("/api/openapi.json").json()

    assert detail["plain_summary"] == PLAIN
    assert listed["api-plain"]["plain_summary"] == PLAIN
    assert listed["api-none"]["plain_summary"] == ""
    schema = spec["components"]["schemas"]["ReviewSummary"]
    assert "plain_summary" in schema["required"]
    assert schema["properties"]["plain_summary"]["type"] == "string"
