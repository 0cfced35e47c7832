"""The named things a review refers to: its review type, its board (with the board's
statutory timescales) and the agencies involved. Each has a Welsh name for Welsh pages."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import slugify
from markdownx.models import MarkdownxField

from portal.markdown import MarkdownRendered


class ReviewType(MarkdownRendered):
    """A kind of review (Serious Case Review, Child Practice Review...).

    The slugs are fixed by the review document format; the texts are the board's own.
    """

    slug = models.SlugField(unique=True, help_text="Fixed identifier used in review documents.")
    name = models.CharField(max_length=100, unique=True)
    short_name = models.CharField(
        max_length=20,
        blank=True,
        help_text="Abbreviation practitioners use, such as “SCR”.",
    )
    learning_heading = models.CharField(
        max_length=200,
        help_text="Heading above a case summary of this type, such as "
        "“Learning from Serious Case Reviews”.",
    )
    explanation = MarkdownxField(
        blank=True,
        help_text="What a review of this type is and why it is done, shown on each of its "
        "case summaries. Markdown.",
    )
    explanation_html = models.TextField(blank=True, editable=False)
    reports_text = models.CharField(
        max_length=200,
        blank=True,
        help_text="Sentence that introduces the link to the full report, such as "
        "“SCR reports can be found”; the page adds “here” as the link.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Welsh names (docs/welsh-translations.md): shown on Welsh pages, English when empty.
    name_cy = models.CharField("Welsh name", max_length=100, blank=True)
    short_name_cy = models.CharField("Welsh short name", max_length=20, blank=True)
    learning_heading_cy = models.CharField("Welsh learning heading", max_length=200, blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    markdown_fields = ("explanation",)


def _working_days_field(default: int, verbose_name: str, help_text: str):
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=help_text,
    )


class Board(models.Model):
    """A safeguarding board or partnership that commissioned a review.

    Its statutory timescales (docs/statutory-deadlines.md) default to England's; a board in
    another nation, or with other rules, sets its own here.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    panel_notice_working_days = _working_days_field(
        5,
        "notify the Panel within (working days)",
        "Working days after the incident became known. England: 5.",
    )
    rapid_review_working_days = _working_days_field(
        15,
        "send the rapid review within (working days)",
        "Working days after the incident became known. England: 15.",
    )
    publication_wait_working_days = _working_days_field(
        7,
        "publish no earlier than (working days)",
        "Working days after the final report was sent to the Panel and the Secretary of "
        "State. England: 7.",
    )
    keep_published_months = models.PositiveSmallIntegerField(
        "keep published for at least (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Months after first publication. England: 12.",
    )
    name_cy = models.CharField(
        "Welsh name", max_length=200, blank=True, help_text="Shown on Welsh pages."
    )
    is_bilingual = models.BooleanField(
        "publishes in Welsh and English",
        default=False,
        help_text="A review of a bilingual board is published only together with its signed-off "
        "Welsh translation (docs/welsh-translations.md).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)


class Agency(models.Model):
    """An agency or service involved with a family: health visiting, police, a school..."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    name_cy = models.CharField(
        "Welsh name", max_length=120, blank=True, help_text="Shown on Welsh pages."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)
