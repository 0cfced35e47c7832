"""Every change of a review's publishing state, each one checked, atomic and audited.

This is the workflow's one public module: the sign-off changes are defined here, and the
changes to the record (editing.py) and preview links (preview_links.py) are imported from
here too, with the errors and permission names they raise and check (reviews/records.py).

The states (docs/publishing.md) live on the working copy, the review staff edit:

    draft ──submit──▶ ready for sign-off ──publish──▶ published ──withdraw──▶ withdrawn
      ▲                 │  (reject, with a reason)      │ edit
      └─────────────────┘                               ▼
                                             published, with unpublished changes ──submit──▶ …

Publishing copies the signed-off revision, with every child row, into the review's live
copy: a separate Review row (`is_live=True`) that is all the public ever reads, through
`Review.objects.published()`. Editing the working copy therefore never changes a public
page until the next publication.

Each function takes keyword arguments only, checks the acting user's permissions itself
(the admin's checks are a convenience, not the guard), runs in one transaction holding a
lock on the review row, and writes one audit entry. Bad input raises `WorkflowError` (a
`ValidationError`) with a message for the user, and changes nothing.

For code that imports documents that were already published elsewhere, use
`review_make_live` (no sign-off; the document's publication is the sign-off) after saving
the working copy: without a live copy a review is not public, whatever its status says.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reviews.calendar.deadlines import earliest_publication
from reviews.calendar.working_days import long_date
from reviews.models import Review, ReviewRevision
from reviews.privacy.services import privacy_refuse_public_text, privacy_refuse_unresolved
from reviews.publishing import notifications
from reviews.publishing.authorship import content_authors_since_sign_off
from reviews.publishing.editing import (
    review_delete,
    review_lock_for_edit,
    review_make_live,
    review_record_edit,
    review_record_import,
)
from reviews.publishing.live_copies import (
    Action,
    Status,
    is_public,
    live_content_replace,
    live_copy,
    public_changed,
    public_changed_many,
    refuse_missing_references,
    revision_create,
    save_state,
    status_without_sign_off,
)
from reviews.publishing.preview_links import (
    PREVIEW_LINK_DEFAULT_DAYS,
    PREVIEW_LINK_MAX_DAYS,
    preview_link_create,
    preview_link_revoke,
    preview_link_token,
)
from reviews.publishing.public_copies import review_public_copies_forget
from reviews.publishing.revisions import restore_review
from reviews.records import (
    PERMISSION_EDIT,
    PERMISSION_PUBLISH,
    PERMISSION_SUBMIT,
    StaleEditError,
    WorkflowError,
    audit,
    latest_revision,
    lock_review,
    require_permission,
    required_text,
)
from reviews.translations.services import (
    translation_refuse_unready,
    translations_mark_needs_review,
)

DEFAULT_WITHDRAWAL_NOTICE = "The board has withdrawn this review."

__all__ = [
    "PERMISSION_EDIT",
    "PERMISSION_PUBLISH",
    "PERMISSION_SUBMIT",
    "PREVIEW_LINK_DEFAULT_DAYS",
    "PREVIEW_LINK_MAX_DAYS",
    "StaleEditError",
    "WorkflowError",
    "public_changed_many",
    "preview_link_create",
    "preview_link_revoke",
    "preview_link_token",
    "review_cancel_schedule",
    "review_delete",
    "review_lock_for_edit",
    "review_make_live",
    "review_publish",
    "review_record_edit",
    "review_record_import",
    "review_reject",
    "review_revert",
    "review_submit",
    "review_withdraw",
    "revision_create",
]


# Sign-off --------------------------------------------------------------------------------


@transaction.atomic
def review_submit(*, review: Review, user: AbstractBaseUser, note: str = "") -> Review:
    """Ask a publisher to sign the review off. Publishers are emailed."""
    require_permission(user, PERMISSION_SUBMIT, "submit reviews for sign-off")
    locked = lock_review(review)
    if locked.status not in (Status.DRAFT, Status.CHANGED, Status.WITHDRAWN):
        raise WorkflowError(
            f"Only a draft or a changed review can be submitted; this one is "
            f"“{locked.get_status_display()}”."
        )
    revision = latest_revision(locked)
    if revision is None:
        raise WorkflowError("Save the review before submitting it for sign-off.")
    save_state(locked, status=Status.READY, rejection_reason="")
    audit(action=Action.SUBMITTED, user=user, review=locked, revision=revision, note=note.strip())
    transaction.on_commit(
        lambda: notifications.review_submitted(review=locked, submitted_by=user, note=note)
    )
    return locked


@transaction.atomic
def review_reject(*, review: Review, user: AbstractBaseUser, reason: str) -> Review:
    """Send a review back to its authors, saying why; the reason shows in the admin."""
    require_permission(user, PERMISSION_PUBLISH, "send reviews back")
    reason = required_text(reason, "a reason for sending the review back")
    locked = lock_review(review)
    if locked.status != Status.READY:
        raise WorkflowError("Only a review that is ready for sign-off can be sent back.")
    save_state(locked, status=status_without_sign_off(locked), rejection_reason=reason)
    revision = latest_revision(locked)
    audit(action=Action.REJECTED, user=user, review=locked, revision=revision, reason=reason)
    transaction.on_commit(
        lambda: notifications.review_rejected(review=locked, rejected_by=user, reason=reason)
    )
    return locked


@transaction.atomic
def review_publish(
    *,
    review: Review,
    user: AbstractBaseUser,
    go_live_at: datetime.datetime | None = None,
    note: str = "",
    confirm_early: bool = False,
) -> Review:
    """Sign off the latest revision and make it public now, or at `go_live_at`.

    Four eyes: whoever saved that revision cannot sign it off, superusers included.
    Refused while the privacy check finds anything unresolved in that revision.
    A review that is already public is updated at once and shows "Last updated" with `note`;
    a go-live time in the future is for a review that is not public yet.
    A first publication before the earliest publication date (docs/statutory-deadlines.md)
    is refused unless the publisher confirms it (`confirm_early`); the audit entry says so.
    """
    require_permission(user, PERMISSION_PUBLISH, "publish reviews")
    locked = lock_review(review)
    if locked.status != Status.READY:
        raise WorkflowError(
            "Only a review that is ready for sign-off can be published; "
            f"this one is “{locked.get_status_display()}”. Submit it for sign-off first."
        )
    revision = latest_revision(locked)
    if revision is None:
        raise WorkflowError("This review has no saved version to publish.")
    if user.pk in content_authors_since_sign_off(review=locked):
        raise WorkflowError(
            "You wrote some of the content that has changed since this review was last "
            "signed off, so another publisher must sign it off (four eyes)."
        )
    refuse_missing_references(revision, doing="published")
    # What goes public is the signed-off revision: scan exactly that (docs/privacy.md).
    privacy_refuse_unresolved(review=locked, snapshot=revision.snapshot)
    privacy_refuse_public_text(review=locked, field_name="update_note", text=note)
    # Translations: complete beside the original; a bilingual board's Welsh signed off first.
    translation_refuse_unready(review=locked, snapshot=revision.snapshot)
    now = timezone.now()
    live = live_copy(locked)
    already_public = is_public(live, now)
    scheduled = go_live_at is not None and go_live_at > now
    if scheduled and already_public:
        raise WorkflowError(
            "This review is already public, so changes are published straight away. "
            "Leave the go-live time empty to publish them now."
        )
    if scheduled and live and live.status == Status.WITHDRAWN:
        raise WorkflowError("A withdrawn review can only be published again straight away.")
    slug = revision.snapshot["review"]["slug"]
    if Review.objects.filter(is_live=True, slug=slug).exclude(working_copy=locked).exists():
        raise WorkflowError(
            f"Another published or withdrawn review still uses the address “{slug}”. "
            "Give this review a different slug (address)."
        )

    first_publication = live is None or (live.go_live_at and live.go_live_at > now)
    early = _refuse_early_unless_confirmed(
        locked,
        publishing_on=timezone.localdate(go_live_at if scheduled else now),
        first_publication=bool(first_publication),
        confirm_early=confirm_early,
    )
    if live is None:
        live = Review(is_live=True, working_copy=locked)
    live.status = Status.PUBLISHED
    if first_publication or live.withdrawn_at:
        live.go_live_at = go_live_at if scheduled else now
    if not first_publication:
        live.last_updated_at = now
        live.update_note = note.strip()
    live.withdrawn_at = None
    live.withdrawal_notice = ""
    published_on = (
        revision.snapshot["review"].get("published_on")
        or (live.published_on and live.published_on.isoformat())
        or timezone.localdate(live.go_live_at).isoformat()
    )
    snapshot = {**revision.snapshot, "review": {**revision.snapshot["review"]}}
    snapshot["review"]["published_on"] = published_on
    live_content_replace(live=live, snapshot=snapshot)
    public_changed(live)

    save_state(
        locked,
        status=Status.PUBLISHED,
        rejection_reason="",
        withdrawn_at=None,
        withdrawal_reason="",
        withdrawal_notice="",
        translation_needs_review=False,
    )
    audit(
        action=Action.SCHEDULED if scheduled else Action.PUBLISHED,
        user=user,
        review=locked,
        revision=revision,
        go_live_at=live.go_live_at.isoformat(),
        note=note.strip(),
        before_earliest_publication=early.isoformat() if early else None,
    )
    transaction.on_commit(
        lambda: notifications.review_published(
            review=locked, published_by=user, revision=revision, go_live_at=live.go_live_at
        )
    )
    return locked


def _refuse_early_unless_confirmed(
    review: Review, *, publishing_on: datetime.date, first_publication: bool, confirm_early: bool
) -> datetime.date | None:
    """The earliest publication date when this publication comes before it (and was
    confirmed); WorkflowError when it comes before it unconfirmed. Updates of a review that
    is already public are not a first publication: the date no longer applies."""
    earliest = earliest_publication(review) if first_publication else None
    if earliest is None or publishing_on >= earliest:
        return None
    if not confirm_early:
        board = review.board
        raise WorkflowError(
            f"The earliest publication date of this review is {long_date(earliest)}: "
            f"{board.publication_wait_working_days} working days after the report was sent "
            f"to the Panel and the Secretary of State on {long_date(review.sent_to_panel_on)}. "
            f"Publishing on {long_date(publishing_on)} is earlier; confirm that you mean to "
            "publish early, or choose a go-live time on or after the earliest date."
        )
    return earliest


@transaction.atomic
def review_cancel_schedule(*, review: Review, user: AbstractBaseUser) -> Review:
    """Stop a scheduled review from going live; it waits for sign-off again."""
    require_permission(user, PERMISSION_PUBLISH, "cancel scheduled publication")
    locked = lock_review(review)
    live = live_copy(locked)
    now = timezone.now()
    if live is None or live.status != Status.PUBLISHED or live.go_live_at <= now:
        raise WorkflowError("This review is not scheduled: there is nothing to cancel.")
    go_live_at = live.go_live_at
    # Scheduling is only for reviews that were never public, so no public record is lost.
    review_public_copies_forget(review_ids=[live.pk])
    live.delete()
    public_changed(None)
    save_state(locked, status=Status.READY)
    audit(
        action=Action.SCHEDULE_CANCELLED,
        user=user,
        review=locked,
        revision=latest_revision(locked),
        go_live_at=go_live_at.isoformat(),
    )
    return locked


@transaction.atomic
def review_withdraw(
    *, review: Review, user: AbstractBaseUser, reason: str, public_notice: str = ""
) -> Review:
    """Take a public review down. Its address answers 410 Gone with `public_notice`.

    `reason` is for staff and the audit log; only the notice is shown to the public.
    """
    require_permission(user, PERMISSION_PUBLISH, "withdraw reviews")
    reason = required_text(reason, "a reason for withdrawing the review")
    public_notice = (public_notice or "").strip() or DEFAULT_WITHDRAWAL_NOTICE
    locked = lock_review(review)
    live = live_copy(locked)
    now = timezone.now()
    if not is_public(live, now):
        raise WorkflowError(
            "Only a public review can be withdrawn. A scheduled review can have its "
            "schedule cancelled instead."
        )
    privacy_refuse_public_text(review=locked, field_name="withdrawal_notice", text=public_notice)
    live.status = Status.WITHDRAWN
    live.withdrawn_at = now
    live.withdrawal_notice = public_notice
    live.save(update_fields=["status", "withdrawn_at", "withdrawal_notice", "updated_at"])
    public_changed(live)
    save_state(
        locked,
        status=Status.WITHDRAWN,
        withdrawn_at=now,
        withdrawal_reason=reason,
        withdrawal_notice=public_notice,
    )
    audit(
        action=Action.WITHDRAWN,
        user=user,
        review=locked,
        revision=latest_revision(locked),
        reason=reason,
        public_notice=public_notice,
    )
    return locked


# History ---------------------------------------------------------------------------------


@transaction.atomic
def review_revert(
    *, review: Review, user: AbstractBaseUser, revision: ReviewRevision, change_note: str = ""
) -> ReviewRevision:
    """Bring back an earlier revision, every field and child row, as a new revision.

    Nothing is lost: the versions in between stay in the history. The public page does not
    change until the reverted version is signed off and published.
    """
    require_permission(user, PERMISSION_PUBLISH, "revert reviews")
    locked = lock_review(review)
    if revision.review_id != locked.pk:
        raise WorkflowError("That revision belongs to another review.")
    refuse_missing_references(revision, doing="brought back")
    before = latest_revision(locked)
    restore_review(snapshot=revision.snapshot, into=locked)
    status = Status.CHANGED if locked.status == Status.PUBLISHED else locked.status
    save_state(locked, status=status)
    note = change_note.strip() or f"Reverted to revision {revision.number}"
    new_revision = revision_create(review=locked, user=user, change_note=note)
    flagged = translations_mark_needs_review(
        original=locked, before=before and before.snapshot, after=new_revision.snapshot
    )
    audit(
        action=Action.REVERTED,
        user=user,
        review=locked,
        revision=new_revision,
        reverted_to=revision.number,
        translations_need_review=flagged or None,
    )
    return new_revision
