"""The rows of a review's record shown in order: chronology, findings, recommendations."""

from django.db import models
from markdownx.models import MarkdownxField

from portal.markdown import MarkdownRendered
from portal.ordering import OrderedChild
from reviews.models.boards import Agency
from reviews.models.review import Review
from reviews.validators import validate_partial_date


class ChronologyEvent(MarkdownRendered, OrderedChild):
    """Something that happened, placed along the child's life where the review allows."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology_events")
    when = models.CharField(
        max_length=200,
        help_text="Timing as published: “Before the birth”, “at 7 months”, “six weeks later”.",
    )
    age_months = models.SmallIntegerField(
        "child's age in months",
        null=True,
        blank=True,
        help_text="Whole months; negative means before birth (−2 = two months before). "
        "Used to draw the timeline.",
    )
    date = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="Only if published: YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    agencies = models.ManyToManyField(Agency, blank=True, related_name="chronology_events")
    text = MarkdownxField("what happened", help_text="Markdown.")
    text_html = models.TextField(blank=True, editable=False)
    is_key = models.BooleanField(
        "key episode", default=False, help_text="Highlight this as a key episode."
    )

    class Meta(OrderedChild.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["review", "position"], name="chronology_event_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.when

    markdown_fields = ("text",)


class AnalysisFinding(MarkdownRendered, OrderedChild):
    """One finding of the review's analysis."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    heading = models.CharField(max_length=200, blank=True, help_text="Optional.")
    text = MarkdownxField(help_text="Markdown.")
    text_html = models.TextField(blank=True, editable=False)

    class Meta(OrderedChild.Meta):
        constraints = [
            models.UniqueConstraint(fields=["review", "position"], name="finding_unique_position")
        ]

    def __str__(self) -> str:
        return self.heading or f"Finding {self.position}"

    markdown_fields = ("text",)


class Recommendation(MarkdownRendered, OrderedChild):
    """A recommendation the review made, and the agencies it is addressed to."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    text = MarkdownxField(help_text="Markdown.")
    text_html = models.TextField(blank=True, editable=False)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="recommendations")

    class Meta(OrderedChild.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["review", "position"], name="recommendation_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.position}"

    markdown_fields = ("text",)


# The workflow's own records (revisions, audit log, preview links) and the privacy check's
# (protected-name digests, acknowledgements) live in their own modules to keep this one about
# the review itself; importing them here registers them with Django.
