"""What the scanner reports: the kinds of identifier, and a Finding with its excerpt.

Every detector module returns bare ``(start, end)`` spans; the scanner (reviews/privacy/scanner.py)
and the protected-name matcher (reviews/privacy/protected_names.py) turn spans into
:class:`Finding` objects here, so the kinds and the excerpt rule are defined once.
"""

from __future__ import annotations

from dataclasses import dataclass

POSTCODE = "postcode"
PHONE = "phone"
EMAIL = "email"
NHS_NUMBER = "nhs-number"
NI_NUMBER = "ni-number"
DATE_OF_BIRTH = "date-of-birth"
ADDRESS = "address"
PERSON_NAME = "person-name"
PROTECTED_NAME = "protected-name"

KINDS: tuple[str, ...] = (
    POSTCODE,
    PHONE,
    EMAIL,
    NHS_NUMBER,
    NI_NUMBER,
    DATE_OF_BIRTH,
    ADDRESS,
    PERSON_NAME,
    PROTECTED_NAME,
)

EXCERPT_CONTEXT = 30


@dataclass(frozen=True, slots=True)
class Finding:
    """One suspected identifier: ``text[start:end]`` is the identifier itself."""

    kind: str
    start: int
    end: int
    excerpt: str


def _excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - EXCERPT_CONTEXT)
    right = min(len(text), end + EXCERPT_CONTEXT)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def finding_at(text: str, kind: str, start: int, end: int) -> Finding:
    return Finding(kind=kind, start=start, end=end, excerpt=_excerpt(text, start, end))
