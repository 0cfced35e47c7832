"""Previews: any version of a review on the real public template, never cached or indexed.

A version is a snapshot (reviews/publishing/revisions.py). To show it exactly as the public page
would, with the same template, queries and Markdown, it is restored into a throwaway
review row inside a transaction that is rolled back once the page is rendered: nothing is
kept and no other connection ever sees the row.
"""

import uuid

from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reviews.models import PreviewLink, Review, ReviewRevision
from reviews.publishing.pages import review_page_render
from reviews.publishing.preview_links import PREVIEW_LINK_SALT
from reviews.publishing.revisions import (
    restore_review,
    serialize_review,
    snapshot_missing_references,
)
from reviews.timeline import build_timeline


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # A preview link's secret must not leak to the sites a preview links to.
    response["Referrer-Policy"] = "no-referrer"
    return response


def render_snapshot(request: HttpRequest, *, snapshot: dict, label: str) -> str:

    if missing := snapshot_missing_references(snapshot):
        # The version names records deleted since: say so rather than fail to restore it.
        return render_to_string(
            "reviews/review_preview_missing.html",
            {"missing": missing, "preview_label": label},
            request=request,
        )
    slug = snapshot["review"]["slug"]
    throwaway = {**snapshot, "review": {**snapshot["review"], "slug": f"preview-{uuid.uuid4()}"}}
    with transaction.atomic():
        temporary = restore_review(snapshot=throwaway, into=Review(), public=True)
        review = Review.objects.with_page_relations().get(pk=temporary.pk)
        review.slug = slug
        html = render_to_string(
            "reviews/review_preview.html",
            {
                "review": review,
                "timeline": build_timeline(review),
                "preview_label": label,
                # The body as publishing would store it: glossary terms marked.
                "page_html": review_page_render(review=review),
            },
            request=request,
        )
        transaction.set_rollback(True)
    return html


def preview_response(
    request: HttpRequest, *, review: Review, revision: ReviewRevision | None, label: str
) -> HttpResponse:
    """Staff preview of the working copy as it is now, or of one revision."""
    snapshot = revision.snapshot if revision else serialize_review(review)
    return _private(HttpResponse(render_snapshot(request, snapshot=snapshot, label=label)))


def preview_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """A board member's preview, through a signed, expiring and revocable link."""
    try:
        link_id = signing.Signer(salt=PREVIEW_LINK_SALT).unsign(token)
        link = PreviewLink.objects.select_related("revision", "review").get(pk=uuid.UUID(link_id))
    except (signing.BadSignature, ValueError, PreviewLink.DoesNotExist):
        raise Http404("This preview link is not valid.") from None
    if link.review.status == Review.Status.WITHDRAWN:
        # A withdrawn review cannot be published from this version any more: its links
        # die with it, answering exactly as a link that never existed (a deleted review's
        # links are deleted with it).
        raise Http404("This preview link is not valid.")
    if link.revoked_at is not None or link.expires_at <= timezone.now():
        response = HttpResponse(
            _("This preview link has expired or been revoked. Ask the board for a new one."),
            status=410,
            content_type="text/plain; charset=utf-8",
        )
        return _private(response)
    until = date_format(timezone.localtime(link.expires_at), "j F Y H:i")
    label = _("Revision %(number)d, shared until %(until)s") % {
        "number": link.revision.number,
        "until": until,
    }
    html = render_snapshot(request, snapshot=link.revision.snapshot, label=label)
    return _private(HttpResponse(html))
