"""Reads for theme pages. Visibility comes only from Review.objects.published()."""

from django.db.models import Prefetch, QuerySet

from learning.discovery.catalogue import catalogue
from reviews import selectors as review_selectors
from reviews.models import LearningPoint, Review, Theme


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


def theme_sheet_learning_points(*, theme: Theme, limit: int) -> tuple[list[LearningPoint], int]:
    """The newest `limit` published learning points of a theme, and how many there are in
    all: the sheet's cost stays the same however large the theme grows."""
    chosen = list(learning_points_for_theme(theme=theme)[:limit])
    if len(chosen) < limit:
        return chosen, len(chosen)
    return chosen, LearningPoint.objects.published().filter(themes=theme).count()


def review_version_public(*, slug: str) -> tuple | None:
    """What identifies the published version of a review (for caching its printed sheets).

    Publishing replaces or re-saves the live row, so its primary key and last change time
    move whenever what the public sees does. None if the review is not public.
    """
    return Review.objects.published().filter(slug=slug).values_list("pk", "updated_at").first()


def review_sheet_get_public(*, slug: str, language: str) -> Review:
    """The review a printed sheet shows, with everything the sheet prints.

    In a language other than English, the published translation in that language of the
    published review at `slug` when it has one; otherwise the published review itself (its
    content then in English; the sheet says so). Raises Review.DoesNotExist.
    """
    translated = review_selectors.review_get_public_translation_sheet(slug=slug, language=language)
    if translated is not None:
        return translated
    return review_selectors.review_get_public(slug=slug)


def review_sheet_version_public(*, slug: str, language: str) -> tuple | None:
    """What identifies the content of a review's sheet in `language` (for storing its PDF):
    the review's published version and, when the sheet prints its published translation, the
    translation's (re-publishing the translation gives a new PDF). None if not public."""
    version = review_version_public(slug=slug)
    if version is None:
        return None
    translated = review_selectors.review_translation_version_public(slug=slug, language=language)
    if translated is None:
        return version
    return (*version, language, *translated)


def theme_sheet_printed_prompts(*, theme: Theme, limit: int) -> list[LearningPoint]:
    """The theme sheet's learning points with just what its use code records (titles,
    reviews, prompts): the PDF's key needs the code before anything is rendered."""
    return list(
        learning_points_for_theme(theme=theme)
        .prefetch_related(None)
        .prefetch_related("prompts")
        .only("title", "position", "review__title", "review__slug", "review__board__name")[:limit]
    )


def theme_sheet_version(*, theme: Theme, limit: int) -> tuple:
    """What identifies a theme sheet's content (for storing its PDF): the theme's own text,
    and the learning points the sheet shows with their reviews' last change times."""
    shown = (
        LearningPoint.objects.published()
        .filter(themes=theme)
        .order_by("-review__published_on", "review__title", "position")
        .values_list("pk", "review_id", "review__updated_at")[:limit]
    )
    total = LearningPoint.objects.published().filter(themes=theme).count()
    return (theme.slug, theme.name, theme.description, total, *shown)


def theme_list_with_counts() -> list[Theme]:
    """Themes with how many published learning points each has, busiest first.

    The counts come from the catalogue (learning/discovery/catalogue.py): counting them in SQL read
    every published learning point's themes, 300 ms at 10,000 reviews, on the home page.
    """
    counts = catalogue().theme_points
    themes = list(Theme.objects.all())
    for theme in themes:
        theme.learning_point_count = counts.get(theme.slug, 0)
    return sorted(themes, key=lambda theme: (-theme.learning_point_count, theme.name))
