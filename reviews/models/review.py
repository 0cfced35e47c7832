"""A review: its record and its workflow state. What the public may see of reviews is
`ReviewQuerySet.published()` in review_queryset.py; board, type and agencies are in boards.py."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from portal.markdown import MarkdownRendered
from reviews.models.boards import Agency, Board, ReviewType
from reviews.models.review_queryset import ReviewQuerySet
from reviews.readability.words import PLAIN_SUMMARY_HELP, validate_plain_summary
from reviews.validators import (
    STATUTORY_DATE_FIELDS,
    split_keywords,
    statutory_date_order_problems,
    validate_https_url,
    validate_keywords,
    validate_partial_date,
)


class Review(MarkdownRendered):
    """One case review: the structured record behind a public case summary."""

    class Nation(models.TextChoices):
        # Translated: the public sees these (facets, feeds, pages); docs/welsh.md.
        ENGLAND = "england", _("England")
        WALES = "wales", _("Wales")
        SCOTLAND = "scotland", _("Scotland")
        NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        READY = "ready", "Ready for sign-off"
        PUBLISHED = "published", "Published"
        CHANGED = "changed", "Published, with unpublished changes"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        NOT_STATED = "not-stated", _("Not stated")

    class Outcome(models.TextChoices):
        DIED = "died", _("Died")
        SERIOUS_HARM = "serious-harm", _("Serious harm")

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        WELSH = "cy", "Welsh"

    title = models.CharField(
        max_length=200,
        help_text="Usually the child's pseudonym, as published: “Baby C”. "
        "The page shows it as “Baby C — Case Summary”.",
    )
    slug = models.SlugField(
        max_length=200,
        help_text="The last part of the page address, such as “baby-c”. "
        "Changing it after publication breaks links people have saved.",
    )
    # A translation is a review of its own (reviews/translations/): same workflow, privacy
    # check, sign-off, live copy and stored page. Both fields are copied into revisions and
    # live copies; a live copy of a translation points at the original's working copy.
    language = models.CharField(
        max_length=5,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text="The language of this review's words.",
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translations",
        limit_choices_to={"is_live": False, "translation_of__isnull": True},
        help_text="The review (its working copy) this one translates; empty for an original.",
    )
    # Set when the original's working copy changes after this translation was signed off
    # (reviews/translations/services.py); cleared when the translation is published again.
    translation_needs_review = models.BooleanField(
        "translation needs review",
        default=False,
        editable=False,
        help_text="The original changed after this translation was signed off.",
    )
    review_type = models.ForeignKey(ReviewType, on_delete=models.PROTECT, related_name="reviews")
    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="The board or partnership that commissioned the review.",
    )
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    # Changed only by the publishing services (reviews/publishing/services.py), never in a form.
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True, editable=False
    )
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="The date the review's learning was published. Required once published.",
    )
    reviewer = models.CharField(
        max_length=200, blank=True, help_text="Lead reviewer or author, as published."
    )
    methodology = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example “Significant Incident Learning Process” or “SCIE Learning "
        "Together”.",
    )
    child_pseudonym = models.CharField(
        max_length=100,
        help_text="The name the review uses for the child, never their real name.",
    )
    child_sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.NOT_STATED)
    child_age_text = models.CharField(
        "child's age",
        max_length=100,
        help_text="The child's age at the incident as the review words it: “11 months”.",
    )
    child_age_months = models.SmallIntegerField(
        "child's age in months",
        null=True,
        blank=True,
        help_text="The same age in whole months, used to group reviews by age. "
        "Leave empty if not known.",
    )
    child_outcome = models.CharField(
        "outcome for the child", max_length=20, choices=Outcome.choices
    )
    review_period = models.CharField(
        max_length=100,
        blank=True,
        help_text="The period the review covers: “22 months”.",
    )
    incident_date = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="As precise as published: YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    agencies = models.ManyToManyField(
        Agency,
        blank=True,
        related_name="reviews",
        help_text="Every agency involved with the family.",
    )
    keywords = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_keywords],
        help_text="Free tags that help people find the review, separated by commas.",
    )
    report_url = models.URLField(
        "full report address",
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text="Where the full report is published (https only).",
    )
    content_warning = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown before the summary, for example "
        "“This summary describes the death of a baby.”",
    )
    plain_summary = models.TextField(
        blank=True, validators=[validate_plain_summary], help_text=PLAIN_SUMMARY_HELP
    )
    summary = MarkdownxField(
        "case summary", help_text="The case summary, in the published words. Markdown."
    )
    summary_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Statutory dates (docs/statutory-deadlines.md): staff only. They are never copied to
    # the live copy (reviews/publishing/revisions.py), so no public page, feed or API has them.
    STATUTORY_FIELDS = STATUTORY_DATE_FIELDS
    incident_known_on = models.DateField(
        "incident known on",
        null=True,
        blank=True,
        help_text="The day the partners learned of the serious incident. Staff only.",
    )
    panel_notified_on = models.DateField(
        "Panel notified on",
        null=True,
        blank=True,
        help_text="The day the national Child Safeguarding Practice Review Panel was "
        "notified. Staff only.",
    )
    rapid_review_sent_on = models.DateField(
        "rapid review sent on",
        null=True,
        blank=True,
        help_text="The day the rapid review went to the Panel. Staff only.",
    )
    sent_to_panel_on = models.DateField(
        "sent to the Panel and Secretary of State",
        null=True,
        blank=True,
        help_text="The date the final report was sent to the national Child Safeguarding "
        "Practice Review Panel and the Secretary of State. Publication should be at least "
        "7 working days later (the board's setting). Staff only.",
    )
    improvements_only = models.BooleanField(
        "publish improvements only",
        default=False,
        help_text="Tick to publish only the learning and recommendations: the public page "
        "then leaves out the case summary and the chronology.",
    )
    keep_published_until = models.DateField(
        null=True,
        blank=True,
        help_text="Optional. The review leaves the public site after this date. Reviews "
        "should stay published for at least 12 months.",
    )

    # Workflow (docs/publishing.md). Staff edit the working copy; publishing copies it,
    # with every child row, into a separate live copy, which is all the public ever reads.
    is_live = models.BooleanField(default=False, editable=False, db_index=True)
    working_copy = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="live_copy",
    )
    version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up with every save, so a save over someone else's newer one is refused.",
    )
    go_live_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the live copy becomes public."
    )
    last_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    update_note = models.TextField(
        blank=True, editable=False, help_text="The publisher's note on what changed."
    )
    rejection_reason = models.TextField(
        blank=True, editable=False, help_text="Why a publisher sent this review back."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(
        blank=True, editable=False, help_text="Why the review was withdrawn, for staff."
    )
    withdrawal_notice = models.TextField(
        blank=True, editable=False, help_text="Shown to the public at the review's address."
    )
    # The live copy's case summary page body, rendered when it is published
    # (reviews/publishing/pages.py), so the public page costs one query. Empty on working copies.
    page_html = models.TextField(blank=True, editable=False)
    # The whole public page for visitors without a session, rendered when published
    # (reviews/publishing/pages.py), so serving it is one query and no template work.
    page_document = models.TextField(blank=True, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        permissions = [
            ("submit_review", "Can submit a review for sign-off"),
            ("publish_review", "Can sign off, publish, send back, withdraw and revert reviews"),
        ]
        constraints = [
            # Only what the public sees needs a date: publishing fills it in on the live copy
            # when the working copy has none.
            models.CheckConstraint(
                condition=Q(is_live=False)
                | ~Q(status__in=["published", "withdrawn"])
                | Q(published_on__isnull=False),
                name="review_published_has_date",
                violation_error_message="A published or withdrawn review needs a published date.",
            ),
            models.CheckConstraint(
                condition=Q(child_age_months__isnull=True) | Q(child_age_months__gte=0),
                name="review_child_age_not_negative",
                violation_error_message="The child's age in months cannot be negative.",
            ),
            # Working copies and live copies each have their own address space: a review
            # and its live copy share a slug.
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(is_live=False),
                name="review_unique_slug",
                violation_error_message="Another review already uses this address (slug).",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(is_live=True),
                name="review_live_unique_slug",
                violation_error_message="Another published review already uses this address.",
            ),
            models.CheckConstraint(
                condition=Q(is_live=False) | Q(go_live_at__isnull=False),
                name="review_live_has_go_live",
                violation_error_message="A live copy needs a go-live time.",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["en", "cy"]),
                name="review_known_language",
                violation_error_message="Unknown language: use en (English) or cy (Welsh).",
            ),
            # One translation per language per review (and one live copy of it).
            models.UniqueConstraint(
                fields=["translation_of", "language", "is_live"],
                condition=Q(translation_of__isnull=False),
                name="review_one_translation_per_language",
                violation_error_message="This review already has a translation in that language.",
            ),
        ]
        indexes = [
            # Answers published() from the index alone (PostgreSQL: an index-only scan of the
            # live, published rows with their dates): search and facet counts join back
            # through published() on every request, and the table's rows are wide.
            # Translations are outside it: published() leaves them out unless asked.
            models.Index(
                fields=["id", "go_live_at", "keep_published_until"],
                condition=Q(is_live=True, status="published", translation_of__isnull=True),
                name="review_published_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    markdown_fields = ("summary",)

    def clean(self) -> None:
        super().clean()
        problems = statutory_date_order_problems(
            {name: getattr(self, name) for name in STATUTORY_DATE_FIELDS}
        )
        if problems:
            raise ValidationError(problems)

    def get_absolute_url(self) -> str:
        if self.translation_of_id:
            # A translation is read at its original's address in its own language (/cy/...).
            with translation.override(self.language):
                return reverse("reviews:detail", kwargs={"slug": self.original_slug})
        return reverse("reviews:detail", kwargs={"slug": self.slug})

    @cached_property
    def original_slug(self) -> str:
        """The public address (slug) of the review this translates (itself if an original):
        the original's live copy's, else its working copy's. Kept once read: a list that
        already holds the originals fills it in (reviews/selectors.py)."""
        if not self.translation_of_id:
            return self.slug
        original = self.translation_of
        live = Review.objects.filter(working_copy=original, is_live=True).values("slug").first()
        return live["slug"] if live else original.slug

    @property
    def is_translation(self) -> bool:
        return self.translation_of_id is not None

    @property
    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)
