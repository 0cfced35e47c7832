"""Atom feeds of newly published reviews: all of them, and per theme."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learning.discovery.index import plain_text
from portal.models import PortalSettings
from reviews.models import LearningPoint, Review, Theme

FEED_LENGTH = 30


def _published_reviews():
    return Review.objects.published().select_related("board", "review_type")


class LatestReviewsFeed(Feed):
    """In English, and under /cy/ in Welsh: the feed's own words are translated; a review's
    words are its own (English until the review has a Welsh translation)."""

    feed_type = Atom1Feed

    @property
    def language(self) -> str:
        return get_language() or settings.LANGUAGE_CODE

    def title(self) -> str:
        return _("New case reviews – %(board)s") % {"board": PortalSettings.load().board_name}

    def subtitle(self) -> str:
        return _("Case reviews as they are published, with their key learning.")

    def link(self) -> str:
        return reverse("reviews:list")

    def feed_url(self) -> str:
        return reverse("feed_reviews")

    def items(self):
        return _published_reviews().order_by("-published_on", "-pk")[:FEED_LENGTH]

    def item_title(self, review: Review) -> str:
        return f"{review.title} — {review.review_type.name}"

    def item_description(self, review: Review) -> str:
        # Atom summaries are text: the plain summary (60 words at most) where there is one,
        # else the first part of the case summary, without markup.
        if review.plain_summary:
            return review.plain_summary
        text = plain_text(review.summary_html)
        return text if len(text) <= 400 else text[:400].rsplit(" ", 1)[0] + " …"

    def item_link(self, review: Review) -> str:
        return review.get_absolute_url()

    def item_author_name(self, review: Review) -> str:
        return review.board.name

    def item_pubdate(self, review: Review) -> datetime.datetime | None:
        if not review.published_on:
            return None
        return timezone.make_aware(datetime.datetime.combine(review.published_on, datetime.time()))

    def item_updateddate(self, review: Review) -> datetime.datetime:
        return review.updated_at

    def item_categories(self, review: Review) -> list[str]:
        return [review.review_type.name, review.get_nation_display()]


class ThemeReviewsFeed(LatestReviewsFeed):
    """Reviews with at least one published learning point in the theme."""

    def get_object(self, request, slug: str) -> Theme:
        try:
            return Theme.objects.get(slug=slug)
        except Theme.DoesNotExist as error:
            raise Http404("There is no theme at that address.") from error

    def title(self, theme: Theme) -> str:
        return _("New case reviews on %(theme)s – %(board)s") % {
            "theme": theme.name.lower(),
            "board": PortalSettings.load().board_name,
        }

    def subtitle(self, theme: Theme) -> str:
        return theme.description or _("Case reviews with learning on %(theme)s.") % {
            "theme": theme.name.lower()
        }

    def link(self, theme: Theme) -> str:
        return theme.get_absolute_url()

    def feed_url(self, theme: Theme) -> str:
        return reverse("feed_theme", kwargs={"slug": theme.slug})

    def items(self, theme: Theme):
        in_theme = LearningPoint.objects.published().filter(themes=theme).values("review_id")
        return (
            _published_reviews()
            .filter(pk__in=in_theme)
            .order_by("-published_on", "-pk")[:FEED_LENGTH]
        )
