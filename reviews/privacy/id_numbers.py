"""Detectors for official identity numbers: NHS numbers and National Insurance numbers.

Each ``find_*`` function yields ``(start, end)`` spans; reviews/privacy/scanner.py labels them.
NHS numbers count only with a valid check digit (:func:`nhs_check_digit_ok`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# --------------------------------------------------------------------------------------------
# NHS numbers
# --------------------------------------------------------------------------------------------

_NHS_RE = re.compile(r"(?<![\d+])(\d{3})([ \-]?)(\d{3})\2(\d{4})(?![\d])")


def nhs_check_digit_ok(digits: str) -> bool:
    """Modulus 11 check used by NHS numbers; a remainder giving 10 means "never issued"."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_nhs_numbers(text: str) -> Iterator[tuple[int, int]]:
    for m in _NHS_RE.finditer(text):
        if nhs_check_digit_ok(m.group(1) + m.group(3) + m.group(4)):
            yield m.start(), m.end()


# --------------------------------------------------------------------------------------------
# National Insurance numbers
# --------------------------------------------------------------------------------------------

# First letter: not D F I Q U V. Second letter: not D F I O Q U V. Suffix A-D, often omitted.
_NI_RE = re.compile(
    r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ \-]?(\d{2})[ \-]?(\d{2})[ \-]?(\d{2})"
    r"(?:[ \-]?([A-D]))?(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_NI_BAD_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def find_ni_numbers(text: str) -> Iterator[tuple[int, int]]:
    for m in _NI_RE.finditer(text):
        prefix = m.group(1)
        if prefix.upper() in _NI_BAD_PREFIXES:
            continue
        # Lower-case letters next to digits are usually prose ("at 123456"); accept them only
        # with the suffix letter, which nobody writes by accident.
        if not prefix.isupper() and m.group(5) is None:
            continue
        yield m.start(), m.end()
