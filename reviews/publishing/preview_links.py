"""Preview links: signed, expiring, revocable addresses at which board members without an
account can read one version of a review (the view is preview.py). Import the changes from
services.py, the workflow's one public module.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.utils import timezone

from reviews.models import AuditEntry, PreviewLink, Review
from reviews.records import (
    PERMISSION_PUBLISH,
    WorkflowError,
    audit,
    latest_revision,
    lock_review,
    require_permission,
)

PREVIEW_LINK_SALT = "reviews.preview-link"
PREVIEW_LINK_DEFAULT_DAYS = 7
PREVIEW_LINK_MAX_DAYS = 30

Action = AuditEntry.Action


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
    require_permission(user, PERMISSION_PUBLISH, "create preview links")
    if not isinstance(days, int) or not 1 <= days <= PREVIEW_LINK_MAX_DAYS:
        raise WorkflowError(f"A preview link lasts between 1 and {PREVIEW_LINK_MAX_DAYS} days.")
    locked = lock_review(review)
    revision = latest_revision(locked)
    if revision is None:
        raise WorkflowError("Save the review before creating a preview link.")
    link = PreviewLink.objects.create(
        review=locked,
        revision=revision,
        created_by=user,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        note=note.strip()[:200],
    )
    audit(
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
    require_permission(user, PERMISSION_PUBLISH, "revoke preview links")
    link = PreviewLink.objects.select_for_update().select_related("review").get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit(
            action=Action.PREVIEW_LINK_REVOKED,
            user=user,
            review=link.review,
            revision=link.revision,
            link=str(link.pk),
        )
    return link
