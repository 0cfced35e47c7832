"""Anonymisation scanner for case review text: the public entry point.

Finds things in free text that could identify a child or family: postcodes, phone numbers,
e-mail addresses, NHS and National Insurance numbers, full dates, street addresses, likely
personal names and the review's own protected names.

:func:`scan_text` runs every detector and merges what they find. The detectors live in
modules named for what they look for (places, contact, id_numbers, dates, names,
protected_names); this module re-exports their public names, so
``from reviews.privacy import scanner`` is all a caller needs.

The scanner modules are pure Python (no Django import) so they can run in admin forms,
management commands and the benchmark alike. Everything expensive is compiled at import or
loaded once, lazily.

Protected names are matched through keyed hashes only: a review stores HMAC digests of its
protected names, never the names, and :class:`ProtectedNames` hashes candidate word n-grams of
the text and compares digests.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator

from reviews.privacy.contact import find_emails, find_phones
from reviews.privacy.dates import find_dates
from reviews.privacy.findings import (
    ADDRESS,
    DATE_OF_BIRTH,
    EMAIL,
    EXCERPT_CONTEXT,
    KINDS,
    NHS_NUMBER,
    NI_NUMBER,
    PERSON_NAME,
    PHONE,
    POSTCODE,
    PROTECTED_NAME,
    Finding,
    finding_at,
)
from reviews.privacy.id_numbers import find_nhs_numbers, find_ni_numbers, nhs_check_digit_ok
from reviews.privacy.names import find_person_names
from reviews.privacy.places import find_addresses, find_postcodes
from reviews.privacy.protected_names import (
    DEFAULT_MAX_PHRASE_WORDS,
    ProtectedNames,
    hash_name,
    normalise_name,
)

__all__ = [
    "ADDRESS",
    "DATE_OF_BIRTH",
    "DEFAULT_MAX_PHRASE_WORDS",
    "EMAIL",
    "EXCERPT_CONTEXT",
    "KINDS",
    "NHS_NUMBER",
    "NI_NUMBER",
    "PERSON_NAME",
    "PHONE",
    "POSTCODE",
    "PROTECTED_NAME",
    "Finding",
    "ProtectedNames",
    "hash_name",
    "nhs_check_digit_ok",
    "normalise_name",
    "scan_text",
]


def _resolve_overlaps(findings: dict[tuple[str, int, int], None]) -> list[tuple[str, int, int]]:
    """Drop NHS/phone double counts: one digit string is either a phone number or not."""
    keys = list(findings)
    phones = [(s, e) for k, s, e in keys if k == PHONE]
    nhs = {(s, e) for k, s, e in keys if k == NHS_NUMBER}
    kept = []
    for kind, s, e in keys:
        inside_phone = any(ps <= s and e <= pe and (ps, pe) != (s, e) for ps, pe in phones)
        if kind == NHS_NUMBER and inside_phone:
            continue  # digits after a +44 country code
        if kind == PHONE and (s, e) in nhs:
            continue  # ten bare digits with a valid NHS check digit
        kept.append((kind, s, e))
    return kept


def scan_text(
    text: str,
    *,
    protected_names: Iterable[str] | ProtectedNames = (),
    pseudonyms: Iterable[str] = (),
) -> list[Finding]:
    """Find likely identifiers in ``text``, sorted by start offset.

    ``protected_names`` may be clear strings (hashed here with a throwaway key) or a prepared
    :class:`ProtectedNames`. ``pseudonyms`` are the review's own stand-in names, never flagged
    as personal names.
    """
    found: dict[tuple[str, int, int], None] = {}
    detectors: tuple[tuple[str, Iterator[tuple[int, int]]], ...] = (
        (POSTCODE, find_postcodes(text)),
        (PHONE, find_phones(text)),
        (EMAIL, find_emails(text)),
        (NHS_NUMBER, find_nhs_numbers(text)),
        (NI_NUMBER, find_ni_numbers(text)),
        (DATE_OF_BIRTH, find_dates(text)),
        (ADDRESS, find_addresses(text)),
        (PERSON_NAME, find_person_names(text, _normalised_set(pseudonyms))),
    )
    for kind, spans in detectors:
        for start, end in spans:
            found[(kind, start, end)] = None

    matcher = (
        protected_names
        if isinstance(protected_names, ProtectedNames)
        else ProtectedNames.from_names(protected_names, key=secrets.token_bytes(32))
    )
    for f in matcher.scan(text):
        found[(f.kind, f.start, f.end)] = None

    kept = sorted(_resolve_overlaps(found), key=lambda k: (k[1], k[2], KINDS.index(k[0])))
    return [finding_at(text, kind, s, e) for kind, s, e in kept]


def _normalised_set(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in (normalise_name(x) for x in names) if n)
