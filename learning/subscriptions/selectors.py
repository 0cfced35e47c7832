"""What a digest may announce to one subscription, read from what is public right now.

Only `Review.objects.published()` at the moment of asking: a withdrawn review, one whose
go-live time has not come, or one past its "keep published until" date is never announced.
A review's version is the moment its live copy last went public or was last updated
(`version_at`); a version is announced to a subscription once (DigestDelivery).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from learning.subscriptions.models import DigestDelivery, Subscription
from reviews.models import Review, Theme
from reviews.selectors import reviews_in_language
from reviews.translations.names import current_language, localised_name

# How far before the previous look a digest looks again. A publication is stamped when its
# transaction starts and seen when it commits; a digest that looked in between must not
# have moved its window past it. Deliveries keep the overlap from repeating anything.
DIGEST_OVERLAP = datetime.timedelta(days=1)

# A subscription is due when its last look is at least this old (a little less than a day
# or a week, so a scheduler starting a few seconds early does not skip a day).
DUE_AFTER = {
    Subscription.Frequency.DAILY: datetime.timedelta(hours=20),
    Subscription.Frequency.WEEKLY: datetime.timedelta(days=6, hours=12),
}


@dataclass(frozen=True)
class DigestEntry:
    review: Review  # the live copy shown: in Welsh, its published translation where it has one
    working_copy_id: int
    version_at: datetime.datetime
    is_update: bool
    url: str
    themes: tuple[str, ...]


def subscriptions_due(*, now: datetime.datetime, frequency: str | None = None) -> list[int]:
    """Ids of confirmed subscriptions whose digest is due, oldest look first."""
    condition = Q()
    for choice, period in DUE_AFTER.items():
        if frequency in (None, choice):
            condition |= Q(frequency=choice) & (
                Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=now - period)
            )
    if not condition:
        return []
    return list(
        Subscription.objects.filter(condition, confirmed_at__isnull=False)
        .order_by("last_checked_at", "pk")
        .values_list("pk", flat=True)
    )


def subscription_is_due(*, subscription: Subscription, now: datetime.datetime) -> bool:
    if subscription.confirmed_at is None:
        return False
    last = subscription.last_checked_at
    return last is None or last <= now - DUE_AFTER[subscription.frequency]


def digest_window_start(subscription: Subscription) -> datetime.datetime:
    """Versions stamped after this moment are news to the subscription: nothing from before
    it confirmed, and a day's overlap with its previous look."""
    start = subscription.confirmed_at
    if subscription.last_checked_at is not None:
        start = max(start, subscription.last_checked_at - DIGEST_OVERLAP)
    return start


def digest_entries(
    *, subscription: Subscription, now: datetime.datetime | None = None
) -> list[DigestEntry]:
    """The reviews to announce to `subscription` now, newest first: public now, new or
    updated since its window start, matching its choices, and not yet announced in this
    version."""
    now = now or timezone.now()
    reviews = Review.objects.published(now=now).annotate(
        version_at=Greatest("go_live_at", Coalesce("last_updated_at", "go_live_at"))
    )
    reviews = reviews.filter(version_at__gte=digest_window_start(subscription))
    if not subscription.everything:
        chosen = Q(pk__in=[])
        theme_ids = list(subscription.themes.values_list("pk", flat=True))
        agency_ids = list(subscription.agencies.values_list("pk", flat=True))
        if theme_ids:
            chosen |= Q(
                pk__in=Review.objects.filter(learning_points__themes__in=theme_ids).values("pk")
            )
        if agency_ids:
            chosen |= Q(pk__in=Review.objects.filter(agencies__in=agency_ids).values("pk"))
        reviews = reviews.filter(chosen)
    delivered = DigestDelivery.objects.filter(
        subscription=subscription,
        review_id=OuterRef("working_copy_id"),
        version_at=OuterRef("version_at"),
    )
    reviews = (
        reviews.filter(~Exists(delivered))
        .select_related("board", "review_type")
        .order_by("-version_at", "title")
    )
    reviews = list(reviews)
    themes = _themes_by_review([review.pk for review in reviews])
    # What the subscriber reads: in Welsh, a translated review's Welsh title and address.
    shown = reviews_in_language(reviews=reviews, language=current_language())
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return [
        DigestEntry(
            review=display,
            working_copy_id=review.working_copy_id,
            version_at=review.version_at,
            is_update=review.last_updated_at is not None
            and review.last_updated_at >= review.go_live_at,
            url=f"{base}{display.get_absolute_url()}",
            themes=themes.get(review.pk, ()),
        )
        for review, display in zip(reviews, shown, strict=True)
    ]


def _themes_by_review(review_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Each review's theme names in the active language (the subscriber's: Welsh names
    where the board keeps them), in alphabetical order."""
    names: dict[int, set[str]] = {}
    themes = (
        Theme.objects.filter(learning_points__review__in=review_ids)
        .annotate(review_id=F("learning_points__review_id"))
        .only("name", "name_cy")
    )
    for theme in themes:
        names.setdefault(theme.review_id, set()).add(localised_name(theme))
    return {review_id: tuple(sorted(values)) for review_id, values in names.items()}
