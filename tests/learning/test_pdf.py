import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from learning import pdf
from learning.selectors import review_version_public
from portal.pdf import static_only_fetcher
from reviews.models import LearningPoint, Review
from tests.factories import build_review, make_live
from tests.learning.baby_c import load_baby_c

pytestmark = pytest.mark.django_db

A4_POINTS = (595.28, 841.89)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def read_pdf(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(content))


def pdf_text(reader: PdfReader) -> str:
    """Every page's text with line breaks and runs of spaces made single spaces."""
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def get_pdf(client, name: str, slug: str):
    return client.get(reverse(f"reviews:{name}_pdf", kwargs={"slug": slug}))


@pytest.mark.parametrize("name", ["discussion_sheet", "briefing"])
def test_baby_c_pdf_text_has_every_learning_point_and_every_prompt(client, name):
    review = load_baby_c()

    response = get_pdf(client, name, "baby-c")

    assert response.status_code == 200
    text = pdf_text(read_pdf(response.content))
    for learning_point in review.learning_points.prefetch_related("prompts"):
        assert learning_point.title in text
        for prompt in learning_point.prompts.all():
            assert " ".join(prompt.question.split()) in text


def test_baby_c_briefing_fits_on_two_a4_sides_and_the_action_plan_on_one(client):
    load_baby_c()

    briefing = read_pdf(get_pdf(client, "briefing", "baby-c").content)
    action_plan = read_pdf(get_pdf(client, "action_plan", "baby-c").content)

    assert len(briefing.pages) <= 2
    assert len(action_plan.pages) == 1


def test_pdfs_are_a4_numbered_page_n_of_m_with_fonts_embedded(client):
    load_baby_c()

    reader = read_pdf(get_pdf(client, "discussion_sheet", "baby-c").content)

    total = len(reader.pages)
    assert total > 1
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4_POINTS[0], 1), 841.9)
        assert f"Page {number} of {total}" in page.extract_text()
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert (
        reader.metadata.title == "Discussion sheet: Baby C – Coventry Safeguarding Children Board"
    )


def test_pdf_is_downloaded_under_a_name_made_from_the_slug(client):
    build_review(slug="child-q", learning_points=1)

    response = get_pdf(client, "briefing", "child-q")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="child-q-briefing.pdf"'


def test_a_review_pdf_is_served_from_the_cache_until_a_new_version_is_published(
    client, monkeypatch
):
    review = build_review(slug="cached", learning_points=1, prompts=1)
    renders = []
    real_render = pdf.render_pdf

    def counting_render(**kwargs):
        renders.append(kwargs["template_name"])
        return real_render(**kwargs)

    monkeypatch.setattr(pdf, "render_pdf", counting_render)

    first = get_pdf(client, "discussion_sheet", "cached").content
    second = get_pdf(client, "discussion_sheet", "cached").content
    assert first == second and len(renders) == 1

    learning_point = review.learning_points.get()
    learning_point.title = "A retitled learning point"
    learning_point.save()
    make_live(review)  # publishing the working copy again, as the board does

    third = get_pdf(client, "discussion_sheet", "cached").content
    assert len(renders) == 2
    assert "A retitled learning point" in pdf_text(read_pdf(third))
    assert "A retitled learning point" not in pdf_text(read_pdf(first))


def test_the_cache_key_moves_when_the_live_review_changes():
    build_review(slug="keyed", learning_points=1)

    before = review_version_public(slug="keyed")
    live = Review.objects.published().get(slug="keyed")
    live.save()  # any save of the live row, as publishing does

    after = review_version_public(slug="keyed")
    assert before is not None and after is not None and before != after
    assert review_version_public(slug="not-public") is None


def test_a_withdrawn_review_loses_its_cached_pdf(client):
    build_review(slug="withdrawn", learning_points=1)
    assert get_pdf(client, "discussion_sheet", "withdrawn").status_code == 200

    Review.objects.filter(slug="withdrawn").update(status=Review.Status.WITHDRAWN)

    assert get_pdf(client, "discussion_sheet", "withdrawn").status_code == 404


def test_a_pdf_render_loads_our_static_files_and_nothing_from_elsewhere(client):
    review = build_review(slug="fetching", learning_points=1)
    learning_point = review.learning_points.get()
    learning_point.body = "See ![chart](https://example.org/chart.png) for more."
    learning_point.save()
    make_live(review)
    fetcher = static_only_fetcher()

    for url in (
        "https://example.org/chart.png",
        "http://127.0.0.1:5432/",
        "file:///etc/passwd",
        "http://testserver/static/../../etc/passwd",
    ):
        with pytest.raises(ValueError, match="only the portal's own static files"):
            fetcher.fetch(url)
    fetcher.fetch("http://testserver/static/css/sheet.css").close()
    assert get_pdf(client, "discussion_sheet", "fetching").status_code == 200


def test_the_print_stylesheets_are_parsed_once_per_process():
    assert pdf.pdf_stylesheets() is pdf.pdf_stylesheets()
    assert len(pdf.pdf_stylesheets()) == len(pdf.PDF_STYLESHEETS)


def test_theme_sheet_pdf_has_the_theme_learning_points(client):
    build_review(slug="theme-pdf", learning_points=2, prompts=2)

    response = client.get(
        reverse("learning:theme_sheet_pdf", kwargs={"slug": "voice-of-the-child"})
    )

    text = pdf_text(read_pdf(response.content))
    for learning_point in LearningPoint.objects.published().prefetch_related("prompts"):
        assert learning_point.title in text
        for prompt in learning_point.prompts.all():
            assert prompt.question in text
    assert re.search(r"Page 1 of \d", text)
    assert response["Content-Disposition"].endswith('voice-of-the-child-discussion-sheet.pdf"')
