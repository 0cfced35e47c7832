"""Baby C, our first real content, must read on the portal exactly as the board published it."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from reviews.models import Review

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "coventry-baby-c-learning-summary.txt"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SEED.exists(), reason=f"the seed text is not at {SEED}"),
]


class TextOf(HTMLParser):
    """The text a reader sees: everything outside tags, scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0
        self.hidden_tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        # Hidden from sight and from screen readers (a glossary term's meaning, shown only
        # while the term is focused or pointed at): not what a reader sees in the text.
        if tag in ("script", "style", "title") or ("aria-hidden", "true") in attrs:
            self.skipping += 1
            self.hidden_tags.append(tag)
        elif tag in ("p", "div", "li", "h1", "h2", "h3", "h4", "section", "article", "br"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.hidden_tags and tag == self.hidden_tags[-1]:
            self.hidden_tags.pop()
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def normalise(text: str) -> str:
    """Whitespace only: runs collapse to one space, and none around a dash."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*—\s*", "—", text)


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for block in re.split(r"\n\s*\n", SEED.read_text(encoding="utf-8")):
        if not block.strip():
            continue
        # The seed is lightly marked up: a link, bold list items. Readers see the words.
        block = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", block)
        block = re.sub(r"^\s*-\s+", "", block)
        block = block.replace("**", "")
        paragraphs.append(normalise(block))
    return paragraphs


@pytest.fixture
def baby_c_page(client) -> str:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    review = Review.objects.published().get(slug="baby-c")
    response = client.get(review.get_absolute_url())
    assert response.status_code == 200
    parser = TextOf()
    parser.feed(response.content.decode())
    return normalise(" ".join(parser.parts))


def test_every_paragraph_of_the_seed_appears_on_baby_cs_page_in_order(baby_c_page):
    paragraphs = seed_paragraphs()
    assert len(paragraphs) >= 20  # the seed has its heading lines, summary, analysis, learning

    position = 0
    for paragraph in paragraphs:
        found = baby_c_page.find(paragraph, position)
        assert found != -1, f"missing or out of order: {paragraph[:90]!r}"
        position = found + len(paragraph)


def test_baby_cs_page_adds_facts_timeline_themes_and_prompts(baby_c_page):
    for text in ("About this review", "Serious Case Review", "Agencies involved", "Chronology"):
        assert text in baby_c_page
    assert "Questions for your team" in baby_c_page
    assert re.search(r"Themes: [^.]*Voice of the child", baby_c_page)


def test_baby_c_has_the_structure_the_board_asked_for():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    review = Review.objects.published().with_page_relations().get(slug="baby-c")

    assert len(review.chronology_events.all()) >= 8
    with_agencies = [event for event in review.chronology_events.all() if event.agencies.all()]
    assert len(with_agencies) >= 8
    learning_points = review.learning_points.all()
    assert [point.title for point in learning_points] == [
        "Listening to children",
        "Transfer of a case to a different level of need",
        "Improving communication between health professionals",
        "Domestic violence and abuse",
    ]
    for point in learning_points:
        assert point.themes.all(), point.title
        assert len(point.prompts.all()) >= 3, point.title


def test_load_demo_is_idempotent():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    baby_c = Review.objects.published().get(slug="baby-c")
    counts = (Review.objects.count(), baby_c.chronology_events.count())

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (
        Review.objects.count(),
        Review.objects.published().get(slug="baby-c").chronology_events.count(),
    ) == counts
