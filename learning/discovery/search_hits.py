"""What the search backends hand back (search_postgres.py, search_sqlite.py beside this):
the matches of a query, and a result as the page shows it."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from learning.models import SearchEntry
from reviews.models import learning_point_url

# Highlight markers in excerpts, turned into <mark> only after escaping (mark_excerpt).
MARK_START, MARK_END = "\x02", "\x03"


@dataclass
class Matches:
    """Every search entry whose words match a query, public or not (the caller keeps those
    the catalogue holds, learning/discovery/catalogue.py, which are the published ones)."""

    ids: Sequence[int]
    # Stemmed words (as PostgreSQL wrote them) of which a match holds at least one; None
    # where they are not known.
    words: list[str] | None = None


@dataclass
class SearchHit:
    """One search result as the page shows it: read as plain values, not model instances
    (a page of twenty cost four models each)."""

    pk: int
    kind: str
    title: str
    body: str
    detail: str
    published_on: datetime.date | None
    review_slug: str
    review_title: str
    board_name: str
    learning_point_position: int | None
    plain_summary: str = ""

    @property
    def is_learning_point(self) -> bool:
        return self.kind == SearchEntry.Kind.LEARNING_POINT

    @property
    def url(self) -> str:
        review = reverse("reviews:detail", kwargs={"slug": self.review_slug})
        if self.learning_point_position is None:
            return review
        return learning_point_url(review_url=review, position=self.learning_point_position)


HIT_FIELDS = [
    "pk",
    "kind",
    "title",
    "body",
    "detail",
    "published_on",
    "review_slug",
    "review_title",
    "board_name",
    "learning_point_position",
    "plain_summary",
]


def hits(entries: QuerySet[SearchEntry]) -> list[SearchHit]:
    return [SearchHit(*row) for row in entries.values_list(*HIT_FIELDS)]
