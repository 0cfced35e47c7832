"""Every change of a review's publishing state, each one checked, atomic and audited.

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
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from reviews import notifications
from reviews.authorship import content_authors_since_sign_off
from reviews.models import AuditEntry, PreviewLink, Review, ReviewRevision
from reviews.pages import review_page_store
from reviews.revisions import (
    restore_review,
    serialize_review,
    snapshot_missing_references,
    stored_html,
)

PERMISSION_EDIT = "reviews.change_review"
PERMISSION_SUBMIT = "reviews.submit_review"
PERMISSION_PUBLISH = "reviews.publish_review"

PREVIEW_LINK_SALT = "reviews.preview-link"
PREVIEW_LINK_DEFAULT_DAYS = 7
PREVIEW_LINK_MAX_DAYS = 30
DEFAULT_WITHDRAWAL_NOTICE = "The board has withdrawn this review."

Status = Review.Status
Action = AuditEntry.Action


class WorkflowError(ValidationError):
    """The request cannot be carried out as asked; the message says why, for the user."""


class StaleEditError(WorkflowError):
    """Someone else saved the review after the user opened it."""


# Helpers ---------------------------------------------------------------------------------


def _require(user: AbstractBaseUser, permission: str, doing: str) -> None:
    if not (user and user.is_active and user.has_perm(permission)):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def _required_text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise WorkflowError(f"Give {what}.")
    return value


def _display_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _lock(review: Review) -> Review:
    """The review's row, locked until the transaction ends (SELECT ... FOR UPDATE)."""
    try:
        return Review.objects.select_for_update().get(pk=review.pk, is_live=False)
    except Review.DoesNotExist as error:
        raise WorkflowError("That review no longer exists.") from error


def _live_copy(review: Review) -> Review | None:
    return Review.objects.select_for_update().filter(working_copy=review, is_live=True).first()


def _is_public(live: Review | None, now: datetime.datetime) -> bool:
    return live is not None and Review.objects.published(now=now).filter(pk=live.pk).exists()


def _save_state(review: Review, **changes) -> None:
    """Write workflow fields, bumping the version so that open edit forms go stale."""
    changes["version"] = review.version + 1
    changes["updated_at"] = timezone.now()
    Review.objects.filter(pk=review.pk).update(**changes)
    for name, value in changes.items():
        setattr(review, name, value)


def _audit(
    *,
    action: str,
    user: AbstractBaseUser | None,
    review: Review,
    revision: ReviewRevision | None = None,
    **details,
) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action,
        user=user,
        user_name=_display_name(user),
        review=review,
        review_title=review.title,
        revision=revision,
        revision_number=revision.number if revision else None,
        details={key: value for key, value in details.items() if value not in (None, "")},
    )


def _latest_revision(review: Review) -> ReviewRevision | None:
    return ReviewRevision.objects.filter(review=review).order_by("-number").first()


def _refuse_missing_references(revision: ReviewRevision, *, doing: str) -> None:
    """A revision naming a theme, agency, board or type deleted since cannot be restored:
    say what is missing, before anything changes."""
    if missing := snapshot_missing_references(revision.snapshot):
        raise WorkflowError(
            f"Revision {revision.number} cannot be {doing}: it names {'; '.join(missing)}. "
            "Recreate what is missing, or choose another revision. Nothing was changed."
        )


def _status_without_sign_off(review: Review) -> str:
    """Where a review stands when it is not (or no longer) waiting for sign-off."""
    live = _live_copy(review)
    if live is None:
        return Status.DRAFT
    if live.status == Status.WITHDRAWN:
        return Status.WITHDRAWN
    return Status.CHANGED


def _public_changed(live: Review | None) -> None:
    """Tell search and the public page cache that what the public sees has changed.

    Both are being built alongside this workflow (learning/search_index.py, portal/cache.py);
    until one lands, there is nothing of it to tell.
    A published live copy also gets its page rendered and stored (reviews/pages.py).
    """
    if live is not None and live.status == Status.PUBLISHED:
        review_page_store(review=live)
    try:
        from portal.cache import public_cache_invalidate
    except ImportError:
        pass
    else:
        public_cache_invalidate()  # after commit
    if live is None:
        return
    try:
        from learning.search_index import search_index_remove, search_index_update
    except ImportError:
        return
    if live.status == Status.PUBLISHED:
        search_index_update(review=live)
    else:
        search_index_remove(review=live)


def _live_content_replace(
    *, live: Review, snapshot: dict, rendered: dict[str, str] | None = None
) -> None:
    """Give a live copy the snapshot's content. Its search entries go first: replacing its
    learning points would delete theirs, but not SQLite's full-text rows for them."""
    if live.pk:
        _search_index_remove(live)
    restore_review(snapshot=snapshot, into=live, public=True, rendered=rendered)


def _search_index_remove(live: Review) -> None:
    """Take a live copy out of search before deleting it: deleting the review would take
    its search entries with it, but not SQLite's full-text (FTS5) rows for them."""
    from learning.search_index import search_index_remove

    search_index_remove(review=live)


def public_changed_many(lives: list[Review]) -> None:
    """`_public_changed` for many live copies at once (an import): pages rendered and search
    rows written in batches instead of one review at a time. Call it in the same transaction.
    """
    if not lives:
        return
    from reviews.pages import review_pages_rerender

    ids = [live.pk for live in lives]
    review_pages_rerender(reviews=Review.objects.filter(pk__in=ids))
    try:
        from portal.cache import public_cache_invalidate
    except ImportError:
        pass
    else:
        public_cache_invalidate()  # after commit
    try:
        from learning.search_index import search_index_rebuild, search_index_remove
    except ImportError:
        return
    published = [live.pk for live in lives if live.status == Status.PUBLISHED]
    search_index_rebuild(reviews=Review.objects.filter(pk__in=published))
    for live in lives:
        if live.status != Status.PUBLISHED:
            search_index_remove(review=live)


def revision_create(
    *, review: Review, user: AbstractBaseUser | None, change_note: str = ""
) -> ReviewRevision:
    """Record the working copy as it now is. Callers hold the review's lock."""
    previous = _latest_revision(review)
    return ReviewRevision.objects.create(
        review=review,
        number=(previous.number + 1) if previous else 1,
        created_by=user,
        created_by_name=_display_name(user),
        change_note=change_note.strip()[:500],
        snapshot=serialize_review(review),
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
    showing the published version.
    """
    _require(edited_by, PERMISSION_EDIT, "edit reviews")
    locked = review_lock_for_edit(review_id=review.pk, expected_version=expected_version)
    status = Status.CHANGED if locked.status == Status.PUBLISHED else locked.status
    _save_state(locked, status=status)
    review.version, review.status = locked.version, locked.status
    revision = revision_create(review=locked, user=edited_by, change_note=change_note)
    _audit(
        action=Action.CREATED if revision.number == 1 else Action.EDITED,
        user=edited_by,
        review=locked,
        revision=revision,
        note=change_note.strip(),
    )
    return revision


# Sign-off --------------------------------------------------------------------------------


@transaction.atomic
def review_submit(*, review: Review, user: AbstractBaseUser, note: str = "") -> Review:
    """Ask a publisher to sign the review off. Publishers are emailed."""
    _require(user, PERMISSION_SUBMIT, "submit reviews for sign-off")
    locked = _lock(review)
    if locked.status not in (Status.DRAFT, Status.CHANGED, Status.WITHDRAWN):
        raise WorkflowError(
            f"Only a draft or a changed review can be submitted; this one is "
            f"“{locked.get_status_display()}”."
        )
    revision = _latest_revision(locked)
    if revision is None:
        raise WorkflowError("Save the review before submitting it for sign-off.")
    _save_state(locked, status=Status.READY, rejection_reason="")
    _audit(action=Action.SUBMITTED, user=user, review=locked, revision=revision, note=note.strip())
    transaction.on_commit(
        lambda: notifications.review_submitted(review=locked, submitted_by=user, note=note)
    )
    return locked


@transaction.atomic
def review_reject(*, review: Review, user: AbstractBaseUser, reason: str) -> Review:
    """Send a review back to its authors, saying why; the reason shows in the admin."""
    _require(user, PERMISSION_PUBLISH, "send reviews back")
    reason = _required_text(reason, "a reason for sending the review back")
    locked = _lock(review)
    if locked.status != Status.READY:
        raise WorkflowError("Only a review that is ready for sign-off can be sent back.")
    _save_state(locked, status=_status_without_sign_off(locked), rejection_reason=reason)
    revision = _latest_revision(locked)
    _audit(action=Action.REJECTED, user=user, review=locked, revision=revision, reason=reason)
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
) -> Review:
    """Sign off the latest revision and make it public now, or at `go_live_at`.

    Four eyes: whoever saved that revision cannot sign it off, superusers included.
    Refused while the privacy check finds anything unresolved in that revision.
    A review that is already public is updated at once and shows "Last updated" with `note`;
    a go-live time in the future is for a review that is not public yet.
    """
    _require(user, PERMISSION_PUBLISH, "publish reviews")
    locked = _lock(review)
    if locked.status != Status.READY:
        raise WorkflowError(
            "Only a review that is ready for sign-off can be published; "
            f"this one is “{locked.get_status_display()}”. Submit it for sign-off first."
        )
    revision = _latest_revision(locked)
    if revision is None:
        raise WorkflowError("This review has no saved version to publish.")
    if user.pk in content_authors_since_sign_off(review=locked):
        raise WorkflowError(
            "You wrote some of the content that has changed since this review was last "
            "signed off, so another publisher must sign it off (four eyes)."
        )
    _refuse_missing_references(revision, doing="published")
    # What goes public is the signed-off revision: scan exactly that (docs/privacy.md).
    from reviews.privacy_services import privacy_refuse_public_text, privacy_refuse_unresolved

    privacy_refuse_unresolved(review=locked, snapshot=revision.snapshot)
    privacy_refuse_public_text(review=locked, field_name="update_note", text=note)
    now = timezone.now()
    live = _live_copy(locked)
    already_public = _is_public(live, now)
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
    _live_content_replace(live=live, snapshot=snapshot)
    _public_changed(live)

    _save_state(
        locked,
        status=Status.PUBLISHED,
        rejection_reason="",
        withdrawn_at=None,
        withdrawal_reason="",
        withdrawal_notice="",
    )
    _audit(
        action=Action.SCHEDULED if scheduled else Action.PUBLISHED,
        user=user,
        review=locked,
        revision=revision,
        go_live_at=live.go_live_at.isoformat(),
        note=note.strip(),
    )
    transaction.on_commit(
        lambda: notifications.review_published(
            review=locked, published_by=user, revision=revision, go_live_at=live.go_live_at
        )
    )
    return locked


@transaction.atomic
def review_cancel_schedule(*, review: Review, user: AbstractBaseUser) -> Review:
    """Stop a scheduled review from going live; it waits for sign-off again."""
    _require(user, PERMISSION_PUBLISH, "cancel scheduled publication")
    locked = _lock(review)
    live = _live_copy(locked)
    now = timezone.now()
    if live is None or live.status != Status.PUBLISHED or live.go_live_at <= now:
        raise WorkflowError("This review is not scheduled: there is nothing to cancel.")
    go_live_at = live.go_live_at
    # Scheduling is only for reviews that were never public, so no public record is lost.
    _search_index_remove(live)
    live.delete()
    _public_changed(None)
    _save_state(locked, status=Status.READY)
    _audit(
        action=Action.SCHEDULE_CANCELLED,
        user=user,
        review=locked,
        revision=_latest_revision(locked),
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
    _require(user, PERMISSION_PUBLISH, "withdraw reviews")
    reason = _required_text(reason, "a reason for withdrawing the review")
    public_notice = (public_notice or "").strip() or DEFAULT_WITHDRAWAL_NOTICE
    locked = _lock(review)
    live = _live_copy(locked)
    now = timezone.now()
    if not _is_public(live, now):
        raise WorkflowError(
            "Only a public review can be withdrawn. A scheduled review can have its "
            "schedule cancelled instead."
        )
    from reviews.privacy_services import privacy_refuse_public_text

    privacy_refuse_public_text(review=locked, field_name="withdrawal_notice", text=public_notice)
    live.status = Status.WITHDRAWN
    live.withdrawn_at = now
    live.withdrawal_notice = public_notice
    live.save(update_fields=["status", "withdrawn_at", "withdrawal_notice", "updated_at"])
    _public_changed(live)
    _save_state(
        locked,
        status=Status.WITHDRAWN,
        withdrawn_at=now,
        withdrawal_reason=reason,
        withdrawal_notice=public_notice,
    )
    _audit(
        action=Action.WITHDRAWN,
        user=user,
        review=locked,
        revision=_latest_revision(locked),
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
    _require(user, PERMISSION_PUBLISH, "revert reviews")
    locked = _lock(review)
    if revision.review_id != locked.pk:
        raise WorkflowError("That revision belongs to another review.")
    _refuse_missing_references(revision, doing="brought back")
    restore_review(snapshot=revision.snapshot, into=locked)
    status = Status.CHANGED if locked.status == Status.PUBLISHED else locked.status
    _save_state(locked, status=status)
    note = change_note.strip() or f"Reverted to revision {revision.number}"
    new_revision = revision_create(review=locked, user=user, change_note=note)
    _audit(
        action=Action.REVERTED,
        user=user,
        review=locked,
        revision=new_revision,
        reverted_to=revision.number,
    )
    return new_revision


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
    locked = _lock(review)
    revision = revision_create(
        review=locked, user=published_by, change_note=note or "Imported as published"
    )
    now = timezone.now()
    live = _live_copy(locked)
    if live is None:
        live = Review(is_live=True, working_copy=locked, go_live_at=now)
    elif _is_public(live, now):
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
    _live_content_replace(live=live, snapshot=snapshot, rendered=stored_html(locked))
    if public_changes is None:
        _public_changed(live)
    else:
        public_changes.append(live)
    _save_state(locked, status=Status.PUBLISHED, rejection_reason="")
    _audit(
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
    locked = _lock(review)
    if submit:
        _save_state(locked, status=Status.READY, rejection_reason="")
    revision = revision_create(review=locked, user=user, change_note=note)
    action = Action.CREATED if revision.number == 1 else Action.EDITED
    _audit(action=action, user=user, review=locked, revision=revision, note=note, **details)
    if submit:
        waiting = "Imported: waiting for another person's sign-off."
        _audit(action=Action.SUBMITTED, user=user, review=locked, revision=revision, note=waiting)
        transaction.on_commit(
            lambda: notifications.review_submitted(review=locked, submitted_by=user, note=waiting)
        )
    review.status = locked.status
    return revision


@transaction.atomic
def review_delete(*, review: Review, user: AbstractBaseUser) -> None:
    """Delete a review and its live copy. The audit log and revisions keep its history."""
    _require(user, "reviews.delete_review", "delete reviews")
    locked = _lock(review)
    _audit(
        action=Action.DELETED,
        user=user,
        review=locked,
        revision=_latest_revision(locked),
        slug=locked.slug,
    )
    live = _live_copy(locked)
    if live is not None:
        _search_index_remove(live)
    locked.delete()
    _public_changed(None)


# Preview links ---------------------------------------------------------------------------


def preview_link_token(link: PreviewLink) -> str:
    """The secret part of a preview link's address: its id, signed with SECRET_KEY."""
    return signing.Signer(salt=PREVIEW_LINK_SALT).sign(str(link.pk))


@transaction.atomic
def preview_link_create(
    *,
    review: Review,
    user: AbstractBaseUser,
    days: int = PREVIEW_LINK_DEFAULT_DAYS,
    note: str = "",
) -> PreviewLink:
    """A link to the latest revision for people without an account, valid for `days` days."""
    _require(user, PERMISSION_PUBLISH, "create preview links")
    if not isinstance(days, int) or not 1 <= days <= PREVIEW_LINK_MAX_DAYS:
        raise WorkflowError(f"A preview link lasts between 1 and {PREVIEW_LINK_MAX_DAYS} days.")
    locked = _lock(review)
    revision = _latest_revision(locked)
    if revision is None:
        raise WorkflowError("Save the review before creating a preview link.")
    link = PreviewLink.objects.create(
        review=locked,
        revision=revision,
        created_by=user,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        note=note.strip()[:200],
    )
    _audit(
        action=Action.PREVIEW_LINK_CREATED,
        user=user,
        review=locked,
        revision=revision,
        link=str(link.pk),
        expires_at=link.expires_at.isoformat(),
        note=link.note,
    )
    return link


@transaction.atomic
def preview_link_revoke(*, link: PreviewLink, user: AbstractBaseUser) -> PreviewLink:
    """Make a preview link stop working at once."""
    _require(user, PERMISSION_PUBLISH, "revoke preview links")
    link = PreviewLink.objects.select_for_update().select_related("review").get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        _audit(
            action=Action.PREVIEW_LINK_REVOKED,
            user=user,
            review=link.review,
            revision=link.revision,
            link=str(link.pk),
        )
    return link
