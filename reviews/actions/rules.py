"""The rules an action's status follows, and the dates the rules are judged on.

    not started ◀──▶ in progress
         │               │
         └──── submit ───┴──▶ evidence submitted ──accept (a second person)──▶ complete
                                 │
                                 └──reject (with a reason)──▶ in progress

- Editors move an action between "not started" and "in progress", and submit evidence
  (which needs evidence text) from either.
- Only a publisher moves it on from "evidence submitted": accepting makes it complete,
  and must not be the person who submitted the evidence (four eyes); rejecting, with a
  reason, sends it back to "in progress".
- A complete action is closed: nothing about it changes any more.
- A CSV that says `complete` means "the owner says it is done": the action becomes
  "evidence submitted" and waits for acceptance in the portal.
"""

import datetime

from django.utils import timezone

from reviews.models import Action, Review

Status = Action.Status

# Where an edit (the admin's form or a CSV row) may take an action from each status.
EDIT_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NOT_STARTED: frozenset(
        {Status.NOT_STARTED, Status.IN_PROGRESS, Status.EVIDENCE_SUBMITTED}
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.NOT_STARTED, Status.IN_PROGRESS, Status.EVIDENCE_SUBMITTED}
    ),
    Status.EVIDENCE_SUBMITTED: frozenset({Status.EVIDENCE_SUBMITTED}),
    Status.COMPLETE: frozenset({Status.COMPLETE}),
}
# The statuses a new action may start in (complete is asked as evidence submitted).
NEW_ACTION_STATUSES = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS, Status.EVIDENCE_SUBMITTED})


def refused_transition(current: str, wanted: str) -> str | None:
    """Why an edit cannot take an action from `current` to `wanted`, or None if it can."""
    if wanted in EDIT_TRANSITIONS[current]:
        return None
    label = Status(current).label.lower()
    if current == Status.COMPLETE:
        return "the action is complete (its evidence was accepted), so it cannot change"
    if current == Status.EVIDENCE_SUBMITTED:
        return (
            f"the action is {label}: a publisher accepts it or sends it back in the portal, "
            f"so it cannot be set to '{wanted}'"
        )
    return f"an action cannot go from '{current}' to '{wanted}'"


def wanted_status(value: str) -> str:
    """The status an edit asks for: `complete` is a claim, recorded as evidence submitted."""
    return Status.EVIDENCE_SUBMITTED if value == Status.COMPLETE else value


def today() -> datetime.date:
    """The day BRAG is judged on: today in the portal's time zone (Europe/London)."""
    return timezone.localdate()


def review_began_on(review: Review) -> datetime.date:
    """The first day the review is known to have existed; no action can be due before it.

    A review imported from a back catalogue was created in the portal long after it was
    published, so the earlier of its publication date and its creation counts.
    """
    # Kept on the instance: an import asks once per row of the same review.
    known = getattr(review, "_began_on", None)
    if known is None or known[0] != (review.created_at, review.published_on):
        created = timezone.localdate(review.created_at)
        began = min(created, review.published_on) if review.published_on else created
        known = ((review.created_at, review.published_on), began)
        review._began_on = known
    return known[1]
