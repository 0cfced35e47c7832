"""Emails about the publishing workflow: one message per event, only ever to staff.

Sent by reviews/publishing/services.py once the change is committed, through Django's mail (the
console by default; SMTP when the environment sets EMAIL_HOST, see portal/settings/base.py).
Messages name the review and link to the admin; they never carry case content.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from reviews.models import AuditEntry, Review, ReviewRevision

logger = logging.getLogger(__name__)


def _staff_with_email():
    return get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")


def _publishers(exclude: AbstractBaseUser | None):
    return [
        user
        for user in _staff_with_email()
        if user.has_perm("reviews.publish_review") and (exclude is None or user.pk != exclude.pk)
    ]


def _authors(review: Review, exclude: AbstractBaseUser | None):
    """Who wrote the version in question: whoever saved it last and whoever submitted it."""
    ids = set(
        ReviewRevision.objects.filter(review=review)
        .order_by("-number")
        .values_list("created_by_id", flat=True)[:1]
    )
    ids |= set(
        AuditEntry.objects.filter(review_id=review.pk, action=AuditEntry.Action.SUBMITTED)
        .order_by("-created_at", "-id")
        .values_list("user_id", flat=True)[:1]
    )
    ids.discard(None)
    if exclude is not None:
        ids.discard(exclude.pk)
    return list(_staff_with_email().filter(pk__in=ids))


def _admin_url(review: Review) -> str:
    path = reverse("admin:reviews_review_change", args=[review.pk])
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def _name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "An import from the command line"
    return user.get_full_name() or user.get_username()


def _send(subject: str, body: str, recipients) -> None:
    addresses = sorted({user.email for user in recipients})
    if not addresses:
        return
    # One message per event; recipients are blind-copied so staff addresses are not shared.
    message = EmailMessage(
        subject=subject, body=body, to=[settings.DEFAULT_FROM_EMAIL], bcc=addresses
    )
    try:
        message.send()
    except Exception:
        # The review has changed state already; a mail outage must not hide that.
        logger.exception("Could not send workflow email %r", subject)


def review_submitted(
    *, review: Review, submitted_by: AbstractBaseUser | None, note: str = ""
) -> None:
    body = (
        f"{_name(submitted_by)} has submitted “{review.title}” for sign-off.\n\n"
        + (f"Their note: {note.strip()}\n\n" if note.strip() else "")
        + "Someone other than the person who last edited it must sign it off:\n"
        f"{_admin_url(review)}\n"
    )
    _send(f"Ready for sign-off: {review.title}", body, _publishers(exclude=submitted_by))


def review_rejected(*, review: Review, rejected_by: AbstractBaseUser, reason: str) -> None:
    body = (
        f"{_name(rejected_by)} has sent “{review.title}” back.\n\n"
        f"Reason: {reason}\n\n"
        f"Edit it and submit it again when it is ready:\n{_admin_url(review)}\n"
    )
    _send(f"Sent back: {review.title}", body, _authors(review, exclude=rejected_by))


def review_published(
    *,
    review: Review,
    published_by: AbstractBaseUser,
    revision: ReviewRevision,
    go_live_at: datetime.datetime,
) -> None:
    when = timezone.localtime(go_live_at)
    if go_live_at > timezone.now():
        subject = f"Scheduled: {review.title}"
        what = f"signed off “{review.title}”; it goes public on {when:%-d %B %Y at %H:%M}"
    else:
        subject = f"Published: {review.title}"
        what = f"signed off and published “{review.title}”"
    body = (
        f"{_name(published_by)} has {what} (revision {revision.number}).\n\n{_admin_url(review)}\n"
    )
    _send(subject, body, _authors(review, exclude=published_by))
