"""The review record. Django finds the models here; each module holds one part of it."""

from reviews.models.actions import (
    BRAG_AMBER,
    BRAG_BLUE,
    BRAG_GREEN,
    BRAG_LABELS,
    BRAG_RED,
    BRAG_VALUES,
    Action,
    ActionAttachment,
    ActionQuerySet,
)
from reviews.models.boards import Agency, Board, ReviewType
from reviews.models.calendar import ClosureDay
from reviews.models.children import AnalysisFinding, ChronologyEvent, Recommendation
from reviews.models.glossary import GlossaryTerm
from reviews.models.learning_points import (
    DiscussionPrompt,
    LearningPoint,
    LearningPointQuerySet,
    Theme,
    learning_point_url,
)
from reviews.models.privacy import PrivacyAcknowledgement, ProtectedNameDigest
from reviews.models.review import Review
from reviews.models.review_queryset import ReviewQuerySet
from reviews.models.workflow import (
    AppendOnlyModel,
    AppendOnlyQuerySet,
    AuditEntry,
    ImmutableRecordError,
    PreviewLink,
    ReviewRevision,
)

__all__ = [
    "BRAG_AMBER",
    "BRAG_BLUE",
    "BRAG_GREEN",
    "BRAG_LABELS",
    "BRAG_RED",
    "BRAG_VALUES",
    "Action",
    "ActionAttachment",
    "ActionQuerySet",
    "Agency",
    "AnalysisFinding",
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "AuditEntry",
    "Board",
    "ChronologyEvent",
    "ClosureDay",
    "DiscussionPrompt",
    "GlossaryTerm",
    "ImmutableRecordError",
    "LearningPoint",
    "LearningPointQuerySet",
    "PreviewLink",
    "PrivacyAcknowledgement",
    "ProtectedNameDigest",
    "Recommendation",
    "Review",
    "ReviewQuerySet",
    "ReviewRevision",
    "ReviewType",
    "Theme",
    "learning_point_url",
]
