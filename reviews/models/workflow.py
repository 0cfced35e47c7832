"""The publishing workflow's own records: revisions, the audit log and preview links.

Revisions and audit entries are append-only. Their querysets and models refuse updates and
deletes, the admin offers neither, and on PostgreSQL a trigger refuses them too (migration
0005), so a slip in code cannot rewrite history. They point at reviews and users without a
database constraint so that they outlive a deleted review or account, keeping its name.
"""

import uuid

from django.conf import settings
from django.db import models


class ImmutableRecordError(Exception):
    """Raised on any attempt to change or delete a revision or an audit entry."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError(f"{self.model._meta.verbose_name_plural} cannot be changed.")

    def delete(self):
        raise ImmutableRecordError(f"{self.model._meta.verbose_name_plural} cannot be deleted.")

    # bulk_update() goes through update(); bulk_create() only adds, which is allowed.


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRecordError(f"A {self._meta.verbose_name} cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"A {self._meta.verbose_name} cannot be deleted.")


def _kept_reference(to: str, **kwargs) -> models.ForeignKey:
    """A link that survives deletion of what it points to (no constraint, nothing cascades)."""
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class ReviewRevision(AppendOnlyModel):
    """One save of a review's working copy: the whole tree as it was, who saved it and why."""

    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(help_text="1 for the first save, then 2, 3...")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _kept_reference(settings.AUTH_USER_MODEL)
    created_by_name = models.CharField(max_length=150, blank=True)
    change_note = models.CharField(max_length=500, blank=True)
    snapshot = models.JSONField(
        help_text="Every field and child row of the review at this revision (its snapshot)."
    )

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number}"


class AuditEntry(AppendOnlyModel):
    """Something that happened to a review, who did it and when. Never changed or deleted."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Edited"
        SUBMITTED = "submitted", "Submitted for sign-off"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        SCHEDULE_CANCELLED = "schedule-cancelled", "Schedule cancelled"
        REJECTED = "rejected", "Sent back"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REVERTED = "reverted", "Reverted"
        IMPORTED_LIVE = "imported-live", "Imported as published"
        PREVIEW_LINK_CREATED = "preview-link-created", "Preview link created"
        PREVIEW_LINK_REVOKED = "preview-link-revoked", "Preview link revoked"
        DELETED = "deleted", "Deleted"
        PROTECTED_NAMES_CHANGED = "protected-names-changed", "Protected names changed"
        PRIVACY_ACKNOWLEDGED = "privacy-acknowledged", "Privacy finding acknowledged"
        # A review's action plan (reviews/actions/services.py).
        ACTION_CREATED = "action-created", "Action added"
        ACTION_EDITED = "action-edited", "Action edited"
        ACTION_DELETED = "action-deleted", "Action deleted"
        ACTION_EVIDENCE_SUBMITTED = "action-evidence-submitted", "Action evidence submitted"
        ACTION_ACCEPTED = "action-accepted", "Action evidence accepted"
        ACTION_REJECTED = "action-rejected", "Action evidence sent back"
        ACTION_ATTACHMENT_ADDED = "action-attachment-added", "Action evidence file added"
        ACTION_ATTACHMENT_REMOVED = "action-attachment-removed", "Action evidence file removed"
        ACTION_PLAN_IMPORTED = "action-plan-imported", "Action plan imported"
        RETURN_RELEASED = "return-released", "Discussion return let through"
        RETURN_REJECTED = "return-rejected", "Discussion return rejected"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = _kept_reference(settings.AUTH_USER_MODEL)
    user_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    review = _kept_reference("reviews.Review")
    review_title = models.CharField(max_length=200)
    revision = _kept_reference("reviews.ReviewRevision")
    revision_number = models.PositiveIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        permissions = [("view_audit_log", "Can read the publishing audit log")]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.review_title}"


class PreviewLink(models.Model):
    """A secret, expiring address where board members without an account see one version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="preview_links"
    )
    revision = models.ForeignKey(ReviewRevision, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(
        max_length=200, blank=True, help_text="Who the link is for, such as “Board meeting”."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview link for {self.review} (revision {self.revision.number})"
