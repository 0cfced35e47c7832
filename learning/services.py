"""Changes to learning content that the public sees: each re-renders and re-indexes the
reviews it shows on, and drops the public page cache (review_public_copies_refresh)."""

from django.db import transaction

from reviews.models import Review, Theme
from reviews.publishing.public_copies import review_public_copies_refresh
from reviews.publishing.services import review_record_edit


@transaction.atomic
def theme_save(*, theme: Theme) -> Theme:
    """Create or change a theme: its name and description appear on public pages."""
    theme.full_clean()
    theme.save()
    # Case summary pages link to their themes by name; search entries hold the name too.
    naming = Review.objects.filter(learning_points__themes=theme)
    review_public_copies_refresh(reviews=naming)
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme) -> None:
    affected = list(
        Review.objects.filter(learning_points__themes=theme).values_list("pk", flat=True)
    )
    theme.delete()
    review_public_copies_refresh(reviews=Review.objects.filter(pk__in=affected))


@transaction.atomic
def learning_points_delete(*, learning_points, user) -> int:
    """Delete learning points from their reviews' working copies, as an edit of each review:
    a new revision and an audit entry per review, never a silent delete. Returns how many."""

    by_review: dict[int, list] = {}
    for learning_point in learning_points:
        by_review.setdefault(learning_point.review_id, []).append(learning_point)
    for points in by_review.values():
        review = points[0].review
        for learning_point in points:
            learning_point.delete()
        titles = ", ".join(f"“{point.title}”" for point in points)
        review_record_edit(
            review=review,
            edited_by=user,
            expected_version=None,
            change_note=f"Deleted learning point{'s' if len(points) > 1 else ''} {titles}",
        )
    return sum(len(points) for points in by_review.values())
