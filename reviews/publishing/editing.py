"""Changes to a review's record that are not sign-off: editing the working copy, importing
reviews already published elsewhere, and deleting a review. Import them from services.py,
the workflow's one public module.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reviews.models import AuditEntry, Review, ReviewRevision
from reviews.publishing import notifications
from reviews.publishing.live_copies import (
    Action,
    Status,
    is_public,
    live_content_replace,
    live_copy,
    public_changed,
    revision_create,
    save_state,
)
from reviews.publishing.public_copies import review_public_copies_forget
from reviews.publishing.revisions import stored_html
from reviews.records import (
    PERMISSION_EDIT,
    StaleEditError,
    WorkflowError,
    audit,
    latest_revision,
    lock_review,
    require_permission,
)
from reviews.translations.services import (
    translation_structure_copy,
    translations_mark_needs_review,
)

# Editing ---------------------------------------------------------------------------------


def review_lock_for_edit(*, review_id: int, expected_version: int | None) -> Review:
    """Lock the review for saving; refuse if someone saved it since `expected_version`.

    Call inside a transaction, before writing anything: on PostgreSQL a second editor waits
    here until the first one's save is committed, then is refused, so nothing is lost.
    """
    try:
        locked = Review.objects.select_for_update().get(pk=review_id, is_live=False)
    except Review.DoesNotExist as error:
        raise WorkflowError("That review no longer exists.") from error
    if expected_version is not None and locked.version != expected_version:
        last = AuditEntry.objects.filter(review_id=review_id).order_by("-created_at", "-id").first()
        who = (
            f"{last.user_name or 'Someone'} ({last.get_action_display().lower()}, "
            f"{timezone.localtime(last.created_at):%-d %B %Y at %H:%M})"
            if last
            else "Someone"
        )
        raise StaleEditError(
            f"{who} changed this review after you opened it, so your changes were not saved "
            "(they are still in the form below). Open the review again in a new tab to see "
            "the latest version, copy your changes across, and save there."
        )
    return locked


@transaction.atomic
def review_record_edit(
    *,
    review: Review,
    edited_by: AbstractBaseUser,
    expected_version: int | None,
    change_note: str = "",
) -> ReviewRevision:
    """After a save of the working copy and its child rows: version, state, revision, audit.

    A published review becomes "published, with unpublished changes"; the public page keeps
    showing the published version. A translation takes its original's structured values; an
    original's translations that were signed off are marked as needing review when its
    content changed (reviews/translations/services.py).
    """
    require_permission(edited_by, PERMISSION_EDIT, "edit reviews")
    locked = review_lock_for_edit(review_id=review.pk, expected_version=expected_version)
    before = latest_revision(locked)
    translation_structure_copy(translation=locked)
    status = Status.CHANGED if locked.status == Status.PUBLISHED else locked.status
    save_state(locked, status=status)
    review.version, review.status = locked.version, locked.status
    revision = revision_create(review=locked, user=edited_by, change_note=change_note)
    flagged = translations_mark_needs_review(
        original=locked, before=before and before.snapshot, after=revision.snapshot
    )
    audit(
        action=Action.CREATED if revision.number == 1 else Action.EDITED,
        user=edited_by,
        review=locked,
        revision=revision,
        note=change_note.strip(),
        translations_need_review=flagged or None,
    )
    return revision


# Internal: importing reviews that were already published ---------------------------------


@transaction.atomic
def review_make_live(
    *,
    review: Review,
    published_by: AbstractBaseUser | None = None,
    note: str = "",
    public_changes: list[Review] | None = None,
    **details,
) -> Review:
    """Publish a review that was already published elsewhere (document import), at once.

    No sign-off and no permission check: the caller (an import run by an administrator)
    vouches for it. Records the working copy as a revision, copies it to the live copy,
    and audits both. Call it after the working copy and its child rows are saved.
    Given `public_changes`, the live copy is added to it instead of its page and search rows
    being written now: the caller passes the list to `public_changed_many` before committing.
    """
    locked = lock_review(review)
    before = latest_revision(locked)
    revision = revision_create(
        review=locked, user=published_by, change_note=note or "Imported as published"
    )
    details["translations_need_review"] = (
        translations_mark_needs_review(
            original=locked, before=before and before.snapshot, after=revision.snapshot
        )
        or None
    )
    now = timezone.now()
    live = live_copy(locked)
    if live is None:
        live = Review(is_live=True, working_copy=locked, go_live_at=now)
    elif is_public(live, now):
        live.last_updated_at = now
        live.update_note = note.strip()
    else:
        live.go_live_at = now
    live.status = Status.PUBLISHED
    live.withdrawn_at = None
    live.withdrawal_notice = ""
    snapshot = revision.snapshot
    if not snapshot["review"].get("published_on"):
        snapshot = {**snapshot, "review": {**snapshot["review"]}}
        snapshot["review"]["published_on"] = timezone.localdate(now).isoformat()
    # The working copy was just saved from this snapshot: copy its HTML, do not render again.
    live_content_replace(live=live, snapshot=snapshot, rendered=stored_html(locked))
    if public_changes is None:
        public_changed(live)
    else:
        public_changes.append(live)
    save_state(locked, status=Status.PUBLISHED, rejection_reason="", translation_needs_review=False)
    audit(
        action=Action.IMPORTED_LIVE,
        user=published_by,
        review=locked,
        revision=revision,
        note=note.strip(),
        **details,
    )
    return locked


@transaction.atomic
def review_record_import(
    *, review: Review, user: AbstractBaseUser | None, note: str, submit: bool, **details
) -> ReviewRevision:
    """An imported document's content as a revision of the working copy, audited with
    `details` (the file; from the command line, who ran it). With `submit` it waits for
    another person's sign-off, whatever the document's status said: an import never
    publishes on one person's word. Call it after the working copy is saved."""
    locked = lock_review(review)
    if submit:
        save_state(locked, status=Status.READY, rejection_reason="")
    before = latest_revision(locked)
    revision = revision_create(review=locked, user=user, change_note=note)
    details["translations_need_review"] = (
        translations_mark_needs_review(
            original=locked, before=before and before.snapshot, after=revision.snapshot
        )
        or None
    )
    action = Action.CREATED if revision.number == 1 else Action.EDITED
    audit(action=action, user=user, review=locked, revision=revision, note=note, **details)
    if submit:
        waiting = "Imported: waiting for another person's sign-off."
        audit(action=Action.SUBMITTED, user=user, review=locked, revision=revision, note=waiting)
        transaction.on_commit(
            lambda: notifications.review_submitted(review=locked, submitted_by=user, note=waiting)
        )
    review.status = locked.status
    return revision


@transaction.atomic
def review_delete(*, review: Review, user: AbstractBaseUser) -> None:
    """Delete a review and its live copy. The audit log and revisions keep its history."""
    require_permission(user, "reviews.delete_review", "delete reviews")
    locked = lock_review(review)
    if (actions := locked.actions.count()) > 0:
        # The action plan is the board's record of what the review changed (Action.review
        # is PROTECT): it is never lost as a side effect of deleting the review.
        raise WorkflowError(
            f"This review has an action plan ({actions} action{'s' if actions != 1 else ''}), "
            "which is part of the board's record. Delete its actions first."
        )
    audit(
        action=Action.DELETED,
        user=user,
        review=locked,
        revision=latest_revision(locked),
        slug=locked.slug,
    )
    # Its translations go with it (translation_of cascades): their live copies leave the
    # indexes first, as its own does.
    gone = Review.objects.filter(is_live=True).filter(
        Q(working_copy=locked) | Q(translation_of=locked)
    )
    review_public_copies_forget(review_ids=list(gone.values_list("pk", flat=True)))
    locked.delete()
    public_changed(None)
