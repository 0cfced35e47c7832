"""A board's closure days, added, changed and removed: keyword-only, checked, atomic.

Closure days belong to a board, not to one review, so they are not in the review audit log;
the admin's own history records who changed them.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from reviews.models import ClosureDay
from reviews.records import WorkflowError, require_permission


@transaction.atomic
def closure_day_save(*, closure_day: ClosureDay, user: AbstractBaseUser) -> ClosureDay:
    """Add or change a closure day; a second one on the same date for the board is refused."""
    adding = closure_day._state.adding
    require_permission(
        user,
        "reviews.add_closureday" if adding else "reviews.change_closureday",
        "add closure days" if adding else "change closure days",
    )
    try:
        closure_day.full_clean()
    except ValidationError as error:
        raise WorkflowError(error.messages) from error
    closure_day.save()
    return closure_day


@transaction.atomic
def closure_day_delete(*, closure_day: ClosureDay, user: AbstractBaseUser) -> None:
    require_permission(user, "reviews.delete_closureday", "remove closure days")
    closure_day.delete()
