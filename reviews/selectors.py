"""Reads for public pages. Visibility comes only from Review.objects.published()."""

from django.db.models import Count, Q, QuerySet

from learning.models import Theme

from .models import Review


def review_list_public() -> QuerySet[Review]:
    return Review.objects.published().select_related("board", "review_type")


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


def theme_list_with_counts() -> QuerySet[Theme]:
    """Themes with how many published learning points each has, busiest first."""
    published = Review.objects.published()
    return Theme.objects.annotate(
        learning_point_count=Count(
            "learning_points",
            filter=Q(learning_points__review__in=published),
            distinct=True,
        )
    ).order_by("-learning_point_count", "name")
