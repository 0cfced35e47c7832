"""What every state change of a review shares: permission names, the error a refused change
raises, locking the review's row, and the audit log.

The workflow (reviews/publishing/services.py) and the privacy check's own changes
(reviews/privacy/services.py) both build on these, so neither borrows the other's insides.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError

from reviews.models import AuditEntry, Review, ReviewRevision

PERMISSION_EDIT = "reviews.change_review"
PERMISSION_SUBMIT = "reviews.submit_review"
PERMISSION_PUBLISH = "reviews.publish_review"
# Action plans (reviews/actions/): editors update actions, publishers accept their evidence.
PERMISSION_ACTION_EDIT = "reviews.change_action"
PERMISSION_ACTION_DELETE = "reviews.delete_action"
PERMISSION_ACTION_ACCEPT = "reviews.accept_action"


class WorkflowError(ValidationError):
    """The request cannot be carried out as asked; the message says why, for the user."""


class StaleEditError(WorkflowError):
    """Someone else saved the review after the user opened it."""


def require_permission(user: AbstractBaseUser, permission: str, doing: str) -> None:
    if not (user and user.is_active and user.has_perm(permission)):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def required_text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise WorkflowError(f"Give {what}.")
    return value


def display_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def lock_review(review: Review) -> Review:
    """The review's row, locked until the transaction ends (SELECT ... FOR UPDATE)."""
    try:
        return Review.objects.select_for_update().get(pk=review.pk, is_live=False)
    except Review.DoesNotExist as error:
        raise WorkflowError("That review no longer exists.") from error


def audit_entry(
    *,
    action: str,
    user: AbstractBaseUser | None,
    review: Review,
    revision: ReviewRevision | None = None,
    **details,
) -> AuditEntry:
    """An audit entry, not yet saved: for code that writes many at once (bulk_create)."""
    return AuditEntry(
        action=action,
        user=user,
        user_name=display_name(user),
        review=review,
        review_title=review.title,
        revision=revision,
        revision_number=revision.number if revision else None,
        details={key: value for key, value in details.items() if value not in (None, "")},
    )


def audit(
    *,
    action: str,
    user: AbstractBaseUser | None,
    review: Review,
    revision: ReviewRevision | None = None,
    **details,
) -> AuditEntry:
    entry = audit_entry(action=action, user=user, review=review, revision=revision, **details)
    entry.save()
    return entry


def latest_revision(review: Review) -> ReviewRevision | None:
    return ReviewRevision.objects.filter(review=review).order_by("-number").first()
