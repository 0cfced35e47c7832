"""Detector for likely personal names: a first name and surname, or a title and surname.

:func:`find_person_names` yields ``(start, end)`` spans; reviews/privacy/scanner.py labels them.
The lists it relies on (first names, surnames, words that are never names) are in
reviews/privacy/name_lists.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from reviews.privacy.name_lists import (
    NEVER_FIRST_NAMES,
    NOT_SURNAMES,
    PLACE_SURNAMES,
    PUBLIC_CASE_NAMES_FOLDED,
    TITLES,
    NameData,
    name_data,
)
from reviews.privacy.protected_names import normalise_name
from reviews.privacy.text import fold

# Only capitalised words can be part of a name, and matching only them keeps the token list short;
# any lower-case word between two tokens then shows up in the gap and breaks adjacency.
_CAP_TOKEN_RE = re.compile(
    r"(?<![^\W_])[A-ZÀ-ÖØ-Þ\u0100-\u017f][^\W\d_]*(?:['’\-][^\W\d_]+)*(?:['’](?![^\W\d_]))?"
)
_INITIAL_RE = re.compile(r"[A-Z]\.?$")
_HOUSE_NUMBER_BEFORE_RE = re.compile(r"\d[A-Za-z]?,?[ \t]+$")
_SAINT_BEFORE_RE = re.compile(r"(?:St|St\.|Saint)[ \t]+$")


class _Token(NamedTuple):
    start: int
    end: int  # end of the word without any possessive ending
    word: str  # the word without any possessive ending


def _strip_possessive(word: str) -> str:
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word.endswith(("'", "’")):
        return word[:-1]
    return word


def _word_tokens(text: str) -> list[_Token]:
    tokens = []
    for m in _CAP_TOKEN_RE.finditer(text):
        word = _strip_possessive(m.group())
        if word[0].isupper():
            tokens.append(_Token(m.start(), m.start() + len(word), word))
    return tokens


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.end : right.start]
    if not 0 < len(gap) <= 3 or gap.strip(" \t.") != "" or gap.count(".") > 1:
        return False
    # A full stop only joins an initial or a title ("J. Smith", "Mr. Smith"), not sentences.
    return "." not in gap or len(left.word) == 1 or left.word in TITLES


def _is_capitalised(word: str) -> bool:
    return len(word) >= 2 and word[0].isupper() and not word.isupper() and word[1:] != ""


def _is_first_name(word: str, data: NameData) -> bool:
    if not _is_capitalised(word):
        return False
    if word in data.first_names:
        return True
    # Double-barrelled first names ("Mary-Jane") are rarely listed whole.
    parts = word.split("-")
    return len(parts) > 1 and all(p in data.first_names for p in parts)


def _surname_ok(word: str, data: NameData, *, strict: bool) -> bool:
    if not _is_capitalised(word) or word in NOT_SURNAMES:
        return False
    if word in data.surnames:
        return True
    if strict:
        return False
    parts = word.replace("’", "'").split("-")
    return all(p.lower() not in data.common_words for p in parts) and word not in TITLES


def find_person_names(text: str, pseudonyms: frozenset[str]) -> Iterator[tuple[int, int]]:
    data = name_data()
    tokens = _word_tokens(text)
    i = 0
    while i < len(tokens):
        span = _name_at(text, tokens, i, data)
        if span is None:
            i += 1
            continue
        start, end, last = span
        candidate = normalise_name(text[start:end])
        bare = normalise_name(
            " ".join(t.word for t in tokens[i : last + 1] if t.word not in TITLES)
        )
        public = fold(text[start:end]).replace("-", " ") in PUBLIC_CASE_NAMES_FOLDED
        if candidate not in pseudonyms and bare not in pseudonyms and not public:
            yield start, end
        i = last + 1


def _name_at(
    text: str, tokens: list[_Token], i: int, data: NameData
) -> tuple[int, int, int] | None:
    """Return (start, end, index of last token) of a name starting at token ``i``."""
    tok = tokens[i]
    title = tok.word in TITLES
    first_index = i + 1 if title else i
    if title and (first_index >= len(tokens) or not _adjacent(text, tok, tokens[first_index])):
        return None
    first = tokens[first_index] if first_index < len(tokens) else None
    if first is None:
        return None

    if _is_first_name(first.word, data):
        if not title and (
            _HOUSE_NUMBER_BEFORE_RE.search(text, max(0, first.start - 8), first.start)
            or _SAINT_BEFORE_RE.search(text, max(0, first.start - 7), first.start)
        ):
            return None
        last = _surname_index(text, tokens, first_index, data, weak=first.word in data.word_names)
        if last is None:
            if title and _surname_ok(first.word, data, strict=False):
                return tok.start, first.end, first_index  # "Mrs Grace"
            return None
        if _followed_by_institution(text, tokens, last):
            return None
        return tok.start, tokens[last].end, last

    if title and _surname_ok(first.word, data, strict=False) and first.word not in TITLES:
        return tok.start, first.end, first_index  # "Mr Okonkwo"
    if not title and _unlisted_first_name_ok(text, tokens, i, data):
        return tok.start, tokens[i + 1].end, i + 1  # "Adebayo Okafor": known surname
    return None


def _unlisted_first_name_ok(text: str, tokens: list[_Token], i: int, data: NameData) -> bool:
    """A first name missing from the lists is still likely when a known surname follows."""
    if i + 1 >= len(tokens):
        return False
    first, surname = tokens[i], tokens[i + 1]
    if not _adjacent(text, first, surname) or text[first.end : first.end + 1] in ("'", "’"):
        return False
    if (
        not _is_capitalised(first.word)
        or first.word in NEVER_FIRST_NAMES
        or first.word in NOT_SURNAMES
        or first.word.lower() in data.common_words
        or "-" in first.word
    ):
        return False
    if surname.word not in data.surnames or surname.word in PLACE_SURNAMES:
        return False
    if not _surname_ok(surname.word, data, strict=True):
        return False
    if _HOUSE_NUMBER_BEFORE_RE.search(text, max(0, first.start - 8), first.start):
        return False
    return not _followed_by_institution(text, tokens, i + 1)


def _surname_index(
    text: str, tokens: list[_Token], first_index: int, data: NameData, *, weak: bool
) -> int | None:
    """Index of the surname after a first name, allowing middle names and initials."""
    j = first_index + 1
    prev = tokens[first_index]
    # A possessive first name ("Sarah's Mother") ends the name.
    if text[prev.end : prev.end + 1] in ("'", "’"):
        return None
    found = None
    for _ in range(3):
        if j >= len(tokens) or not _adjacent(text, prev, tokens[j]):
            break
        word = tokens[j].word
        if _INITIAL_RE.match(word) and len(word) <= 2:
            prev, j = tokens[j], j + 1
            continue
        if not _surname_ok(word, data, strict=weak and found is None):
            break
        found = j
        if text[tokens[j].end : tokens[j].end + 1] in ("'", "’"):
            break  # possessive surname ends the name
        if word not in data.first_names:
            break
        prev, j = tokens[j], j + 1
    return found


def _followed_by_institution(text: str, tokens: list[_Token], last: int) -> bool:
    nxt = last + 1
    if nxt >= len(tokens) or not _adjacent(text, tokens[last], tokens[nxt]):
        return False
    return tokens[nxt].word in NOT_SURNAMES and tokens[nxt].word[0].isupper()
