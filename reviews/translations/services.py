"""Translations of a review: starting one, keeping its structure the original's, marking it
for review when the original changes, and the checks publishing makes (docs/welsh-translations.md).

A translation is a review of its own (`Review.translation_of` its original, `language` its
language), so it goes through the same workflow as any review: edited in the admin or
imported from a document, submitted, privacy-checked and signed off by a second person
(reviews/publishing/services.py), published into a live copy with its own stored page.
What it adds is here:

- `review_translation_create` starts a translation from the original's working copy (every
  row copied, with the original's words, for the translator to replace).
- `translation_structure_copy` gives a translation the original's structured values (dates,
  ages in months, themes, agencies...) on every save, so they cannot diverge.
- `translations_mark_needs_review` flags translations already signed off when the original's
  content changes; publishing the translation again clears the flag.
- `translation_refuse_unready` is the publishing rule: a translation is published only when
  it lines up with its original, holds its structured values and is completely translated;
  a review of a bilingual board is published only once its Welsh translation is signed off
  (published) with no unpublished changes and nothing left to review.

These are called inside the workflow's own services, which hold the lock, check permissions
and write the audit entry; `review_translation_create` is a state change of its own.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from reviews.models import AuditEntry, Review
from reviews.publishing.live_copies import revision_create
from reviews.publishing.revisions import restore_review, serialize_review
from reviews.records import (
    PERMISSION_EDIT,
    WorkflowError,
    audit,
    latest_revision,
    lock_review,
    require_permission,
)
from reviews.translations.checks import structure_copied, translation_problems

Status = Review.Status
WELSH = Review.Language.WELSH


def translation_slug(*, original_slug: str, language: str) -> str:
    """A translation's own slug (its address is its original's, in its language): "baby-c-cy"."""
    return f"{original_slug[: 200 - len(language) - 1]}-{language}"


@transaction.atomic
def review_translation_create(
    *, review: Review, user: AbstractBaseUser, language: str = WELSH
) -> Review:
    """Start the `language` translation of `review`, as a draft holding a copy of every field
    and row of the original's working copy (its words to be replaced by the translator)."""
    require_permission(user, PERMISSION_EDIT, "edit reviews")
    require_permission(user, "reviews.add_review", "add reviews")
    original = lock_review(review)
    if language not in Review.Language.values:
        raise WorkflowError(f"Unknown language '{language}': use one of {Review.Language.values}.")
    if original.translation_of_id:
        raise WorkflowError("This review is itself a translation; translate its original.")
    if language == original.language:
        raise WorkflowError("A translation must be in another language than its original.")
    existing = Review.objects.filter(translation_of=original, language=language, is_live=False)
    if existing.exists():
        raise WorkflowError(
            f"This review already has a {Review.Language(language).label} translation."
        )
    slug = translation_slug(original_slug=original.slug, language=language)
    if Review.objects.filter(slug=slug).exclude(translation_of=original).exists():
        raise WorkflowError(f"Another review already uses the address “{slug}”.")
    snapshot = serialize_review(original)
    data = {
        **snapshot["review"],
        "slug": slug,
        "language": language,
        "translation_of_id": original.pk,
    }
    translation = restore_review(snapshot={**snapshot, "review": data}, into=Review())
    revision = revision_create(
        review=translation,
        user=user,
        change_note=f"{Review.Language(language).label} translation started from the original",
    )
    audit(
        action=AuditEntry.Action.CREATED,
        user=user,
        review=translation,
        revision=revision,
        translation_of=original.slug,
        language=language,
    )
    return translation


def translation_structure_copy(*, translation: Review) -> bool:
    """Give a translation's working copy its original's structured values; True if anything
    changed. Call it holding the translation's lock, before recording its revision."""
    if not translation.translation_of_id:
        return False
    original = Review.objects.get(pk=translation.translation_of_id)
    current = serialize_review(translation)
    copied = structure_copied(original=serialize_review(original), translation=current)
    if copied == current:
        return False
    restore_review(snapshot=copied, into=translation)
    return True


def translations_mark_needs_review(*, original: Review, before: dict | None, after: dict) -> list:
    """The original's content went from `before` to `after` (snapshots): its translations that
    were submitted or signed off now need review. Returns their slugs, for the audit entry."""
    if original.translation_of_id or before is None or before == after:
        return []
    flagged = Review.objects.filter(translation_of=original, is_live=False).exclude(
        status=Status.DRAFT, live_copy__isnull=True
    )
    slugs = list(flagged.values_list("slug", flat=True))
    flagged.update(translation_needs_review=True)
    return slugs


def translation_refuse_unready(*, review: Review, snapshot: dict) -> None:
    """Raise WorkflowError unless `review` (locked) may publish `snapshot` as far as
    translations go: a translation must be complete beside its original; a review of a
    bilingual board needs its Welsh translation signed off."""
    if review.translation_of_id:
        original = latest_revision(review.translation_of)
        if original is None:
            raise WorkflowError("The original of this translation has no saved version yet.")
        problems = translation_problems(original=original.snapshot, translation=snapshot)
        if problems:
            raise WorkflowError("This translation cannot be published yet. " + " ".join(problems))
        return
    if not review.board.is_bilingual:
        return
    welsh = Review.objects.filter(translation_of=review, language=WELSH, is_live=False).first()
    board = review.board.name
    if welsh is None:
        raise WorkflowError(
            f"{board} publishes in Welsh and English: start the Welsh translation (the "
            "“Welsh translation” link), and have it signed off, before publishing this review."
        )
    if welsh.status != Status.PUBLISHED or welsh.translation_needs_review:
        state = (
            "needs review after changes to this review"
            if welsh.translation_needs_review
            else f"is “{welsh.get_status_display()}”"
        )
        raise WorkflowError(
            f"{board} publishes in Welsh and English, and the Welsh translation {state}. "
            "Have the Welsh translation checked and signed off (published) by a second person "
            "first; it goes public together with this review."
        )
    signed_off = latest_revision(welsh)
    problems = translation_problems(original=snapshot, translation=signed_off.snapshot)
    if problems:
        raise WorkflowError(
            f"{board} publishes in Welsh and English, and the signed-off Welsh translation "
            "does not fit this version: " + " ".join(problems)
        )
