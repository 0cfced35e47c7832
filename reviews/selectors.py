"""Reads for public pages. Visibility comes only from Review.objects.published()."""

import datetime

from django.db.models import Min, QuerySet
from django.utils import timezone

from reviews.models import Review


def review_list_public() -> QuerySet[Review]:
    return Review.objects.published().select_related("board", "review_type")


def review_get_public_document(*, slug: str) -> str | None:
    """The stored whole page of a published review (reviews/publishing/pages.py), or None."""
    return (
        Review.objects.published().filter(slug=slug).values_list("page_document", flat=True).first()
    )


def review_get_public_page(*, slug: str) -> Review:
    """The published review with its board and type, in one query; its page body is stored
    (`page_html`, reviews/publishing/pages.py). Raises Review.DoesNotExist."""
    return (
        Review.objects.published()
        .select_related("board", "review_type")
        # What the page needs around its stored body; half the columns, half the work of
        # building the query. Anything else is read only when the body is not stored.
        .only("title", "slug", "page_html", "board__name", "review_type__name")
        .get(slug=slug)
    )


def review_get_public(*, slug: str) -> Review:
    """The published review with everything its page shows; raises Review.DoesNotExist."""
    return Review.objects.published().with_page_relations().get(slug=slug)


def review_get_gone(*, slug: str) -> Review:
    """A review that was public at this address and was withdrawn or reached its end date.

    Raises Review.DoesNotExist. Its page answers 410 with a short notice, not the review.
    """
    return (
        Review.objects.gone()
        .select_related("board", "review_type")
        .filter(slug=slug)
        .latest("go_live_at")
    )


def review_next_visibility_change(*, now: datetime.datetime) -> datetime.datetime | None:
    """When `Review.objects.published()` will next change on its own, with nothing saved: the
    next scheduled go-live, or the day after the soonest "keep published until" date. The
    public page cache keeps no page past it (settings.PUBLIC_CACHE_NEXT_CHANGE)."""
    moments = []
    next_go_live = (
        Review.objects.filter(is_live=True, go_live_at__gt=now)
        .aggregate(next=Min("go_live_at"))
        .get("next")
    )
    if next_go_live:
        moments.append(next_go_live)
    last_day = (
        Review.objects.published(now=now)
        .filter(keep_published_until__gte=timezone.localdate(now))
        .aggregate(next=Min("keep_published_until"))
        .get("next")
    )
    if last_day:
        next_day = last_day + datetime.timedelta(days=1)
        zone = timezone.get_current_timezone()
        moments.append(datetime.datetime.combine(next_day, datetime.time(), zone))
    return min(moments) if moments else None
