"""A review's action plan: what each recommendation turns into, who owns it, and the proof.

Actions point at the review's working copy and a recommendation NUMBER, not at a
Recommendation row: recommendations are deleted and recreated on every publish, restore and
document import, and an action plan must outlive all of those.

State changes go through reviews/actions/services.py; nothing here changes a status.
"""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Case, Q, Value, When

from reviews.models.boards import Agency
from reviews.models.review import Review

# BRAG: computed on the day, never stored or typed (docs/action-plans.md).
BRAG_BLUE = "blue"
BRAG_RED = "red"
BRAG_AMBER = "amber"
BRAG_GREEN = "green"
BRAG_VALUES = (BRAG_BLUE, BRAG_RED, BRAG_AMBER, BRAG_GREEN)
BRAG_LABELS = {
    BRAG_BLUE: "Blue: complete",
    BRAG_RED: "Red: overdue",
    BRAG_AMBER: "Amber: due within 28 days",
    BRAG_GREEN: "Green: on track",
}
# "Due within the next 28 days, today included": today .. today + 27 days.
AMBER_DAYS = 28

ACTION_TEXT_MAX = 2000


def amber_last_day(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=AMBER_DAYS - 1)


class PrivateStorage(FileSystemStorage):
    """Files only staff may fetch, through a view that checks who is asking.

    It lives outside MEDIA_ROOT and STATIC_ROOT and has no URL, so no web server route or
    `.url` can ever hand a file to the public. The folder is read from the settings on
    every use, so tests can point it elsewhere.
    """

    @property
    def base_location(self) -> str:
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        return str(configured or Path(settings.BASE_DIR) / "private")

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self) -> None:
        return None

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public address; staff fetch them in the admin.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def attachment_upload_to(instance: "ActionAttachment", filename: str) -> str:
    # Never the uploader's file name on disk: it is kept in original_name for downloads.
    return f"action-evidence/{uuid.uuid4().hex}"


class ActionQuerySet(models.QuerySet):
    def with_brag(self, today: datetime.date) -> "ActionQuerySet":
        """Annotate `brag` as one SQL CASE, so reports can filter and group by it."""
        return self.annotate(
            brag=Case(
                When(status=Action.Status.COMPLETE, then=Value(BRAG_BLUE)),
                When(due_on__lt=today, then=Value(BRAG_RED)),
                When(due_on__lte=amber_last_day(today), then=Value(BRAG_AMBER)),
                default=Value(BRAG_GREEN),
                output_field=models.CharField(max_length=5),
            )
        )

    def brag_filter(self, brag: str, today: datetime.date) -> "ActionQuerySet":
        """Only the actions of one BRAG state, as a plain WHERE (no annotation needed)."""
        complete = Q(status=Action.Status.COMPLETE)
        conditions = {
            BRAG_BLUE: complete,
            BRAG_RED: ~complete & Q(due_on__lt=today),
            BRAG_AMBER: ~complete & Q(due_on__gte=today, due_on__lte=amber_last_day(today)),
            BRAG_GREEN: ~complete & Q(due_on__gt=amber_last_day(today)),
        }
        return self.filter(conditions[brag])


class Action(models.Model):
    """One thing an agency will do towards a recommendation of a review."""

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", "Not started"
        IN_PROGRESS = "in-progress", "In progress"
        EVIDENCE_SUBMITTED = "evidence-submitted", "Evidence submitted"
        COMPLETE = "complete", "Complete"

    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        related_name="actions",
        limit_choices_to={"is_live": False},
        help_text="The review's working copy.",
    )
    recommendation_number = models.PositiveSmallIntegerField(
        help_text="The recommendation's number in the review, counting from 1."
    )
    position = models.PositiveSmallIntegerField(
        help_text="The action's order within its recommendation, from 1."
    )
    description = models.TextField(
        "action", max_length=ACTION_TEXT_MAX, help_text="What will be done (plain text)."
    )
    owner = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="actions", help_text="The owning agency."
    )
    due_on = models.DateField("due")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NOT_STARTED, editable=False
    )
    progress = models.TextField("progress notes", blank=True)
    evidence = models.TextField(blank=True, help_text="What shows it is done (plain text).")
    evidence_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    evidence_submitted_by_name = models.CharField(max_length=150, blank=True, editable=False)
    evidence_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    accepted_by_name = models.CharField(max_length=150, blank=True, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Why the evidence was last sent back, shown to whoever works on the action next.
    rejection_reason = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every change: a save from a form opened on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["review", "recommendation_number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "recommendation_number", "position"],
                name="action_unique_position",
            ),
            models.CheckConstraint(
                condition=Q(recommendation_number__gte=1) & Q(position__gte=1),
                name="action_numbers_from_one",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_status_due"),
        ]
        permissions = [("accept_action", "Can accept or reject an action's evidence")]

    def __str__(self) -> str:
        return f"Recommendation {self.recommendation_number}, action {self.position}"

    def brag_on(self, today: datetime.date) -> str:
        """The same rule as ActionQuerySet.with_brag, for one action in Python."""
        if self.status == self.Status.COMPLETE:
            return BRAG_BLUE
        if self.due_on < today:
            return BRAG_RED
        if self.due_on <= amber_last_day(today):
            return BRAG_AMBER
        return BRAG_GREEN


class ActionAttachment(models.Model):
    """A file of evidence for an action. Served to staff only, always as a download."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(
        max_length=100, help_text="As found in the file's content, not as the browser said."
    )
    size = models.PositiveIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_by_name = models.CharField(max_length=150, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
