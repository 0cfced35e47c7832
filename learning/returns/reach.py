"""The public line on a review's page: "Discussed by 34 teams in 9 agencies".

Counted from visible returns only (held and rejected ones never count), with no personal
data: a team is a distinct team name within its agency, an agency a portal agency or a
distinct "other" name. The line is part of the stored case summary page
(reviews/publishing/pages.py renders it through `review_page_context_register`, which
learning's AppConfig.ready() calls, so reviews never imports learning); when a return
changes the figures, `reach_refresh` renders that one page again and drops the page cache.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Lower

from learning.returns.models import DiscussionReturn
from reviews.models import Review
from reviews.publishing.public_copies import review_public_copies_refresh


@dataclass(frozen=True)
class Reach:
    teams: int
    agencies: int


def reach_counts(*, review_id: int | None) -> Reach:
    """Teams and agencies that sent a visible return about a review (its working copy)."""
    if review_id is None:
        return Reach(0, 0)
    visible = DiscussionReturn.objects.filter(
        review_id=review_id, status=DiscussionReturn.Status.VISIBLE
    )
    teams = (
        visible.annotate(team=Lower("team_name"), other=Lower("agency_other"))
        .values("team", "agency_id", "other")
        .distinct()
        .count()
    )
    agencies = (
        visible.exclude(agency=None).values("agency_id").distinct().count()
        + visible.filter(agency=None)
        .exclude(agency_other="")
        .annotate(other=Lower("agency_other"))
        .values("other")
        .distinct()
        .count()
    )
    return Reach(teams=teams, agencies=agencies)


def reach_page_context(review: Review) -> dict:
    """What the stored page of a live copy shows of its reach (registered with pages.py)."""
    # A Welsh translation's page shows its English original's reach: the teams discussed the
    # review, whichever language they read it in.
    reach = reach_counts(review_id=review.translation_of_id or review.working_copy_id or review.pk)
    return {"reach": reach} if reach.teams else {}


def reach_refresh(*, review_id: int | None, before: Reach) -> bool:
    """Render the review's stored page again if its line changed since `before`."""
    if review_id is None or reach_counts(review_id=review_id) == before:
        return False
    review_public_copies_refresh(
        reviews=Review.objects.filter(
            Q(working_copy_id=review_id) | Q(translation_of_id=review_id, is_live=True)
        ),
        search=False,
    )
    return True
