"""Reads for public pages. Visibility comes only from Review.objects.published()."""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Min, QuerySet
from django.utils import timezone

from reviews.models import Review


def review_list_public() -> QuerySet[Review]:
    return Review.objects.published().select_related("board", "review_type")


def review_get_public_document(*, slug: str, language: str = "en") -> str | None:
    """The stored whole page of a published review (reviews/publishing/pages.py), or None.

    In another language than English, the stored page of the review's published translation
    in that language; None if it has none (the page is then rendered, content in English).
    """
    if language != "en":
        return (
            _public_translations(slug=slug, language=language)
            .values_list("page_document", flat=True)
            .first()
        )
    return (
        Review.objects.published().filter(slug=slug).values_list("page_document", flat=True).first()
    )


def _public_translations(*, slug: str, language: str) -> QuerySet[Review]:
    """The published `language` translation of the published review at `slug` (0 or 1 row).

    A translation's live copy points at the original's working copy; the original's address
    is its live copy's slug.
    """
    originals = Review.objects.published().filter(slug=slug).values("working_copy_id")
    return Review.objects.published(translations=True).filter(
        language=language, translation_of__in=originals
    )


def review_get_public_translation(*, slug: str, language: str) -> Review | None:
    """The published translation in `language` of the published review at `slug`, with what
    its page needs around its stored body; None if there is none."""
    if language == "en":
        return None
    return (
        _public_translations(slug=slug, language=language)
        .select_related("board", "review_type")
        .first()
    )


def review_get_public_translation_sheet(*, slug: str, language: str) -> Review | None:
    """The published translation in `language` of the published review at `slug`, with
    everything its printed sheets show (learning/sheets.py); None if there is none."""
    if language == "en":
        return None
    return _public_translations(slug=slug, language=language).with_page_relations().first()


def review_translation_version_public(*, slug: str, language: str) -> tuple | None:
    """What identifies the published version of that translation (its live row's primary key
    and last change time, which publishing moves), for caching its printed sheets; None if
    there is none."""
    if language == "en":
        return None
    return (
        _public_translations(slug=slug, language=language).values_list("pk", "updated_at").first()
    )


def review_get_public_page(*, slug: str) -> Review:
    """The published review with its board and type, in one query; its page body is stored
    (`page_html`, reviews/publishing/pages.py). Raises Review.DoesNotExist."""
    return (
        Review.objects.published()
        .select_related("board", "review_type")
        # What the page needs around its stored body; half the columns, half the work of
        # building the query. Anything else is read only when the body is not stored.
        .only(
            "title",
            "slug",
            "language",
            "translation_of",  # get_absolute_url asks whether it is a translation
            "page_html",
            "board__name",
            "board__name_cy",
            "review_type__name",
            "review_type__name_cy",
        )
        .get(slug=slug)
    )


def review_get_public(*, slug: str) -> Review:
    """The published review with everything its page shows; raises Review.DoesNotExist."""
    return Review.objects.published().with_page_relations().get(slug=slug)


def review_translated_slugs(*, language: str) -> set[str]:
    """Addresses (slugs) of the published reviews that have a published translation in
    `language`: the pages with content in that language (for hreflang, sitemaps, notes)."""
    translated = Review.objects.published(translations=True).filter(language=language)
    return set(
        Review.objects.published()
        .filter(working_copy__in=translated.values("translation_of"))
        .values_list("slug", flat=True)
    )


def review_get_public_translation_full(*, pk: int) -> Review:
    """A published translation with everything its page shows (when its page is not stored)."""
    return Review.objects.published(translations=True).with_page_relations().get(pk=pk)


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


def reviews_in_language(*, reviews: Sequence[Review], language: str) -> list[Review]:
    """Published reviews as a reader of `language` sees them in a list (cards, feeds): each
    one's published translation in that language where it has one (its title, plain summary
    and the child's words; its structured values are the original's and its address is the
    original's under /cy/), else the review itself, its words in English. No query in
    English; one in another language, however many reviews."""
    reviews = list(reviews)
    if language == settings.LANGUAGE_CODE or not reviews:
        return reviews
    by_working_copy = {review.working_copy_id: review for review in reviews}
    translations = (
        Review.objects.published(translations=True)
        .filter(language=language, translation_of__in=list(by_working_copy))
        .select_related("board", "review_type")
    )
    shown = {}
    for translated in translations:
        original = by_working_copy[translated.translation_of_id]
        translated.original_slug = original.slug  # known here: get_absolute_url asks no query
        shown[original.pk] = translated
    return [shown.get(review.pk, review) for review in reviews]
