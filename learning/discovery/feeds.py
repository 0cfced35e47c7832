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
from reviews.selectors import reviews_in_language
from reviews.translations.names import current_language, localised_name

FEED_LENGTH = 30


def _published_reviews():
    return Review.objects.published().select_related("board", "review_type")


def _in_language(reviews) -> list[Review]:
    return reviews_in_language(reviews=reviews, language=current_language())


class LatestReviewsFeed(Feed):
    """In English, and under /cy/ in Welsh: the feed's own words are translated, names of
    boards, types and themes are their Welsh names where kept, and a review with a published
    Welsh translation is announced in its Welsh words (the others in English)."""

    feed_type = Atom1Feed

    @property
    def language(self) -> str:
        return get_language() or settings.LANGUAGE_CODE

    def title(self) -> str:
        return _("New case reviews – %(board)s") % {
            "board": PortalSettings.load().board_name_in(current_language())
        }

    def subtitle(self) -> str:
        return _("Case reviews as they are published, with their key learning.")

    def link(self) -> str:
        return reverse("reviews:list")

    def feed_url(self) -> str:
        return reverse("feed_reviews")

    def items(self):
        return _in_language(_published_reviews().order_by("-published_on", "-pk")[:FEED_LENGTH])

    def item_title(self, review: Review) -> str:
        return f"{review.title} — {localised_name(review.review_type)}"

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
        return localised_name(review.board)

    def item_pubdate(self, review: Review) -> datetime.datetime | None:
        if not review.published_on:
            return None
        return timezone.make_aware(datetime.datetime.combine(review.published_on, datetime.time()))

    def item_updateddate(self, review: Review) -> datetime.datetime:
        return review.updated_at

    def item_categories(self, review: Review) -> list[str]:
        return [localised_name(review.review_type), review.get_nation_display()]


class ThemeReviewsFeed(LatestReviewsFeed):
    """Reviews with at least one published learning point in the theme."""

    def get_object(self, request, slug: str) -> Theme:
        try:
            return Theme.objects.get(slug=slug)
        except Theme.DoesNotExist as error:
            raise Http404("There is no theme at that address.") from error

    def title(self, theme: Theme) -> str:
        return _("New case reviews on %(theme)s – %(board)s") % {
            "theme": localised_name(theme).lower(),
            "board": PortalSettings.load().board_name_in(current_language()),
        }

    def subtitle(self, theme: Theme) -> str:
        return localised_name(theme, "description") or _(
            "Case reviews with learning on %(theme)s."
        ) % {"theme": localised_name(theme).lower()}

    def link(self, theme: Theme) -> str:
        return theme.get_absolute_url()

    def feed_url(self, theme: Theme) -> str:
        return reverse("feed_theme", kwargs={"slug": theme.slug})

    def items(self, theme: Theme):
        in_theme = LearningPoint.objects.published().filter(themes=theme).values("review_id")
        return _in_language(
            _published_reviews()
            .filter(pk__in=in_theme)
            .order_by("-published_on", "-pk")[:FEED_LENGTH]
        )
