"""Use codes printed on sheets, briefings, forms and packs, and the returns teams send back.

A use code names exactly what was printed: the kind of thing, the working-copy review it
came from, the live copy's version when it was printed and a snapshot of what the page
showed (titles, learning points, prompts with their numbers, a pack's items). Learning
points and prompts are deleted and recreated on every publish, so nothing here holds a
foreign key to them: the snapshot is what a return's form lists, however the review has
changed since. The same content printed twice gives the same code (`digest` is unique).

Returns are written only by learning/returns/services.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reviews.models.review import Review

# What a code may be made of: no 0/O, 1/I/L or U (read as V), so it can be typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
MAX_PARTICIPANTS = 500
MAX_TEAM_NAME_LENGTH = 120
MAX_AGENCY_OTHER_LENGTH = 120
MAX_DIFFERENT_LENGTH = 2000
MAX_BARRIERS_LENGTH = 2000


class UseCode(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION_SHEET = "discussion-sheet", "Discussion sheet"
        BRIEFING = "briefing", "7-minute briefing"
        ACTION_PLAN_FORM = "action-plan-form", "Action plan form"
        SESSION_PACK = "session-pack", "Session pack"
        THEME_SHEET = "theme-sheet", "Theme sheet"

    code = models.CharField(max_length=CODE_LENGTH, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The working copy: it outlives every publish. SET_NULL, not PROTECT: a deleted review's
    # returns are kept with their snapshot, and deleting a review must not be refused.
    review = models.ForeignKey(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="use_codes",
        limit_choices_to={"is_live": False},
    )
    theme = models.ForeignKey(
        "learning.Theme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="use_codes",
    )
    review_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The live copy's version when this was printed."
    )
    snapshot = models.JSONField(
        help_text="What was printed: titles, learning points and numbered prompts, pack items."
    )
    digest = models.CharField(
        max_length=64,
        unique=True,
        help_text="SHA-256 of kind, review, version and snapshot: one code per printed content.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "learning"
        indexes = [models.Index(fields=["review", "kind"], name="use_code_review_kind")]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class DiscussionReturn(models.Model):
    class Status(models.TextChoices):
        HELD = "held", "Held for a privacy check"
        VISIBLE = "visible", "Visible"
        REJECTED = "rejected", "Rejected"

    class Role(models.TextChoices):
        HEALTH_VISITOR = "health-visitor", "Health visitor"
        SOCIAL_WORKER = "social-worker", "Social worker"
        GP = "gp", "GP"
        TEACHER = "teacher", "Teacher"
        POLICE = "police", "Police"
        NURSE = "nurse", "Nurse"
        MIDWIFE = "midwife", "Midwife"
        EARLY_YEARS = "early-years", "Early years"
        HOUSING = "housing", "Housing"
        OTHER = "other", "Other"

    class PracticeChanged(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    use_code = models.ForeignKey(UseCode, on_delete=models.PROTECT, related_name="returns")
    # Copied from the code for reporting (one join fewer on every impact query).
    review = models.ForeignKey(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_returns",
    )
    discussed_on = models.DateField()
    team_name = models.CharField(max_length=MAX_TEAM_NAME_LENGTH)
    agency = models.ForeignKey(
        "reviews.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_returns",
    )
    agency_other = models.CharField(max_length=MAX_AGENCY_OTHER_LENGTH, blank=True)
    participants = models.PositiveSmallIntegerField()
    roles = models.JSONField(default=list, blank=True, help_text="Role values (Role).")
    prompts_discussed = models.JSONField(
        default=list, blank=True, help_text="Prompt numbers from the use code's snapshot."
    )
    different = models.TextField(
        max_length=MAX_DIFFERENT_LENGTH, help_text="What will we do differently?"
    )
    email = models.EmailField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    privacy_findings = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    # The follow-up is written in the language of the page the team used (/use/ or /cy/use/).
    language = models.CharField(
        max_length=8,
        choices=Review.Language.choices,
        default=Review.Language.ENGLISH,
        help_text="The language of the form the team used; their follow-up is written in it.",
    )

    follow_up_due_on = models.DateField(null=True, blank=True)
    # Set, in its own committed transaction, before the message goes: a crash after it
    # never sends twice (docs/discussion-returns.md).
    follow_up_claimed_at = models.DateTimeField(null=True, blank=True)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    follow_up_answered_at = models.DateTimeField(null=True, blank=True)
    practice_changed = models.CharField(
        max_length=10, choices=PracticeChanged.choices, null=True, blank=True
    )
    follow_up_barriers = models.TextField(max_length=MAX_BARRIERS_LENGTH, blank=True)
    follow_up_barriers_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    follow_up_privacy_findings = models.JSONField(default=list, blank=True)
    email_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "learning"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["review", "status"], name="return_review_status"),
            models.Index(fields=["agency", "status"], name="return_agency_status"),
            models.Index(fields=["submitted_at"], name="return_submitted_at"),
            models.Index(fields=["status", "-submitted_at"], name="return_status_submitted"),
            models.Index(
                fields=["follow_up_due_on"],
                name="return_follow_up_due",
                condition=Q(email__isnull=False, follow_up_claimed_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__gte=1, participants__lte=MAX_PARTICIPANTS),
                name="return_participants_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_name} ({self.discussed_on})"
