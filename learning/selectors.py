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
