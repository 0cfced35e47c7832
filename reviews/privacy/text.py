"""Small text helpers shared by the detectors: word lists written as one string, and folding.

``fold`` is the case- and accent-insensitive form that person names and protected names are
compared in.
"""

from __future__ import annotations

import re
import unicodedata


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_COMBINING_RE = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(s: str) -> str:
    if not s.isascii():
        s = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", s))
        s = s.replace("’", "'").replace("‘", "'")
    return s.casefold()
