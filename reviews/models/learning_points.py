"""Key learning points of a review, their themes and the prompts teams discuss.

They are part of the review's record (documents, revisions, the privacy check and publishing
all read them), so they are defined here with it. They keep the `learning` app label they
were created under: their tables, permissions and admin addresses are unchanged.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from markdownx.models import MarkdownxField

from portal.markdown import MarkdownRendered
from portal.ordering import OrderedChild
from reviews.models.review import Review


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
    name_cy = models.CharField(
        "Welsh name", max_length=100, blank=True, help_text="Shown on Welsh pages."
    )
    description_cy = models.CharField("Welsh description", max_length=300, blank=True)

    class Meta:
        app_label = "learning"
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
        app_label = "learning"
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
        app_label = "learning"
        constraints = [
            models.UniqueConstraint(
                fields=["learning_point", "position"], name="prompt_unique_position"
            ),
            models.CheckConstraint(condition=~Q(question=""), name="prompt_has_question"),
        ]

    def __str__(self) -> str:
        return self.question[:80]
