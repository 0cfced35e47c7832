"""Detectors for ways to reach someone: e-mail addresses and phone numbers.

Each ``find_*`` function yields ``(start, end)`` spans; reviews/privacy/scanner.py labels them.
Phone numbers are checked with the ``phonenumbers`` library, only near phone-shaped text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

# --------------------------------------------------------------------------------------------
# E-mail addresses
# --------------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]*"
    r"(?:@|[ \t]?[\[(][ \t]?at[ \t]?[\])][ \t]?)"
    r"[A-Za-z0-9-]+(?:(?:\.|[ \t]?[\[(][ \t]?dot[ \t]?[\])][ \t]?)[A-Za-z0-9-]+)*"
    r"(?:\.|[ \t]?[\[(][ \t]?dot[ \t]?[\])][ \t]?)[A-Za-z]{2,}(?![\w-])",
    re.IGNORECASE,
)


def find_emails(text: str) -> Iterator[tuple[int, int]]:
    for m in _EMAIL_RE.finditer(text):
        yield m.start(), m.end()


# --------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------

# Only text near something phone-shaped is handed to phonenumbers, which is far slower than a
# regex; the window is generous so the library still sees the whole number and its neighbours.
_PHONE_HINT_RE = re.compile(r"(?:\+|\b0|\(0|\b44)[\d \-().]{8,}")
_PHONE_WINDOW = 40


def _phone_windows(text: str) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for m in _PHONE_HINT_RE.finditer(text):
        if sum(c.isdigit() for c in m.group()) < 9:
            continue
        start = max(0, m.start() - _PHONE_WINDOW)
        end = min(len(text), m.end() + _PHONE_WINDOW)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _plausible_phone(match: phonenumbers.PhoneNumberMatch) -> bool:
    raw = match.raw_string.strip()
    number = match.number
    nsn = phonenumbers.national_significant_number(number)
    if number.country_code == 44:
        # POSSIBLE leniency is needed for Ofcom's drama ranges (07700 900xxx, 01632 960xxx),
        # which are not "valid"; the prefix test then keeps dates and bare digit runs out.
        return raw.startswith(("+", "0", "(0", "(+", "44")) and len(nsn) in (9, 10)
    return raw.startswith(("+", "00", "(+")) and phonenumbers.is_possible_number(number)


def find_phones(text: str) -> Iterator[tuple[int, int]]:
    for w_start, w_end in _phone_windows(text):
        window = text[w_start:w_end]
        matcher = phonenumbers.PhoneNumberMatcher(
            window, "GB", leniency=phonenumbers.Leniency.POSSIBLE
        )
        for match in matcher:
            if _plausible_phone(match):
                start, end = w_start + match.start, w_start + match.end
                raw = match.raw_string
                if raw.startswith("(") and raw.count("(") > raw.count(")"):
                    start += 1  # the matcher keeps the bracket of "(07911 123456)"
                yield start, end
