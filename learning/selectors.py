"""Reads for theme pages. Visibility comes only from Review.objects.published()."""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from learning.discovery.catalogue import catalogue
from reviews import selectors as review_selectors
from reviews.models import LearningPoint, Review, Theme
from reviews.translations.names import localised_name


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
        .only(
            "title",
            "position",
            "review__title",
            "review__slug",
            "review__working_copy",  # to find its translation (learning_points_in_language)
            "review__board__name",
        )[:limit]
    )


def theme_sheet_version(
    *, theme: Theme, limit: int, language: str = settings.LANGUAGE_CODE
) -> tuple:
    """What identifies a theme sheet's content (for storing its PDF): the theme's own text,
    and the learning points the sheet shows with their reviews' last change times; in
    another language than English, also the published translations in that language of
    those reviews (their live rows' keys and change times: re-publishing one gives a new
    PDF), in one more query."""
    shown = list(
        LearningPoint.objects.published()
        .filter(themes=theme)
        .order_by("-review__published_on", "review__title", "position")
        .values_list("pk", "review_id", "review__updated_at")[:limit]
    )
    total = LearningPoint.objects.published().filter(themes=theme).count()
    version = (theme.slug, theme.name, theme.description, total, *shown)
    if language == settings.LANGUAGE_CODE:
        return version
    version += (
        language,
        localised_name(theme, language=language),
        localised_name(theme, "description", language=language),
    )
    if not shown:
        return version
    reviews = Review.objects.filter(pk__in={review_id for _, review_id, _ in shown})
    translated = (
        Review.objects.published(translations=True)
        .filter(language=language, translation_of__in=reviews.values("working_copy_id"))
        .order_by("pk")
        .values_list("pk", "updated_at")
    )
    return (*version, *translated)


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


def learning_points_in_language(
    *, learning_points: Iterable[LearningPoint], language: str
) -> list[LearningPoint]:
    """Published learning points as a reader of `language` sees them on theme pages, theme
    sheets and session packs, in the same order: where a learning point's review has a
    published translation in `language`, the translation's learning point at the same
    position (its title, body, prompts and facilitator notes; its `.review` the translation,
    whose title the "From <review>" line shows and whose address is the original's under
    /cy/), else the learning point itself, its words in English.

    A translated one keeps what it stands for in `.original` (the original learning point):
    pages post and link by the original's id (the "Add to session pack" button, anchors;
    packs store original ids, and `LearningPoint.objects.published()` leaves translations
    out), use codes name the original's review, and the partial
    templates/learning/_learning_point.html reads `learning_point.original.pk` where it has
    one. Its themes and agencies are the original's, already read (a translation's are
    copies of them), so rendering it reads nothing more.

    No query in English; two in another language (the learning points with their
    translations, and their prompts), however many learning points. Only translations
    `Review.objects.published(translations=True)` gives are read: never a draft, nor a
    translator's unpublished changes.
    """
    learning_points = list(learning_points)
    if language == settings.LANGUAGE_CODE or not learning_points:
        return learning_points
    wanted = {}  # the first of each: the one read with its themes when a list repeats one
    for lp in learning_points:
        wanted.setdefault((lp.review.working_copy_id, lp.position), lp)
    translations = Review.objects.published(translations=True).filter(
        language=language, translation_of__in={working_copy for working_copy, _ in wanted}
    )
    found = (
        LearningPoint.objects.filter(
            review__in=translations, position__in={position for _, position in wanted}
        )
        .select_related("review", "review__board", "review__review_type")
        .prefetch_related("prompts")
    )
    shown = {}
    for translated in found:
        original = wanted.get((translated.review.translation_of_id, translated.position))
        if original is None:
            continue  # a position this list does not show, of a review it shows
        translated.original = original
        # Known here: the translation's get_absolute_url asks no query.
        translated.review.original_slug = original.review.slug
        read = getattr(original, "_prefetched_objects_cache", {})
        translated._prefetched_objects_cache.update(
            {name: read[name] for name in ("themes", "agencies") if name in read}
        )
        shown[original.pk] = translated
    return [shown.get(lp.pk, lp) for lp in learning_points]


def translations_version(learning_points: Iterable[LearningPoint]) -> tuple:
    """What identifies the translations among learning points `learning_points_in_language`
    gave (for storing a PDF that prints them): each translation's live row's primary key and
    last change time, once, which re-publishing it moves. No query."""
    versions = {
        (lp.review_id, lp.review.updated_at) for lp in learning_points if hasattr(lp, "original")
    }
    return tuple(sorted(versions))


def prompts_in_language(*, prompts: list, learning_points: list[LearningPoint]) -> list:
    """Discussion prompts shown apart from their learning points (a theme's overview), in the
    language `learning_points` are shown in: `learning_points` are theirs, one each, as
    `learning_points_in_language` gave them. A translated one's prompt at the same position
    takes its place, its `.learning_point` the translated learning point (whose address is
    the original's, in Welsh). No query: the prompts were read with the learning points."""
    shown = []
    for prompt, learning_point in zip(prompts, learning_points, strict=True):
        translated = None
        if hasattr(learning_point, "original"):  # only these have their prompts read
            translated = {p.position: p for p in learning_point.prompts.all()}.get(prompt.position)
        if translated is None:
            shown.append(prompt)
            continue
        translated.learning_point = learning_point
        shown.append(translated)
    return shown


def learning_point_original_id(*, pk: int) -> int | None:
    """The published learning point that the published translation's learning point `pk`
    translates (the same position in its original), or None if `pk` is no such thing. A
    Welsh review page is stored when its translation is published and names the Welsh
    learning points; packs hold originals, whose live ids change with each publication."""
    translated = (
        LearningPoint.objects.filter(pk=pk, review__in=Review.objects.published(translations=True))
        .values("position", "review__translation_of_id")
        .first()
    )
    if translated is None:
        return None
    return (
        LearningPoint.objects.published()
        .filter(
            review__working_copy_id=translated["review__translation_of_id"],
            position=translated["position"],
        )
        .values_list("pk", flat=True)
        .first()
    )
