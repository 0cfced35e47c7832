"""Reviews with recommendations, and actions made through the services, for the action
plan's tests."""

import datetime

from reviews.actions import services
from reviews.actions.fields import ActionFields
from reviews.actions.rules import today
from reviews.models import Action, Agency, Review
from tests.factories import build_review


def plan_review(**fields) -> Review:
    """A draft review (working copy) with 2 recommendations and agencies Health visiting,
    GP and Police; it exists from today, as far as due dates go."""
    return build_review(draft=True, **fields)


def in_days(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def fields(
    *,
    description: str = "Audit the health visiting records",
    owner: str = "Health visiting",
    due_on: datetime.date | None = None,
    progress: str = "",
    evidence: str = "",
) -> ActionFields:
    return ActionFields(
        description=description,
        owner=Agency.objects.get(name=owner),
        due_on=due_on or in_days(60),
        progress=progress,
        evidence=evidence,
    )


def add_action(review: Review, *, by, recommendation: int = 1, status: str = "not-started", **kw):
    return services.action_create(
        review=review,
        user=by,
        recommendation_number=recommendation,
        fields=fields(**kw),
        status=status,
    )


def submitted(review: Review, *, by, **kw) -> Action:
    kw.setdefault("evidence", "The audit report, signed off by the named nurse.")
    return add_action(review, by=by, status="evidence-submitted", **kw)


def completed(review: Review, *, by, accepted_by, **kw) -> Action:
    action = submitted(review, by=by, **kw)
    return services.action_accept(action=action, user=accepted_by)
