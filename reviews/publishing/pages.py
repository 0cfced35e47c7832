"""Case summary pages rendered once, when they are published, and the changes that re-render them.

Published content changes only when something is published, so the work of a case summary
page (a dozen prefetch queries and the biggest template of the site) is done at publish
time: `review_page_store` renders `templates/reviews/_review_body.html` (the same fragment
the page and staff previews render live) into the live copy's `page_html`. The public page
then fetches the live copy with one query and wraps the stored HTML in `base.html`; a live
copy without stored HTML (made before this existed) is rendered live, as before.

The fragment shows more than the review's own rows: the names of its board, agencies and
themes, its review type's texts and the portal's team-meetings text. The services below are
how the admin changes those, so that every stored page showing them is rendered again and
the public page cache is dropped, in the same transaction as the change.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string

from portal.cache import public_cache_invalidate
from portal.models import PortalSettings
from reviews.models import Agency, Board, Review, ReviewType
from reviews.timeline import build_timeline

TEMPLATE = "reviews/_review_body.html"


def review_page_render(*, review: Review, portal: PortalSettings | None = None) -> str:
    """The body of `review`'s public page. Give it a review fetched `with_page_relations()`."""

    context = {
        "review": review,
        "timeline": build_timeline(review),
        "portal": portal or PortalSettings.load(),
    }
    return render_to_string(TEMPLATE, context)


def review_page_document(*, review: Review, page_html: str, portal: PortalSettings) -> str:
    """The whole public page around a stored body, as a visitor without a session sees it.

    Rendered without a request: nothing on it depends on the visitor, and its og:url is the
    canonical address under PORTAL_BASE_URL.
    """
    context = {
        "review": review,
        "object": review,
        "page_html": page_html,
        "portal": portal,
        "canonical_url": settings.PORTAL_BASE_URL.rstrip("/") + review.get_absolute_url(),
    }
    return render_to_string("reviews/review_detail.html", context)


def _store(review: Review, portal: PortalSettings) -> None:
    review.page_html = review_page_render(review=review, portal=portal)
    review.page_document = review_page_document(
        review=review, page_html=review.page_html, portal=portal
    )
    Review.objects.filter(pk=review.pk).update(
        page_html=review.page_html, page_document=review.page_document
    )


def review_page_store(*, review: Review) -> None:
    """Render a live copy's page and keep it on the row. Publishing calls this."""
    full = Review.objects.with_page_relations().get(pk=review.pk)
    _store(full, PortalSettings.load())
    review.page_html, review.page_document = full.page_html, full.page_document


def review_pages_rerender(*, reviews: QuerySet[Review] | None = None) -> int:
    """Render the stored pages of published live copies again (all, or those among `reviews`).

    Returns how many. Run it after anything the pages show outside the reviews themselves
    has changed; `manage.py review_pages_render` runs it for all of them.
    """
    live = Review.objects.filter(is_live=True, status=Review.Status.PUBLISHED)
    if reviews is not None:
        live = live.filter(pk__in=reviews.values("pk"))
    portal = None
    count = 0
    for review in live.with_page_relations().order_by("pk").iterator(chunk_size=50):
        portal = portal or PortalSettings.load()
        _store(review, portal)
        count += 1
    return count


def search_index_again(*, reviews: QuerySet[Review]) -> None:
    """Search entries copy the names of boards, review types, agencies and themes into their
    text: index the published live copies among `reviews` again, so a renamed one is found
    by its new name at once."""
    from learning.discovery.index import search_index_rebuild  # learning depends on reviews

    live = Review.objects.filter(is_live=True, status=Review.Status.PUBLISHED)
    search_index_rebuild(reviews=live.filter(pk__in=reviews.values("pk")))


# Changes to what stored pages and search entries show --------------------------------------


@transaction.atomic
def portal_settings_save(*, portal: PortalSettings) -> PortalSettings:
    """Save the board's texts. Every page shows some of them (the stored case summary pages
    too: header, footer, the team-meetings text), so the page cache is dropped and the stored
    pages are rendered again."""
    portal.save()
    public_cache_invalidate()
    review_pages_rerender()
    return portal


@transaction.atomic
def review_type_save(*, review_type: ReviewType) -> ReviewType:
    review_type.save()
    public_cache_invalidate()
    review_pages_rerender(reviews=Review.objects.filter(review_type=review_type))
    search_index_again(reviews=Review.objects.filter(review_type=review_type))
    return review_type


@transaction.atomic
def board_save(*, board: Board) -> Board:
    board.save()
    public_cache_invalidate()
    review_pages_rerender(reviews=Review.objects.filter(board=board))
    search_index_again(reviews=Review.objects.filter(board=board))
    return board


def _reviews_naming(agency: Agency) -> QuerySet[Review]:
    return Review.objects.filter(
        Q(agencies=agency)
        | Q(chronology_events__agencies=agency)
        | Q(recommendations__agencies=agency)
        | Q(learning_points__agencies=agency)
    )


@transaction.atomic
def agency_save(*, agency: Agency) -> Agency:
    agency.save()
    public_cache_invalidate()
    if agency.pk:
        review_pages_rerender(reviews=_reviews_naming(agency))
        search_index_again(reviews=_reviews_naming(agency))
    return agency


@transaction.atomic
def agency_delete(*, agency: Agency) -> None:
    affected = list(_reviews_naming(agency).values_list("pk", flat=True).distinct())
    agency.delete()
    public_cache_invalidate()
    review_pages_rerender(reviews=Review.objects.filter(pk__in=affected))
    search_index_again(reviews=Review.objects.filter(pk__in=affected))
