"""Reads for public pages. Visibility comes only from Review.objects.published()."""

from django.db.models import QuerySet

from learning.models import Theme
from portal.cache import public_cache_generation
from reviews.models import PortalSettings, Review


def review_list_public() -> QuerySet[Review]:
    return Review.objects.published().select_related("board", "review_type")


def review_get_public_document(*, slug: str) -> str | None:
    """The stored whole page of a published review (reviews/pages.py), or None."""
    return (
        Review.objects.published().filter(slug=slug).values_list("page_document", flat=True).first()
    )


def review_get_public_page(*, slug: str) -> Review:
    """The published review with its board and type, in one query; its page body is stored
    (`page_html`, reviews/pages.py). Raises Review.DoesNotExist."""
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


def theme_list_with_counts() -> list[Theme]:
    """Themes with how many published learning points each has, busiest first.

    The counts come from the catalogue (reviews/catalogue.py): counting them in SQL read
    every published learning point's themes, 300 ms at 10,000 reviews, on the home page.
    """
    from reviews.catalogue import catalogue

    counts = catalogue().theme_points
    themes = list(Theme.objects.all())
    for theme in themes:
        theme.learning_point_count = counts.get(theme.slug, 0)
    return sorted(themes, key=lambda theme: (-theme.learning_point_count, theme.name))


# (public content generation, settings): one database read per process per generation.
_portal_settings: tuple[str, PortalSettings] | None = None


def portal_settings_get() -> PortalSettings:
    """The board's texts for every page, read from the database again only after something
    public changed (portal.cache's generation), so not on every request. Saving them through
    `reviews.pages.portal_settings_save` moves the generation on in every worker."""
    global _portal_settings
    generation = public_cache_generation()
    remembered = _portal_settings
    if remembered is not None and remembered[0] == generation:
        return remembered[1]
    portal = PortalSettings.load()
    _portal_settings = (generation, portal)
    return portal


def portal_settings_forget() -> None:
    """Read the settings from the database next time (tests, which roll back their saves)."""
    global _portal_settings
    _portal_settings = None
