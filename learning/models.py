"""The search index: what search reads, copied from published reviews (learning/discovery/).

Themes, learning points and prompts are part of the review record (reviews/models/).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from learning.returns.models import DiscussionReturn, UseCode  # noqa: F401 (Django finds them here)
from reviews.models import LearningPoint


class SearchEntry(models.Model):
    """One thing search can find: a published review or one of its learning points.

    Rows are written only by learning/discovery/index.py, from the live (published) copy of a
    review, when it is published. What a search may count or show is decided by the
    catalogue (learning/discovery/catalogue.py), read from Review.objects.published(), so a row left
    behind by a withdrawal can never show. Facet values are the review's, read there too.

    PostgreSQL searches `vector` (title weight A, body B, detail C; english stemming),
    written with the row by learning/discovery/index.py, through its GIN index. SQLite leaves
    it empty and searches an FTS5 table instead (migration 0003).
    """

    class Kind(models.TextChoices):
        REVIEW = "review", "Review"
        LEARNING_POINT = "learning-point", "Learning point"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="search_entries"
    )
    learning_point = models.ForeignKey(
        LearningPoint, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text excerpts are cut from.")
    detail = models.TextField(blank=True, help_text="Plain text that is searched, weighted less.")
    published_on = models.DateField(null=True)
    # What a result shows and links to, copied like the text above (a renamed board, or a
    # review published again, is indexed again): read through joins, they cost a
    # millisecond of planning on every search page.
    review_slug = models.SlugField(max_length=200, default="")
    review_title = models.CharField(max_length=200, default="")
    board_name = models.CharField(max_length=200, default="")
    learning_point_position = models.PositiveIntegerField(null=True, blank=True)
    # The review's plain summary (at most 60 words), shown first on a review's result.
    plain_summary = models.TextField(blank=True, default="")
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"
        indexes = [
            models.Index(fields=["kind", "-published_on"], name="search_entry_kind_date"),
            GinIndex(fields=["vector"], name="search_entry_vector_gin"),
        ]

    def __str__(self) -> str:
        return self.title


# E-mail subscriptions (learning/subscriptions/), in this app's label.
from learning.subscriptions.models import DigestDelivery, Subscription  # noqa: E402

__all__ = ["DigestDelivery", "SearchEntry", "Subscription"]
