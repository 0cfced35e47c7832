"""Every text the public can see is checked before publishing, found by walking the models.

The walk starts at Review and follows every relation, forward (a board, a review type,
agencies, themes) and back (chronology events, findings, recommendations, learning points,
prompts). Each free-text field it reaches must be either found by the privacy check when a
protected name is planted in it, or declared below as not public, with the reason. A text
field added to any of these models later fails this test until it is one or the other.
"""

import pytest
from django.db import models

from reviews.models import Review
from reviews.privacy.review_scan import review_scan
from reviews.privacy.services import protected_names_add
from reviews.publishing import services
from reviews.validators import validate_partial_date
from tests.reviews.workflow_helpers import draft, published

pytestmark = pytest.mark.django_db

NAME = "Zorblatt Quennington"

# Records about reviews, never published: the walk does not go into them.
NOT_PART_OF_A_REVIEW = {
    "reviews.ProtectedNameDigest": "digests of the protected names themselves",
    "reviews.PrivacyAcknowledgement": "staff's notes on findings",
    "reviews.ReviewRevision": "the staff-only history",
    "reviews.AuditEntry": "the staff-only audit log",
    "reviews.PreviewLink": "staff's notes on private links",
    "reviews.Action": "the staff-only action plan (docs/action-plans.md), never published",
    "reviews.ActionAttachment": "staff-only evidence files, never published",
    "reviews.ClosureDay": "the board's calendar, for deadlines staff see",
    "learning.SearchEntry": "a copy of published text, made from fields checked here",
    "learning.UseCode": "a copy of what a published sheet printed, from fields checked here",
    "learning.DiscussionReturn": (
        "what teams send back, never shown: held by its own privacy check "
        "(learning/returns/services.py; tests/learning/returns/test_services.py)"
    ),
    "learning.Subscription": "a subscriber's address and choices, never published",
    "auth.User": "staff accounts",
    "auth.Group": "staff roles",
    "auth.Permission": "staff roles",
    "admin.LogEntry": "the admin's own log",
    "contenttypes.ContentType": "Django's catalogue of models",
}
# Text fields of review parts that the public never sees, or that are checked elsewhere.
NOT_PUBLIC = {
    ("reviews.Review", "rejection_reason"): "staff only: why sign-off was refused",
    ("reviews.Review", "withdrawal_reason"): "staff only: why it was withdrawn",
    ("reviews.Review", "page_html"): "the stored page, rendered from checked fields",
    ("reviews.Review", "page_document"): "the stored page, rendered from checked fields",
    # Public, but given when publishing or withdrawing, not stored in a revision: checked
    # by the service that takes it (tests below).
    ("reviews.Review", "update_note"): "checked by review_publish",
    ("reviews.Review", "withdrawal_notice"): "checked by review_withdraw",
}


def walk() -> list[tuple[type[models.Model], models.Field]]:
    seen: set = set()
    found: list = []

    def visit(model):
        if model in seen or model._meta.label in NOT_PART_OF_A_REVIEW:
            return
        seen.add(model)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.primary_key:
                found.append((model, field))
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None:
                visit(field.related_model)

    visit(Review)
    return found


def is_derived_or_structured(model, field) -> bool:
    return (
        bool(field.choices)  # a fixed vocabulary, not free text
        or validate_partial_date in field.validators  # a structured date
        or (field.name.endswith("_html") and hasattr(model, field.name.removesuffix("_html")))
    )


PUBLIC_FIELDS = [
    (model, field)
    for model, field in walk()
    if (model._meta.label, field.name) not in NOT_PUBLIC
    and not is_derived_or_structured(model, field)
]


def test_the_walk_reaches_every_part_of_a_review():
    reached = {model._meta.label for model, _ in PUBLIC_FIELDS}
    assert {
        "reviews.Review", "reviews.ChronologyEvent", "reviews.AnalysisFinding",
        "reviews.Recommendation", "learning.LearningPoint", "learning.DiscussionPrompt",
        "reviews.Agency", "reviews.Board", "reviews.ReviewType", "learning.Theme",
    } <= reached  # fmt: skip


def rows_of(review: Review, model) -> models.QuerySet:
    """The rows of `model` that `review` is made of or links to."""
    for relation in ("chronology_events", "findings", "recommendations", "learning_points"):
        if getattr(review, relation).model is model:
            return getattr(review, relation).all()
    if model is Review:
        return Review.objects.filter(pk=review.pk)
    lookups = {
        "reviews.Agency": {"reviews": review},
        "reviews.Board": {"reviews": review},
        "reviews.ReviewType": {"reviews": review},
        "learning.Theme": {"learning_points__review": review},
        "learning.DiscussionPrompt": {"learning_point__review": review},
    }
    return model._default_manager.filter(**lookups[model._meta.label]).distinct()


def planted(field) -> str:
    if isinstance(field, models.SlugField):
        return "zorblatt-quennington"
    if isinstance(field, models.URLField) or "url" in field.name:
        return "https://example.org/reports/zorblatt-quennington.pdf"
    text = f"Seen by {NAME}"
    if field.max_length and len(text) > field.max_length:
        return "Zorblatt"[: field.max_length]
    return text


@pytest.mark.parametrize(
    ("model", "field"),
    PUBLIC_FIELDS,
    ids=[f"{model._meta.label}.{field.name}" for model, field in PUBLIC_FIELDS],
)
def test_a_protected_name_in_any_public_text_is_found_before_publishing(model, field, editor):
    review = draft(by=editor, learning_points=1, prompts=1, events=1)
    protected_names_add(review=review, names=[NAME, "Zorblatt"], user=editor)
    rows = rows_of(review, model)
    assert rows.exists(), f"no {model._meta.label} in the test review"
    model._default_manager.filter(pk=rows.first().pk).update(**{field.name: planted(field)})

    findings = review_scan(review=Review.objects.get(pk=review.pk))

    assert any("zorblatt" in finding.match.lower() for finding in findings), (
        f"{model._meta.label}.{field.name} is published but not checked"
    )


def test_an_agency_whose_name_holds_a_protected_name_stops_the_publication(editor, publisher):
    review = draft(by=editor)
    protected_names_add(review=review, names=[NAME], user=editor)
    review.agencies.first().__class__.objects.filter(pk=review.agencies.first().pk).update(
        name=f"{NAME} family centre"
    )
    services.review_submit(review=review, user=editor)

    with pytest.raises(services.WorkflowError) as refused:
        services.review_publish(review=review, user=publisher)

    assert "Agency" in str(refused.value)
    assert not Review.objects.published().filter(working_copy=review).exists()


def test_a_public_update_note_with_a_protected_name_is_refused(editor, publisher):
    review = published(by=editor, publisher=publisher)
    protected_names_add(review=review, names=[NAME], user=editor)
    from tests.reviews.workflow_helpers import edit

    edit(review, by=editor, summary="A corrected summary.")
    services.review_submit(review=review, user=editor)

    with pytest.raises(services.WorkflowError, match="update note"):
        services.review_publish(review=review, user=publisher, note=f"Corrected for {NAME}.")


def test_a_withdrawal_notice_with_a_protected_name_is_refused(editor, publisher):
    review = published(by=editor, publisher=publisher)
    protected_names_add(review=review, names=[NAME], user=editor)

    with pytest.raises(services.WorkflowError, match="notice"):
        services.review_withdraw(
            review=review, user=publisher, reason="Asked to.", public_notice=f"{NAME} asked."
        )
    assert Review.objects.published().filter(working_copy=review).exists()
