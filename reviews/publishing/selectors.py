"""Reads for the publishing workflow's admin pages (the writes are in services.py)."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from reviews.calendar.deadlines import earliest_publication
from reviews.calendar.working_days import add_months, long_date
from reviews.glossary.selectors import unknown_acronyms
from reviews.models import PreviewLink, Review, ReviewRevision
from reviews.publishing import services
from reviews.publishing.diff import Change, diff_snapshots
from reviews.publishing.revisions import serialize_review


def live_copy_of(review: Review) -> Review | None:
    return Review.objects.filter(working_copy=review, is_live=True).first()


def publication_date(review: Review) -> datetime.date | None:
    """When the review was or will be published: its date, else its live copy's go-live."""
    if review.published_on:
        return review.published_on
    live = live_copy_of(review)
    if live and live.go_live_at:
        return timezone.localdate(live.go_live_at)
    return None


def plain_words_warnings(*, review: Review) -> list[str]:
    """What a reader may miss (docs/plain-words.md): no plain summary, and acronyms the
    glossary does not explain. Warnings, never a block."""
    warnings = []
    if not review.plain_summary.strip():
        warnings.append(
            "This review has no plain summary. Add one of at most 60 words in everyday "
            "language: it is shown first on the review page, in search results and on sheets."
        )
    unknown = unknown_acronyms(review=review)
    if unknown:
        warnings.append(
            f"The glossary does not explain {', '.join(unknown)}. Add "
            f"{'it' if len(unknown) == 1 else 'them'} to the glossary (Glossary terms in the "
            "admin), or spell it out, so readers outside your service understand."
        )
    return warnings


def publication_warnings(*, review: Review) -> list[str]:
    """What the board's statutory timescales ask that this review's dates do not meet
    (docs/statutory-deadlines.md; working days of the review's nation and board), then what
    stands between the review and its readers (plain_words_warnings)."""
    warnings = []
    published = publication_date(review)
    board = review.board
    earliest = earliest_publication(review)
    if earliest:
        wait = f"{board.publication_wait_working_days} working days"
        sent = long_date(review.sent_to_panel_on)
        if published and published < earliest:
            warnings.append(
                f"Publication ({long_date(published)}) is less than {wait} after the report "
                f"was sent to the Panel and the Secretary of State ({sent}); the earliest is "
                f"{long_date(earliest)}."
            )
        elif not published and timezone.localdate() < earliest:
            warnings.append(
                f"Publish no earlier than {long_date(earliest)}: {wait} after the report was "
                f"sent to the Panel and the Secretary of State ({sent})."
            )
    if review.keep_published_until:
        start = published or timezone.localdate()
        months = board.keep_published_months
        minimum = add_months(start, months)
        if review.keep_published_until < minimum:
            warnings.append(
                f"“Keep published until” ({long_date(review.keep_published_until)}) is less "
                f"than {months} months after publication; reviews should stay published "
                f"until at least {long_date(minimum)}."
            )
    return warnings + plain_words_warnings(review=review)


def revision_list(*, review: Review) -> QuerySet[ReviewRevision]:
    return ReviewRevision.objects.filter(review=review).order_by("-number").defer("snapshot")


def revision_diff(*, old: ReviewRevision, new: ReviewRevision) -> list[Change]:
    return diff_snapshots(old.snapshot, new.snapshot)


def preview_links(*, review: Review) -> list[dict]:
    now = timezone.now()
    return [
        {
            "link": link,
            "url": reverse("reviews:preview_link", args=[services.preview_link_token(link)]),
            "active": link.revoked_at is None and link.expires_at > now,
        }
        for link in PreviewLink.objects.filter(review=review).select_related("revision")
    ]


def review_workflow(*, review: Review, user: AbstractBaseUser) -> dict:
    """Everything the admin's publishing panel shows and offers this user for this review."""
    now = timezone.now()
    today = timezone.localdate(now)
    earliest = earliest_publication(review)
    live = live_copy_of(review)
    latest = ReviewRevision.objects.filter(review=review).order_by("-number").first()
    is_public = live is not None and Review.objects.published(now=now).filter(pk=live.pk).exists()
    scheduled_for = (
        live.go_live_at
        if live and live.status == Review.Status.PUBLISHED and live.go_live_at > now
        else None
    )
    is_withdrawn = bool(live and live.status == Review.Status.WITHDRAWN)
    can_submit = user.has_perm(services.PERMISSION_SUBMIT)
    can_publish = user.has_perm(services.PERMISSION_PUBLISH)
    status = review.status
    unsaved_changes = bool(latest and latest.snapshot != serialize_review(review))
    return {
        "review": review,
        "live": live,
        "is_public": is_public,
        "scheduled_for": scheduled_for,
        "is_withdrawn": is_withdrawn,
        "latest_revision": latest,
        "unrecorded_changes": unsaved_changes,
        "four_eyes_blocked": bool(latest and latest.created_by_id == user.pk),
        "can_submit": can_submit
        and status in (Review.Status.DRAFT, Review.Status.CHANGED, Review.Status.WITHDRAWN),
        "can_publish": can_publish and status == Review.Status.READY,
        "can_reject": can_publish and status == Review.Status.READY,
        "can_withdraw": can_publish and is_public,
        "can_cancel_schedule": can_publish and scheduled_for is not None,
        "can_manage_links": can_publish,
        "preview_links": preview_links(review=review) if can_publish else [],
        "warnings": publication_warnings(review=review),
        # Only a first publication waits for it (review_publish).
        "earliest_publication": earliest
        if earliest and earliest > today and not is_public and not is_withdrawn
        else None,
        "default_go_live": (timezone.localtime(now) + datetime.timedelta(days=1))
        .replace(hour=9, minute=0)
        .strftime("%Y-%m-%dT%H:%M"),
    }
