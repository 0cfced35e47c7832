import pytest
from django.urls import reverse

from portal.markdown import render_markdown
from portal.models import PortalSettings
from reviews.models import DiscussionPrompt, ReviewType
from tests.factories import build_review

HOSTILE = (
    "Hello <script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
    '<a href="https://example.org" onclick="alert(2)">link</a>\n\n'
    '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>\n\n'
    '<p style="background:url(javascript:alert(3))">styled</p>'
)
DANGEROUS = (
    "<script",
    "onerror",
    "onclick",
    "javascript:",
    "data:text",
    "<iframe",
    "<style",
    "style=",
)


def assert_neutralised(html: str, where: str) -> None:
    lowered = html.lower()
    for marker in DANGEROUS:
        assert marker not in lowered, f"{marker!r} reached {where}"


def test_sanitiser_keeps_the_allowed_markdown():
    html = render_markdown(
        "# Title\n\n*em* **strong** [site](https://example.org) [mail](mailto:a@b.org)\n\n"
        "> quote\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )

    assert "<h3>Title</h3>" in html
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert 'href="https://example.org"' in html and 'href="mailto:a@b.org"' in html
    assert "<blockquote>" in html and "<ul>" in html and "<table>" in html


def test_sanitiser_removes_scripts_handlers_and_unsafe_links():
    html = render_markdown(HOSTILE)

    assert_neutralised(html, "render_markdown")
    assert "alert" not in html
    assert "Hello" in html and "link" in html


def test_sanitiser_drops_plain_http_links_but_keeps_their_text():
    html = render_markdown("[old](http://example.org)")

    assert "http://example.org" not in html
    assert "old" in html


@pytest.mark.django_db
def test_hostile_markdown_in_every_field_is_neutralised_on_every_page(client):
    settings = PortalSettings.load()
    for field in (
        "introduction",
        "team_meetings_text",
        "accessibility_statement",
        "privacy_notice",
    ):
        setattr(settings, field, HOSTILE)
    settings.save()
    review_type = ReviewType.objects.get(slug="serious-case-review")
    review_type.explanation = HOSTILE
    review_type.save()
    review = build_review(slug="hostile", summary=HOSTILE)
    for related in ("chronology_events", "findings", "recommendations"):
        for row in getattr(review, related).all():
            row.text = HOSTILE
            row.save()
    for learning_point in review.learning_points.all():
        learning_point.body = HOSTILE
        learning_point.save()
    DiscussionPrompt.objects.update(
        question="<script>alert('q')</script>", facilitator_note="<img src=x onerror=alert(1)>"
    )

    for url in (
        reverse("home"),
        reverse("reviews:list"),
        review.get_absolute_url(),
        reverse("learning:theme_list"),
        reverse("learning:theme_detail", kwargs={"slug": "voice-of-the-child"}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_neutralised(response.content.decode(), url)


def test_one_rendering_leaves_nothing_behind_for_the_next():
    # The converter is reused (one per thread); each text must render as if it were first.
    table = "| Agency | Seen |\n| --- | --- |\n| GP | 3 |"
    numbered = "3. third\n4. fourth\n\n[link][ref]\n\n[ref]: https://example.org/a"
    alone = {text: render_markdown(text) for text in (table, numbered, "plain")}

    for text in (numbered, table, "plain", numbered, table):
        assert render_markdown(text) == alone[text]
    assert "<table>" in alone[table]
    assert 'href="https://example.org/a"' in alone[numbered]
    assert render_markdown("[link][ref]") == "<p>[link][ref]</p>"  # no reference carried over


def test_plain_text_keeps_the_words_and_drops_the_markup():
    from learning.discovery.index import plain_text

    html = render_markdown(
        "## Heading\n\nFish &amp; chips, 1 < 2 and **bold** [link](https://x.org)"
    )

    assert plain_text(html) == "Heading Fish & chips, 1 < 2 and bold link"
    assert plain_text("") == ""
