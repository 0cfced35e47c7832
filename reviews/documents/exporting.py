"""Exporting reviews as review documents: the working copies staff edit, one file each.

The mirror of reviews/documents/importing.py: exporting, importing into an empty database and
exporting again gives byte-identical files (tests/reviews/test_export.py).
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from reviews.documents.format import (
    ChildDoc,
    ChronologyEventDoc,
    DocumentError,
    FindingDoc,
    LearningPointDoc,
    RecommendationDoc,
    ReviewDocument,
    StatutoryDoc,
)
from reviews.documents.writing import render_document
from reviews.models import Review
from reviews.validators import split_keywords

Status = Review.Status

# The format knows three states. "Ready for sign-off" is a draft until it is signed off,
# and "published, with unpublished changes" is published: the file holds the working copy.
DOCUMENT_STATUS = {
    Status.DRAFT: "draft",
    Status.READY: "draft",
    Status.PUBLISHED: "published",
    Status.CHANGED: "published",
    Status.WITHDRAWN: "withdrawn",
}


def review_list_for_export(*, slugs: Iterable[str] | None = None) -> QuerySet[Review]:
    """Working copies with everything a document holds, in a fixed number of queries."""
    reviews = (
        Review.objects.working_copies()
        .with_page_relations()
        .select_related("live_copy", "translation_of__live_copy")
        .order_by("slug")
    )
    return reviews if slugs is None else reviews.filter(slug__in=list(slugs))


def _names(objects) -> list[str]:
    return [obj.name for obj in objects]


def review_to_document(review: Review) -> ReviewDocument:
    """A review's working copy as a document (use review_list_for_export to fetch it)."""
    live = getattr(review, "live_copy", None)
    published_on = review.published_on or (live.published_on if live else None)
    original = review.translation_of
    if original is not None:
        # A translation's dates are its original's (reviews/documents/translation_checks.py).
        original_live = getattr(original, "live_copy", None)
        published_on = original.published_on or (
            original_live.published_on if original_live else None
        )
    return ReviewDocument(
        title=review.title,
        slug=review.slug,
        language=review.language,
        translation_of=original.slug if original is not None else "",
        plain_summary=review.plain_summary,
        review_type=review.review_type.slug,
        board=review.board.name,
        nation=review.nation,
        status=DOCUMENT_STATUS[review.status],
        # Publishing dates the live copy when staff left the date empty.
        published_on=published_on,
        reviewer=review.reviewer,
        methodology=review.methodology,
        child=ChildDoc(
            pseudonym=review.child_pseudonym,
            sex=review.child_sex,
            age_at_incident=review.child_age_text,
            age_months=review.child_age_months,
            outcome=review.child_outcome,
        ),
        review_period=review.review_period,
        incident_date=review.incident_date,
        agencies=_names(review.agencies.all()),
        keywords=split_keywords(review.keywords),
        report_url=review.report_url,
        content_warning=review.content_warning,
        chronology=[
            ChronologyEventDoc(
                when=event.when,
                age_months=event.age_months,
                date=event.date,
                agencies=_names(event.agencies.all()),
                event=event.text,
                key=event.is_key,
            )
            for event in review.chronology_events.all()
        ],
        statutory=StatutoryDoc(**{name: getattr(review, name) for name in Review.STATUTORY_FIELDS}),
        recommendations=[
            RecommendationDoc(text=item.text, agencies=_names(item.agencies.all()))
            for item in review.recommendations.all()
        ],
        case_summary=review.summary,
        analysis=[
            FindingDoc(heading=finding.heading, text=finding.text)
            for finding in review.findings.all()
        ],
        learning=[
            LearningPointDoc(
                title=point.title,
                themes=[theme.slug for theme in point.themes.all()],
                agencies=_names(point.agencies.all()),
                prompts=[prompt.question for prompt in point.prompts.all()],
                body=point.body,
            )
            for point in review.learning_points.all()
        ],
    )


def review_documents_export(*, reviews: Iterable[Review]) -> list[tuple[str, str]]:
    """(file name, text) for each review; DocumentError naming every review that cannot be
    written as a document that imports again (an empty case summary, say)."""
    files: list[tuple[str, str]] = []
    problems = []
    for review in reviews:
        try:
            doc = review_to_document(review)
            files.append((doc.filename, render_document(doc)))
        except DocumentError as error:
            problems += error.problems
    if problems:
        raise DocumentError(problems)
    return files
