"""Reads for theme pages. Visibility comes only from Review.objects.published()."""

from django.db.models import Prefetch, QuerySet

from .models import LearningPoint, Theme


def theme_get(*, slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def learning_points_for_theme(*, theme: Theme) -> QuerySet[LearningPoint]:
    """Every published learning point in a theme, newest review first, ready to render."""
    return (
        LearningPoint.objects.published()
        .filter(themes=theme)
        .select_related("review", "review__board")
        .prefetch_related("themes", "agencies", Prefetch("prompts"))
        .order_by("-review__published_on", "review__title", "position")
    )


def review_version_public(*, slug: str) -> tuple | None:
    """What identifies the published version of a review (for caching its printed sheets).

    Publishing replaces or re-saves the live row, so its primary key and last change time
    move whenever what the public sees does. None if the review is not public.
    """
    from reviews.models import Review

    return Review.objects.published().filter(slug=slug).values_list("pk", "updated_at").first()


def theme_versions(*, theme: Theme) -> list[tuple]:
    """The published learning points of a theme and their reviews' versions, for caching."""
    return list(
        LearningPoint.objects.published()
        .filter(themes=theme)
        .order_by("pk")
        .values_list("pk", "review_id", "review__updated_at")
    )
