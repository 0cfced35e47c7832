"""The overview at the top of a theme page: how much learning there is, and for whom."""

from dataclasses import dataclass

from django.db.models import Count

from reviews.models import Agency, Review

from .models import DiscussionPrompt, LearningPoint, Theme

TOP_AGENCIES = 6
PROMPTS_SHOWN = 8


@dataclass
class ThemeOverview:
    review_count: int
    learning_point_count: int
    agencies: list[Agency]  # each with .review_count
    prompts: list[DiscussionPrompt]
    prompt_count: int


def theme_overview(*, theme: Theme) -> ThemeOverview:
    """Counts, the agencies most often involved and the prompts: five queries, at any size."""
    learning_points = LearningPoint.objects.published().filter(themes=theme)
    counts = learning_points.aggregate(
        learning_points=Count("pk", distinct=True), reviews=Count("review", distinct=True)
    )
    reviews = Review.objects.published().filter(pk__in=learning_points.values("review_id"))
    agencies = list(
        Agency.objects.filter(reviews__in=reviews)
        .annotate(review_count=Count("reviews", distinct=True))
        .order_by("-review_count", "name")[:TOP_AGENCIES]
    )
    prompts = DiscussionPrompt.objects.filter(learning_point__in=learning_points)
    prompt_list = list(
        prompts.select_related("learning_point", "learning_point__review").order_by(
            "-learning_point__review__published_on", "learning_point__review_id", "position"
        )[:PROMPTS_SHOWN]
    )
    return ThemeOverview(
        review_count=counts["reviews"],
        learning_point_count=counts["learning_points"],
        agencies=agencies,
        prompts=prompt_list,
        prompt_count=prompts.count(),
    )
