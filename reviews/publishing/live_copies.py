"""The working copy and its live copy: the helpers every workflow change is built from.

A review's working copy is what staff edit; its live copy (`is_live=True`) is all the public
reads. These functions find, lock, compare and replace them, and record revisions, for the
state changes in services.py, editing.py and preview_links.py. They assume the caller holds
the review's lock, inside the change's transaction.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from portal.cache import public_cache_invalidate
from reviews.models import AuditEntry, Review, ReviewRevision
from reviews.publishing.public_copies import (
    review_public_copies_forget,
    review_public_copies_refresh,
)
from reviews.publishing.revisions import (
    restore_review,
    serialize_review,
    snapshot_missing_references,
)
from reviews.records import (
    WorkflowError,
    display_name,
    latest_revision,
)

Status = Review.Status
Action = AuditEntry.Action


def live_copy(review: Review) -> Review | None:
    return Review.objects.select_for_update().filter(working_copy=review, is_live=True).first()


def is_public(live: Review | None, now: datetime.datetime) -> bool:
    if live is None:
        return False
    public = Review.objects.published(now=now, translations=live.translation_of_id is not None)
    return public.filter(pk=live.pk).exists()


def save_state(review: Review, **changes) -> None:
    """Write workflow fields, bumping the version so that open edit forms go stale."""
    changes["version"] = review.version + 1
    changes["updated_at"] = timezone.now()
    Review.objects.filter(pk=review.pk).update(**changes)
    for name, value in changes.items():
        setattr(review, name, value)


def refuse_missing_references(revision: ReviewRevision, *, doing: str) -> None:
    """A revision naming a theme, agency, board or type deleted since cannot be restored:
    say what is missing, before anything changes."""
    if missing := snapshot_missing_references(revision.snapshot):
        raise WorkflowError(
            f"Revision {revision.number} cannot be {doing}: it names {'; '.join(missing)}. "
            "Recreate what is missing, or choose another revision. Nothing was changed."
        )


def status_without_sign_off(review: Review) -> str:
    """Where a review stands when it is not (or no longer) waiting for sign-off."""
    live = live_copy(review)
    if live is None:
        return Status.DRAFT
    if live.status == Status.WITHDRAWN:
        return Status.WITHDRAWN
    return Status.CHANGED


def public_changed(live: Review | None) -> None:
    """What the public sees of `live` has changed: bring its stored page and search entries up
    to date and drop the page cache (reviews/publishing/public_copies.py)."""
    if live is None:
        public_cache_invalidate()
        return
    review_public_copies_refresh(reviews=Review.objects.filter(pk=live.pk))


def live_content_replace(
    *, live: Review, snapshot: dict, rendered: dict[str, str] | None = None
) -> None:
    """Give a live copy the snapshot's content. It leaves the indexes first: replacing its
    learning points would delete their rows, but not everything an index keeps of them."""
    if live.pk:
        review_public_copies_forget(review_ids=[live.pk])
    restore_review(snapshot=snapshot, into=live, public=True, rendered=rendered)


def public_changed_many(lives: list[Review]) -> None:
    """`public_changed` for many live copies at once (an import): pages rendered and search
    rows written in batches instead of one review at a time. Call it in the same transaction.
    """
    if lives:
        review_public_copies_refresh(
            reviews=Review.objects.filter(pk__in=[live.pk for live in lives])
        )


def revision_create(
    *, review: Review, user: AbstractBaseUser | None, change_note: str = ""
) -> ReviewRevision:
    """Record the working copy as it now is. Callers hold the review's lock."""
    previous = latest_revision(review)
    return ReviewRevision.objects.create(
        review=review,
        number=(previous.number + 1) if previous else 1,
        created_by=user,
        created_by_name=display_name(user),
        change_note=change_note.strip()[:500],
        snapshot=serialize_review(review),
    )
