"""Baby C, the board's real review, for sheet tests and the sheet benchmark.

Loaded from fixtures/reviews/baby-c.md through the document importer when the portal has
one; otherwise built from the same file with the factories (front matter for the structure,
the Markdown sections for the words), so the sheets are tested on real content either way.
"""

import datetime
import re
from pathlib import Path

import yaml
from django.conf import settings

from reviews.models import (
    Agency,
    AnalysisFinding,
    Board,
    ChronologyEvent,
    DiscussionPrompt,
    LearningPoint,
    Recommendation,
    Review,
    Theme,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
BABY_C = FIXTURES / "reviews" / "baby-c.md"


def load_site_texts() -> None:
    """The board's texts (fixtures/site.yaml), as `manage.py load_demo` sets them."""
    from portal.models import PortalSettings
    from reviews.models import ReviewType

    texts = yaml.safe_load((FIXTURES / "site.yaml").read_text(encoding="utf-8"))
    portal = PortalSettings.load()
    for name in ("board_name", "logo_text", "introduction", "team_meetings_text"):
        setattr(portal, name, texts[name])
    portal.save()
    for slug, fields in texts.get("review_types", {}).items():
        review_type = ReviewType.objects.get(slug=slug)
        for name, value in fields.items():
            setattr(review_type, name, value)
        review_type.save()


def load_baby_c() -> Review:
    """Baby C as the public sees it (the published, live review), with the board's texts."""
    load_site_texts()
    try:
        from reviews.documents.importing import review_documents_import
    except ImportError:
        _build_from_document(BABY_C.read_text(encoding="utf-8"))
    else:
        review_documents_import(sources=[(BABY_C.name, BABY_C.read_bytes())], keep_status=True)
    return Review.objects.published().get(slug="baby-c")


def _sections(body: str, level: str) -> dict[str, str]:
    parts = re.split(rf"^{level} (.+)$", body, flags=re.MULTILINE)
    return {
        title.strip(): text.strip() for title, text in zip(parts[1::2], parts[2::2], strict=True)
    }


def _build_from_document(text: str) -> None:
    _, front, body = text.split("---\n", 2)
    data = yaml.safe_load(front)
    sections = _sections(body, "##")
    learning_texts = _sections(sections["Key learning"], "###")
    agencies = {name: Agency.objects.get_or_create(name=name)[0] for name in data["agencies"]}
    review = Review.objects.create(
        title=data["title"],
        slug=data["slug"],
        review_type_id=_review_type_id(data["review_type"]),
        board=Board.objects.get_or_create(name=data["board"])[0],
        status=Review.Status.PUBLISHED,
        published_on=datetime.date.fromisoformat(str(data["published_on"])),
        child_pseudonym=data["child"]["pseudonym"],
        child_sex=data["child"]["sex"],
        child_age_text=data["child"]["age_at_incident"],
        child_age_months=data["child"]["age_months"],
        child_outcome=data["child"]["outcome"],
        review_period=data["review_period"],
        content_warning=data["content_warning"],
        summary=sections["Case summary"],
    )
    review.agencies.set(agencies.values())
    for position, event in enumerate(data["chronology"], start=1):
        row = ChronologyEvent.objects.create(
            review=review,
            position=position,
            when=event["when"],
            age_months=event.get("age_months"),
            text=event["event"],
            is_key=event.get("key", False),
        )
        row.agencies.set(agencies[name] for name in event.get("agencies", []))
    for position, paragraph in enumerate(sections["Analysis"].split("\n\n"), start=1):
        AnalysisFinding.objects.create(review=review, position=position, text=paragraph)
    for position, recommendation in enumerate(data["recommendations"], start=1):
        row = Recommendation.objects.create(
            review=review, position=position, text=recommendation["text"]
        )
        row.agencies.set(agencies[name] for name in recommendation.get("agencies", []))
    for position, learning in enumerate(data["learning"], start=1):
        learning_point = LearningPoint.objects.create(
            review=review,
            position=position,
            title=learning["title"],
            body=learning_texts[learning["title"]],
        )
        learning_point.themes.set(Theme.objects.filter(slug__in=learning["themes"]))
        learning_point.agencies.set(agencies[name] for name in learning.get("agencies", []))
        for number, question in enumerate(learning["prompts"], start=1):
            DiscussionPrompt.objects.create(
                learning_point=learning_point, position=number, question=question
            )
    try:
        from reviews.publishing.services import review_make_live
    except ImportError:
        return
    review_make_live(review=review)


def _review_type_id(slug: str) -> int:
    from reviews.models import ReviewType

    return ReviewType.objects.get(slug=slug).pk
