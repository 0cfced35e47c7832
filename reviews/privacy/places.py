"""Detectors for where someone lives: UK postcodes and street addresses.

Each ``find_*`` function yields ``(start, end)`` spans; reviews/privacy/scanner.py labels them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reviews.privacy.text import wordset

# --------------------------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------------------------

# Deliberately looser than the Royal Mail letter rules: people plant and mistype postcodes with
# "impossible" letters, and the shape alone (letters, digit, digit, two letters) almost never
# occurs in prose. Ordinals ("Y7 2nd") are the one shape that does, so they are excluded.
_POSTCODE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR[ \t]{0,3}0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[ \t]{0,3}[0-9][A-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})


def find_postcodes(text: str) -> Iterator[tuple[int, int]]:
    for m in _POSTCODE_RE.finditer(text):
        inward = m.group()[-2:]
        if inward.lower() in _ORDINAL_SUFFIXES and not inward.isupper():
            continue
        yield m.start(), m.end()


# --------------------------------------------------------------------------------------------
# Street addresses
# --------------------------------------------------------------------------------------------

_STREET_SUFFIXES = (
    "Road|Rd|Street|St|Avenue|Ave|Av|Close|Cl|Lane|Ln|Drive|Dr|Way|Crescent|Cres|Grove|Gr|"
    "Gardens|Gdns|Garden|Court|Ct|Place|Pl|Terrace|Terr|Tce|Walk|Hill|Row|Square|Sq|Mews|Rise|"
    "View|Park|Green|Parade|Pde|Boulevard|Circus|Croft|Dale|Fields|Field|Gate|Grange|Heights|"
    "Lawn|Lawns|Lea|Mead|Meadow|Meadows|Orchard|Path|Ridge|Vale|Villas|Wharf|Wynd|Yard|Chase|"
    "Brow|Bank|Approach|Embankment|Esplanade|End|Hollow|Reach|Side|Passage|Quay|Broadway|"
    "Causeway|Circle|Copse|Dell|Glade|Glen|Wood|Woods|Bridge|Cottages|Buildings|Precinct"
)
_ABBREVIATED_SUFFIXES = wordset("Rd St Ave Av Cl Ln Dr Cres Gr Gdns Ct Pl Terr Tce Sq Pde")
_BUILDING_SUFFIXES = "Court|House|Lodge|Tower|Heights|Mansions|Buildings|Point|Block|Apartments"
_UNIT = r"(?:Flat|Apartment|Apt\.?|Unit|Maisonette|Room)[ \t]+\d{1,4}[A-Za-z]?"
_NAME_WORD = r"(?:[A-Z][a-z][A-Za-z'’\-]*|St\.?|[A-Z]'[A-Z][a-z]+)"
_ADDRESS_RE = re.compile(
    rf"(?:(?P<unit>{_UNIT}),?[ \t]+(?:{_NAME_WORD}[ \t]+)*?(?:{_BUILDING_SUFFIXES}),?[ \t]+"
    rf"|(?P<unit2>{_UNIT}),?[ \t]+)?"
    r"(?<![\w£$.,/\-])(?P<number>\d{1,4}[A-Za-z]?(?:[ \t]?[\-–][ \t]?\d{1,4}[A-Za-z]?)?),?[ \t]+"
    rf"(?P<name>(?:{_NAME_WORD}[ \t]+){{1,4}}?)(?P<suffix>{_STREET_SUFFIXES})\.?(?![\w])"
    rf"|(?P<unit3>{_UNIT}),?[ \t]+(?:{_NAME_WORD}[ \t]+){{1,3}}?(?:{_BUILDING_SUFFIXES})(?![\w])"
)
# Numbers after these words are references or quantities, not house numbers.
_NON_HOUSE_NUMBER_RE = re.compile(
    r"(?<![\w'’])(?:section|s|level|tier|page|para|paragraph|stage|step|chapter|article|"
    r"regulation|rule|schedule|part|appendix|recommendation|finding|figure|table|year|aged|age|"
    r"version|phase|week|day|month|key stage|ks)\.?[ \t]*$",
    re.IGNORECASE,
)
# Institutions that end in a street suffix ("2 Family Court hearings").
_INSTITUTION_WORDS = wordset(
    """
    Family Crown County High Magistrates Magistrates' Youth Supreme Appeal Coroner's Coroners
    Juvenile Business Retail Industrial Science Theme Car Country National Minute Mile
    """
)


def find_addresses(text: str) -> Iterator[tuple[int, int]]:
    for m in _ADDRESS_RE.finditer(text):
        if m.group("unit3"):
            yield m.start(), m.end()
            continue
        has_unit = bool(m.group("unit") or m.group("unit2"))
        number = m.group("number")
        if not has_unit:
            if number.isdigit() and 1900 <= int(number) <= 2099:
                continue  # a year followed by a title-case phrase
            if _NON_HOUSE_NUMBER_RE.search(text, max(0, m.start() - 20), m.start()):
                continue
        name_words = m.group("name").split()
        if m.group("suffix") in {"Court", "Ct", "Park", "Walk"} and any(
            w in _INSTITUTION_WORDS for w in name_words
        ):
            continue
        if m.group("suffix") in {"St", "Dr"} and len(name_words) == 1 and name_words[0] == "St":
            continue
        end = m.end()
        if text[end - 1] == "." and m.group("suffix") not in _ABBREVIATED_SUFFIXES:
            end -= 1  # a full stop after "Road" ends the sentence
        yield m.start(), end
