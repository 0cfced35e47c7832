"""Reads of action plans, for the admin, the export and the demo."""

import dataclasses
import datetime

from reviews.models import Action, Recommendation, Review


def actions_for_export(*, review_slug: str | None, today: datetime.date):
    """Every action (of one review), in the CSV's order, with BRAG; three queries' worth."""
    actions = (
        Action.objects.with_brag(today)
        .select_related("review", "owner")
        .order_by("review__slug", "recommendation_number", "position")
    )
    if review_slug is not None:
        actions = actions.filter(review__slug=review_slug, review__is_live=False)
    return actions.iterator(chunk_size=2000)


@dataclasses.dataclass
class RecommendationPlan:
    number: int
    recommendation: Recommendation | None  # None: the review has fewer recommendations now
    actions: list[Action]


def review_action_plan(*, review: Review, today: datetime.date) -> list[RecommendationPlan]:
    """The review's recommendations in order, each with its actions (BRAG annotated)."""
    recommendations = list(review.recommendations.order_by("position"))
    plans = {
        number: RecommendationPlan(number=number, recommendation=recommendation, actions=[])
        for number, recommendation in enumerate(recommendations, start=1)
    }
    actions = (
        Action.objects.with_brag(today)
        .filter(review=review)
        .select_related("owner")
        .order_by("recommendation_number", "position")
    )
    for action in actions:
        number = action.recommendation_number
        plans.setdefault(number, RecommendationPlan(number, None, [])).actions.append(action)
    return [plans[number] for number in sorted(plans)]
