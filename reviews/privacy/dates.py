"""Detector for full calendar dates (any of which could be a date of birth).

:func:`find_dates` yields ``(start, end)`` spans; reviews/privacy/scanner.py labels them as
dates of birth. ``MONTH_WORDS`` is shared with the name lists: a month is never a first name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTH_WORDS = frozenset(name.capitalize() for name in _MONTHS)
_MONTH_LOOKUP = {**_MONTHS, **{name[:3]: num for name, num in _MONTHS.items()}, "sept": 9}
_MONTH_ALT = "|".join(sorted(_MONTH_LOOKUP, key=len, reverse=True))
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2}|['’]\d{2})"
_MONTH = rf"(?P<month>{_MONTH_ALT})\.?"

_DATE_DMY_TEXT_RE = re.compile(
    rf"(?<![\w]){_DAY}(?:[ \t]+of)?[ \t\-]+{_MONTH},?[ \t\-]+{_YEAR}(?![\w])", re.IGNORECASE
)
_DATE_MDY_TEXT_RE = re.compile(
    rf"(?<![\w]){_MONTH}[ \t]+{_DAY},?[ \t]+{_YEAR}(?![\w])", re.IGNORECASE
)
_DATE_DMY_NUM_RE = re.compile(
    r"(?<![\d/.\-])(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    r"(?!\d|[/.\-]\d)"
)
_DATE_YMD_NUM_RE = re.compile(
    r"(?<![\d/.\-])(?P<year>(?:1[89]|20)\d{2})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)"
    r"(?P<day>\d{1,2})(?!\d|[/.\-]\d)"
)
# Numbered references look like dotted dates ("section 4.12.10"); the word before tells them
# apart.
_REFERENCE_WORD_RE = re.compile(
    r"(?:section|sections|s|para|paragraph|paragraphs|page|pages|pp|p|figure|fig|table|"
    r"chapter|appendix|recommendation|version|v|step|item|clause|regulation|rule|standard|"
    r"point|finding|no|number)\.?[ \t]*$",
    re.IGNORECASE,
)


def _year_value(raw: str) -> int:
    digits = raw.lstrip("'’")
    if len(digits) == 4:
        return int(digits)
    # Two-digit years in case files are overwhelmingly this century or the last one.
    value = int(digits)
    return 2000 + value if value < 40 else 1900 + value


def _is_real_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def find_dates(text: str) -> Iterator[tuple[int, int]]:
    for regex in (_DATE_DMY_TEXT_RE, _DATE_MDY_TEXT_RE):
        for m in regex.finditer(text):
            month_word = m.group("month")
            if month_word == "may" or month_word == "mar":
                # Modal "may" and lower-case abbreviations are prose, not months.
                continue
            month = _MONTH_LOOKUP[month_word.lower()]
            if _is_real_date(_year_value(m.group("year")), month, int(m.group("day"))):
                yield m.start(), m.end()
    for m in _DATE_YMD_NUM_RE.finditer(text):
        if _is_real_date(int(m.group("year")), int(m.group("month")), int(m.group("day"))):
            yield m.start(), m.end()
    for m in _DATE_DMY_NUM_RE.finditer(text):
        if _REFERENCE_WORD_RE.search(text, max(0, m.start() - 20), m.start()):
            continue
        if m.group("sep") == "." and len(m.group("year")) == 2 and len(m.group("b")) == 1:
            continue  # "3.2.14" is a heading number far more often than a date
        year = _year_value(m.group("year"))
        a, b = int(m.group("a")), int(m.group("b"))
        # UK order first; fall back to US order only when the UK reading is impossible.
        if _is_real_date(year, b, a) or (b > 12 and _is_real_date(year, a, b)):
            yield m.start(), m.end()
