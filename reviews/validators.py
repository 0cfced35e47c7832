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
