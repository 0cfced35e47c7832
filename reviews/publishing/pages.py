"""Case summary pages rendered once, when they are published, and the changes that re-render them.

Published content changes only when something is published, so the work of a case summary
page (a dozen prefetch queries and the biggest template of the site) is done at publish
time: `review_page_store` renders `templates/reviews/_review_body.html` (the same fragment
the page and staff previews render live) into the live copy's `page_html`. The public page
then fetches the live copy with one query and wraps the stored HTML in `base.html`; a live
copy without stored HTML (made before this existed) is rendered live, as before.

The fragment shows more than the review's own rows: the names of its board, agencies and
themes, its review type's texts and the portal's team-meetings text. Changing those goes
through reviews/publishing/renames.py, which renders every stored page showing them again.

Apps built on reviews may add to what the page shows by registering a function of the live
copy that returns extra template context (`review_page_context_register`, from their
AppConfig.ready()): learning adds how many teams have discussed the review. Such an app
renders the page again (`review_public_copies_refresh`) when what it adds changes.

The first use of each glossary term on the page is marked with its meaning
(reviews/glossary/marking.py); glossary changes render the pages using the term again
(reviews/glossary/services.py).

Languages (docs/welsh.md): both functions render in the language they are given (English
by default; a Welsh translation's live copy stores its page in Welsh). `content_language` is
the language of the review's own words; when it differs from the page's, the page says so
and marks that text with its `lang`. Under /cy/ the view (reviews/views.py) puts the stored
Welsh fragment, or the English review rendered live, inside the Welsh page.
"""

from collections.abc import Callable

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation

from portal.models import PortalSettings
from reviews.glossary.marking import glossary_mark
from reviews.glossary.matching import Glossary
from reviews.glossary.selectors import glossary_read
from reviews.models import Review
from reviews.timeline import build_timeline

TEMPLATE = "reviews/_review_body.html"

_page_contexts: list[Callable[[Review], dict]] = []


def review_page_context_register(provider: Callable[[Review], dict]) -> None:
    """Add `provider(live_copy)`'s context to every stored page rendered from now on."""
    if provider not in _page_contexts:
        _page_contexts.append(provider)


def review_page_render(
    *,
    review: Review,
    portal: PortalSettings | None = None,
    glossary: Glossary | None = None,
    language: str = settings.LANGUAGE_CODE,
    content_language: str = "en",
) -> str:
    """The body of `review`'s public page in `language` ("en" or "cy"), its own words being
    in `content_language`, glossary terms marked. Give it a review fetched
    `with_page_relations()`."""

    context = {
        "review": review,
        "timeline": build_timeline(review),
        "portal": portal or PortalSettings.load(),
        "content_language": content_language,
    }
    for provider in _page_contexts:
        context.update(provider(review))
    with translation.override(language):
        # Marked in the page's language: a term's Welsh meaning on a Welsh page.
        page, _used = glossary_mark(
            render_to_string(TEMPLATE, context), glossary or glossary_read()
        )
    return page


def review_page_document(
    *,
    review: Review,
    page_html: str,
    portal: PortalSettings,
    language: str = settings.LANGUAGE_CODE,
) -> str:
    """The whole public page around a stored body, as a visitor without a session sees it,
    in `language` (its address, language switch and hreflang alternates included).

    Rendered without a request: nothing on it depends on the visitor, and its og:url is the
    canonical address under PORTAL_BASE_URL.
    """
    with translation.override(language):
        path = review.get_absolute_url()
        context = {
            "review": review,
            "object": review,
            "page_html": page_html,
            "portal": portal,
            "page_path": path,
            "canonical_url": settings.PORTAL_BASE_URL.rstrip("/") + path,
        }
        return render_to_string("reviews/review_detail.html", context)


def _store(review: Review, portal: PortalSettings, glossary: Glossary) -> None:
    # A translation's page is stored in its own language (its Welsh names and the Welsh
    # interface); English pages render as they always have.
    language = review.language or settings.LANGUAGE_CODE
    review.page_html = review_page_render(
        review=review,
        portal=portal,
        glossary=glossary,
        language=language,
        content_language=language,
    )
    review.page_document = review_page_document(
        review=review, page_html=review.page_html, portal=portal, language=language
    )
    Review.objects.filter(pk=review.pk).update(
        page_html=review.page_html, page_document=review.page_document
    )


def review_page_store(*, review: Review) -> None:
    """Render a live copy's page and keep it on the row. Publishing calls this."""
    full = Review.objects.with_page_relations().get(pk=review.pk)
    _store(full, PortalSettings.load(), glossary_read())
    review.page_html, review.page_document = full.page_html, full.page_document


def review_pages_rerender(*, reviews: QuerySet[Review] | None = None) -> int:
    """Render the stored pages of published live copies again (all, or those among `reviews`).

    Returns how many. Changes call it through `review_public_copies_refresh`
    (reviews/publishing/public_copies.py), which also re-indexes and drops the page cache.
    """
    live = Review.objects.filter(is_live=True, status=Review.Status.PUBLISHED)
    if reviews is not None:
        live = live.filter(pk__in=reviews.values("pk"))
    portal = glossary = None
    count = 0
    for review in live.with_page_relations().order_by("pk").iterator(chunk_size=50):
        portal = portal or PortalSettings.load()
        glossary = glossary or glossary_read()
        _store(review, portal, glossary)
        count += 1
    return count
