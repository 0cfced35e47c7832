"""Checks on an action's fields, shared by the services (one message) and the CSV import
(one message per column, with the file and line)."""

import dataclasses
import datetime
import difflib

from reviews.actions.rules import review_began_on
from reviews.models import Action, Agency, Review
from reviews.models.actions import ACTION_TEXT_MAX

# Progress notes and evidence are plain text; the cap bounds what one row can cost.
NOTES_TEXT_MAX = 10_000


@dataclasses.dataclass
class ActionFields:
    """What a person may set on an action (status apart, which follows rules.py)."""

    description: str
    owner: Agency
    due_on: datetime.date
    progress: str = ""
    evidence: str = ""

    def cleaned(self) -> "ActionFields":
        return ActionFields(
            description=plain_text(self.description),
            owner=self.owner,
            due_on=self.due_on,
            progress=plain_text(self.progress),
            evidence=plain_text(self.evidence),
        )

    def model_values(self) -> dict:
        return {
            "description": self.description,
            "owner": self.owner,
            "due_on": self.due_on,
            "progress": self.progress,
            "evidence": self.evidence,
        }

    def differs_from(self, action: Action) -> bool:
        return (
            self.description != action.description
            or self.owner.pk != action.owner_id
            or self.due_on != action.due_on
            or self.progress != action.progress
            or self.evidence != action.evidence
        )


def plain_text(value: str) -> str:
    """One spelling of line breaks (forms send CRLF, files either), no edge whitespace."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def recommendation_count(review: Review) -> int:
    return review.recommendations.count()


def recommendation_problem(review: Review, number: int, count: int) -> str | None:
    if number < 1 or number > count:
        if count == 0:
            return f"review '{review.slug}' has no recommendations"
        return (
            f"review '{review.slug}' has {count} recommendation{'s' if count != 1 else ''}; "
            f"there is no recommendation {number}"
        )
    return None


def field_problems(review: Review, fields: ActionFields) -> list[tuple[str, str]]:
    """(field, message) for each thing wrong with `fields` (already cleaned)."""
    problems = []
    if not fields.description:
        problems.append(("action", "say what will be done"))
    elif len(fields.description) > ACTION_TEXT_MAX:
        problems.append(
            (
                "action",
                f"at most {ACTION_TEXT_MAX:,} characters ({len(fields.description):,} given)",
            )
        )
    began = review_began_on(review)
    if fields.due_on < began:
        problems.append(
            (
                "due",
                f"{fields.due_on.isoformat()} is before the review existed ({began.isoformat()})",
            )
        )
    for name, value in (("progress", fields.progress), ("evidence", fields.evidence)):
        if len(value) > NOTES_TEXT_MAX:
            problems.append((name, f"at most {NOTES_TEXT_MAX:,} characters ({len(value):,} given)"))
    return problems


def did_you_mean(value: str, known: list[str]) -> str:
    """` (did you mean 'X'?)` for the closest known name, or nothing if none is close."""
    by_folded = {name.casefold(): name for name in known}
    close = difflib.get_close_matches(value.casefold(), list(by_folded), n=1, cutoff=0.6)
    return f" (did you mean '{by_folded[close[0]]}'?)" if close else ""
