import re

import pytest
from django.urls import reverse

from reviews.models import DiscussionPrompt, LearningPoint
from tests.factories import build_review, make_live
from tests.learning.baby_c import load_baby_c

pytestmark = pytest.mark.django_db

REVIEW_SHEETS = ("discussion_sheet", "briefing", "action_plan")


def sheet_url(name: str, slug: str) -> str:
    return reverse(f"reviews:{name}", kwargs={"slug": slug})


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#x27;", "'")


def test_discussion_sheet_shows_every_learning_point_and_prompt_of_baby_c(client):
    review = load_baby_c()

    response = client.get(sheet_url("discussion_sheet", "baby-c"))

    assert response.status_code == 200
    page = text(response.content.decode())
    learning_points = list(review.learning_points.prefetch_related("prompts"))
    assert len(learning_points) == 4
    for learning_point in learning_points:
        assert learning_point.title in page
        for prompt in learning_point.prompts.all():
            assert prompt.question in page
    assert "http://testserver/reviews/baby-c/" in page
    assert "Date" in page and "Facilitator" in page and "Attendees" in page


def test_briefing_has_seven_numbered_sections_and_every_learning_point_and_prompt(client):
    review = load_baby_c()

    html = client.get(sheet_url("briefing", "baby-c")).content.decode()

    headings = re.findall(r'<h2 id="briefing-(\d)">', html)
    assert headings == ["1", "2", "3", "4", "5", "6", "7"]
    page = text(html)
    for label in (
        "Background",
        "Why it matters",
        "Information",
        "What we found",
        "Key learning",
        "What should you do?",
        "Questions for reflection",
    ):
        assert label in page
    for learning_point in review.learning_points.prefetch_related("prompts"):
        assert learning_point.title in page
        for prompt in learning_point.prompts.all():
            assert prompt.question in page
    # A learning point appears in two sections, but every id on the page is still unique.
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_action_plan_lists_the_learning_points_and_has_an_action_table(client):
    load_baby_c()

    html = client.get(sheet_url("action_plan", "baby-c")).content.decode()

    assert "Listening to children" in html and "Domestic violence and abuse" in html
    assert '<th scope="col">Who</th>' in html and '<th scope="col">By when</th>' in html
    assert "return it to Coventry Safeguarding Children Board" in html


def test_facilitator_notes_are_on_the_sheet_but_not_on_the_public_page(client):
    review = build_review(slug="notes", learning_points=1, prompts=0)
    DiscussionPrompt.objects.create(
        learning_point=review.learning_points.get(),
        position=1,
        question="What would you do?",
        facilitator_note="Give the team a minute in pairs first.",
    )
    make_live(review)

    sheet = client.get(sheet_url("discussion_sheet", "notes")).content.decode()
    page = client.get(review.get_absolute_url()).content.decode()

    assert "Give the team a minute in pairs first." in sheet
    assert "Give the team a minute in pairs first." not in page


@pytest.mark.parametrize("name", REVIEW_SHEETS)
def test_a_draft_review_has_no_sheets_for_the_public(client, name):
    build_review(slug="draft-child", draft=True)

    assert client.get(sheet_url(name, "draft-child")).status_code == 404
    assert client.get(sheet_url(f"{name}_pdf", "draft-child")).status_code == 404


def test_unknown_review_and_theme_have_no_sheets(client):
    assert client.get(sheet_url("discussion_sheet", "no-such-review")).status_code == 404
    url = reverse("learning:theme_sheet", kwargs={"slug": "no-such-theme"})
    assert client.get(url).status_code == 404


def test_theme_sheet_has_every_published_learning_point_of_the_theme_and_no_drafts(client):
    build_review(title="Child P", slug="child-p", learning_points=2, prompts=2)
    build_review(title="Child D", slug="child-d", learning_points=1, draft=True)
    published = LearningPoint.objects.published().filter(themes__slug="voice-of-the-child")

    html = client.get(
        reverse("learning:theme_sheet", kwargs={"slug": "voice-of-the-child"})
    ).content.decode()

    assert published.count() == 2
    for learning_point in published:
        assert f"learning-{learning_point.pk}-title" in html
        for prompt in learning_point.prompts.all():
            assert prompt.question in text(html)
    assert "Child P" in html and "Child D" not in html
    assert "http://testserver/reviews/child-p/" in html


def test_review_and_theme_pages_link_to_the_sheets_and_offer_add_to_pack(client):
    review = build_review(slug="linked", learning_points=2)

    page = client.get(review.get_absolute_url()).content.decode()
    theme_page = client.get(
        reverse("learning:theme_detail", kwargs={"slug": "voice-of-the-child"})
    ).content.decode()

    for name in REVIEW_SHEETS:
        assert f'href="{sheet_url(name, "linked")}"' in page
        assert f'href="{sheet_url(f"{name}_pdf", "linked")}"' in page
    assert page.count('action="/session-pack/add/"') == 2
    assert 'href="/themes/voice-of-the-child/discussion-sheet/"' in theme_page
    assert theme_page.count('action="/session-pack/add/"') == 2


def test_sheets_offer_no_add_to_pack_buttons_and_no_inline_styles_or_scripts(client):
    build_review(slug="clean", learning_points=2)
    urls = [sheet_url(name, "clean") for name in REVIEW_SHEETS]
    urls.append(reverse("learning:theme_sheet", kwargs={"slug": "voice-of-the-child"}))

    for url in urls:
        html = client.get(url).content.decode()
        assert "/session-pack/add/" not in html, url
        assert "style=" not in html and "<style" not in html and "<script" not in html, url
        assert html.count("<h1") == 1, url
        assert 'href="/static/css/sheet.css"' in html, url


def test_the_public_page_prints_without_its_forms_and_links_to_sheets(client):
    review = build_review(slug="printed", learning_points=1)

    html = client.get(review.get_absolute_url()).content.decode()

    # print.css hides .no-print: the buttons and sheet links never reach paper.
    assert re.search(r'class="add-to-pack no-print"', html)
    assert re.search(r'class="sheet-links no-print"', html)
