"""Learning from reviews: themes, key learning points and the prompts teams discuss."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from markdownx.models import MarkdownxField

from reviews.models import MarkdownRendered, OrderedChild


class Theme(models.Model):
    """A recurring theme of case reviews; the shipped vocabulary is extended in the admin."""

    slug = models.SlugField(
        unique=True,
        help_text="Used in page addresses and review documents. Do not change once in use.",
    )
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(
        max_length=300, blank=True, help_text="One line on what the theme covers."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:theme_detail", kwargs={"slug": self.slug})


def learning_point_url(*, review_url: str, position: int) -> str:
    """A learning point's address: its place on its review's page (search results build it
    from copied values, without the learning point)."""
    return f"{review_url}#learning-{position}"


class LearningPointQuerySet(models.QuerySet):
    def published(self) -> "LearningPointQuerySet":
        """Learning points of reviews the public may see (the rule lives on Review)."""
        from reviews.models import Review

        return self.filter(review__in=Review.objects.published())


class LearningPoint(MarkdownRendered, OrderedChild):
    """A key learning point of a review, with the themes it belongs to."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="learning_points"
    )
    title = models.CharField(max_length=200, help_text="As published: “Listening to children”.")
    body = MarkdownxField(help_text="The learning, in the published words. Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    themes = models.ManyToManyField(
        Theme, related_name="learning_points", help_text="At least one theme."
    )
    agencies = models.ManyToManyField(
        "reviews.Agency",
        blank=True,
        related_name="learning_points",
        help_text="Who this learning is for. Leave empty if it is for everyone.",
    )

    objects = LearningPointQuerySet.as_manager()

    class Meta(OrderedChild.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["review", "position"], name="learning_point_unique_position"
            ),
            models.UniqueConstraint(fields=["review", "title"], name="learning_point_unique_title"),
            models.CheckConstraint(condition=~Q(title=""), name="learning_point_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    markdown_fields = ("body",)

    def get_absolute_url(self) -> str:
        return learning_point_url(review_url=self.review.get_absolute_url(), position=self.position)


class DiscussionPrompt(OrderedChild):
    """A question for a team meeting, tied to one learning point."""

    learning_point = models.ForeignKey(
        LearningPoint, on_delete=models.CASCADE, related_name="prompts"
    )
    question = models.TextField(
        help_text="An open question a team can discuss, about their own practice."
    )
    facilitator_note = models.TextField(
        blank=True,
        help_text="Optional guidance for whoever leads the discussion; shown on printed sheets.",
    )

    class Meta(OrderedChild.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["learning_point", "position"], name="prompt_unique_position"
            ),
            models.CheckConstraint(condition=~Q(question=""), name="prompt_has_question"),
        ]

    def __str__(self) -> str:
        return self.question[:80]


class SearchEntry(models.Model):
    """One thing search can find: a published review or one of its learning points.

    Rows are written only by learning/search_index.py, from the live (published) copy of a
    review, when it is published. What a search may count or show is decided by the
    catalogue (reviews/catalogue.py), read from Review.objects.published(), so a row left
    behind by a withdrawal can never show. Facet values are the review's, read there too.

    PostgreSQL searches `vector` (title weight A, body B, detail C; english stemming),
    written with the row by learning/search_index.py, through its GIN index. SQLite leaves
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
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"
        indexes = [
            models.Index(fields=["kind", "-published_on"], name="search_entry_kind_date"),
            GinIndex(fields=["vector"], name="search_entry_vector_gin"),
        ]

    def __str__(self) -> str:
        return self.title
