"""People in each role and reviews at each step of the publishing workflow, for its tests."""

import datetime

from django.utils import timezone

from reviews.models import Review
from reviews.publishing import services
from tests.factories import StaffUserFactory, SuperuserFactory, build_review


def user_in(role: str | None, username: str, **fields):
    """A staff member in the Editor or Publisher group (the migration creates both); the
    `editor` and `publisher` fixtures (tests/conftest.py) are the usual two."""
    return StaffUserFactory(username=username, roles=[role] if role else [], **fields)


def superuser(username: str = "admin"):
    return SuperuserFactory(username=username)


def draft(*, by, **fields) -> Review:
    """A saved draft with child rows and a first revision saved by `by`."""
    review = build_review(draft=True, **fields)
    services.review_record_edit(
        review=review, edited_by=by, expected_version=None, change_note="First draft"
    )
    review.refresh_from_db()
    return review


def ready(*, by, **fields) -> Review:
    review = draft(by=by, **fields)
    return services.review_submit(review=review, user=by)


def published(*, by, publisher, **fields) -> Review:
    review = ready(by=by, **fields)
    return services.review_publish(review=review, user=publisher)


def live_copy(review: Review) -> Review:
    return Review.objects.get(working_copy=review, is_live=True)


def edit(review: Review, *, by, **changes) -> Review:
    """Change fields of the working copy as the admin does: save, then record the edit."""
    review.refresh_from_db()
    for name, value in changes.items():
        setattr(review, name, value)
    review.save()
    services.review_record_edit(review=review, edited_by=by, expected_version=review.version)
    review.refresh_from_db()
    return review


def in_minutes(minutes: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)
