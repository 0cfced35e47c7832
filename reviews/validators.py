"""Validators shared by the review models and the review document format."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value: str) -> tuple[int, int | None, int | None]:
    """Split YYYY, YYYY-MM or YYYY-MM-DD into numbers, refusing dates that do not exist."""
    match = PARTIAL_DATE.match(value or "")
    if not match:
        raise ValueError(f"{value!r} is not a date written as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    datetime.date(year, month or 1, day or 1)  # raises ValueError for 2015-02-30 or month 13
    return year, month, day


def validate_partial_date(value: str) -> None:
    if not value:
        return
    try:
        parse_partial_date(value)
    except ValueError as error:
        raise ValidationError(str(error)) from error


validate_https_url = URLValidator(
    schemes=["https"], message="Enter a full web address starting with https://."
)


def validate_keywords(value: str) -> None:
    for keyword in split_keywords(value):
        if len(keyword) > 60:
            raise ValidationError(f"Keep each keyword under 60 characters: {keyword[:60]!r}…")


def split_keywords(value: str) -> list[str]:
    return [keyword.strip() for keyword in (value or "").split(",") if keyword.strip()]


# The statutory dates of a review (docs/statutory-deadlines.md), in the order they happen.
STATUTORY_DATE_FIELDS = (
    "incident_known_on",
    "panel_notified_on",
    "rapid_review_sent_on",
    "sent_to_panel_on",
)
_STATUTORY_WORDS = {
    "panel_notified_on": "the Panel cannot be notified of an incident before it was known",
    "rapid_review_sent_on": "a rapid review cannot be sent before the incident was known",
    "sent_to_panel_on": "a final report cannot be sent before the incident was known",
}


def statutory_date_order_problems(dates: dict[str, datetime.date | None]) -> dict[str, str]:
    """Field -> why its date cannot be, for statutory dates before `incident_known_on`.

    Only what cannot happen is refused: a rapid review sent before the Panel was notified is
    late paperwork, not an impossible date, so the order of the later three is not checked.
    """
    known = dates.get("incident_known_on")
    if known is None:
        return {}
    return {
        name: f"{value.isoformat()} is before incident_known_on ({known.isoformat()}): {why}"
        for name, why in _STATUTORY_WORDS.items()
        if (value := dates.get(name)) is not None and value < known
    }
