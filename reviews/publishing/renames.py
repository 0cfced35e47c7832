"""Changes to the named things reviews refer to: boards, agencies, review types, and the
board's own site texts.

Stored case summary pages and search entries show these names, so each change re-renders
and re-indexes every review that names the thing, in the change's transaction
(`review_public_copies_refresh`). Themes are changed the same way by learning/services.py.
"""

from django.db import transaction
from django.db.models import Q, QuerySet

from portal.models import PortalSettings
from reviews.models import Agency, Board, Review, ReviewType
from reviews.publishing.public_copies import review_public_copies_refresh


@transaction.atomic
def portal_settings_save(*, portal: PortalSettings) -> PortalSettings:
    """Save the board's texts. Every page shows some of them (the stored case summary pages
    too: header, footer, the team-meetings text), so the page cache is dropped and the stored
    pages are rendered again."""
    portal.save()
    review_public_copies_refresh(search=False)
    return portal


@transaction.atomic
def review_type_save(*, review_type: ReviewType) -> ReviewType:
    review_type.save()
    review_public_copies_refresh(reviews=Review.objects.filter(review_type=review_type))
    return review_type


@transaction.atomic
def board_save(*, board: Board) -> Board:
    board.save()
    review_public_copies_refresh(reviews=Review.objects.filter(board=board))
    return board


def _reviews_naming(agency: Agency) -> QuerySet[Review]:
    return Review.objects.filter(
        Q(agencies=agency)
        | Q(chronology_events__agencies=agency)
        | Q(recommendations__agencies=agency)
        | Q(learning_points__agencies=agency)
    )


@transaction.atomic
def agency_save(*, agency: Agency) -> Agency:
    agency.save()
    review_public_copies_refresh(reviews=_reviews_naming(agency))
    return agency


@transaction.atomic
def agency_delete(*, agency: Agency) -> None:
    affected = list(_reviews_naming(agency).values_list("pk", flat=True).distinct())
    agency.delete()
    review_public_copies_refresh(reviews=Review.objects.filter(pk__in=affected))
