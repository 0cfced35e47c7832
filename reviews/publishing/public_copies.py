"""The public copies of a review, and the one function that brings them up to date.

What the public sees of a review is copied in three places: the stored case summary page
on its live copy (reviews/publishing/pages.py), the search index (learning/discovery/,
which depends on reviews, not the other way round) and the public page cache
(portal/cache.py). Every change to what the public sees, whether a publication, a
withdrawal, an import or a rename of a board, agency, review type or theme that pages and
search entries show by name, ends in `review_public_copies_refresh`, so no copy is ever
forgotten by one path and remembered by another.

The search index registers itself here when Django starts (learning's AppConfig.ready):
the review record does not import the apps built on it.
"""

from collections.abc import Iterable
from typing import Protocol

from django.db.models import QuerySet

from portal.cache import public_cache_invalidate
from reviews.models import Review
from reviews.publishing.pages import review_pages_rerender


class ReviewIndex(Protocol):
    """A copy of published reviews kept elsewhere (search), told about every change."""

    def index(self, *, reviews: QuerySet[Review]) -> None:
        """Copy these published live copies again, replacing what was copied before."""

    def remove(self, *, review_ids: Iterable[int]) -> None:
        """Forget these live copies (withdrawn, expired, or about to be replaced or deleted)."""


_indexes: list[ReviewIndex] = []


def review_index_register(index: ReviewIndex) -> None:
    """Keep `index` up to date with published reviews from now on (call it from ready())."""
    if index not in _indexes:
        _indexes.append(index)


def review_public_copies_refresh(
    *, reviews: QuerySet[Review] | None = None, search: bool = True
) -> int:
    """Render the stored pages and re-index the live copies among `reviews` (all if None), and
    drop the public page cache. Live copies that are no longer published leave the index.

    Call it in the transaction of the change: the cache is dropped again when it commits.
    `search=False` when nothing search shows has changed (the board's site texts). Returns
    how many pages were rendered.
    """
    public_cache_invalidate()
    live = Review.objects.filter(is_live=True)
    if reviews is not None:
        live = live.filter(pk__in=reviews.values("pk"))
    published = live.filter(status=Review.Status.PUBLISHED)
    count = review_pages_rerender(reviews=published)
    if search:
        not_public = list(live.exclude(status=Review.Status.PUBLISHED).values_list("pk", flat=True))
        for index in _indexes:
            if not_public:
                index.remove(review_ids=not_public)
            index.index(reviews=published)
    return count


def review_public_copies_forget(*, review_ids: Iterable[int]) -> None:
    """Take live copies out of every index before they are deleted or their content is
    replaced (an index may keep more than the rows that cascade with the review)."""
    review_ids = list(review_ids)
    public_cache_invalidate()
    if review_ids:
        for index in _indexes:
            index.remove(review_ids=review_ids)
