"""Protected names, matched by keyed hash: normalising, hashing and the matcher.

A review stores HMAC digests of its protected names, never the names, and
:class:`ProtectedNames` hashes candidate word n-grams of the text and compares digests.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import NamedTuple

from reviews.privacy.findings import PROTECTED_NAME, Finding, finding_at
from reviews.privacy.text import fold, wordset

# Phrases are trimmed of these words at both ends, so n-grams that start or end with them never
# need hashing: that keeps the scan fast without weakening matches.
_EDGE_STOPWORDS = wordset(
    """
    a an and as at be but by for from had has have he her his i in is it its of on or
    she so that the their them they this to was were which who with
    """
)
DEFAULT_MAX_PHRASE_WORDS = 4


_NORM_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*'?")


def _normalise_word(word: str) -> str:
    if word.endswith(("'s", "s'")):
        word = word[:-2]
    return word.replace("'", "")


def normalise_name(s: str) -> str:
    """Canonical form of a name or phrase, as hashed for storage and matching.

    Casefolded, accents removed, possessive 's / s' stripped, punctuation dropped (hyphens
    split words), whitespace collapsed, and leading/trailing function words ("the") trimmed.
    """
    words = [_normalise_word(w) for w in _NORM_WORD_RE.findall(fold(s))]
    words = [w for w in words if w]
    while words and words[0] in _EDGE_STOPWORDS:
        words.pop(0)
    while words and words[-1] in _EDGE_STOPWORDS:
        words.pop()
    return " ".join(words)


def hash_name(name: str, *, key: bytes) -> str:
    """HMAC-SHA256 hex digest of ``normalise_name(name)``: what a review stores."""
    return hmac.new(key, normalise_name(name).encode("utf-8"), hashlib.sha256).hexdigest()


class _TextWords(NamedTuple):
    starts: list[int]
    ends: list[int]  # end of each word without a possessive ending
    norms: list[str]  # normalised words
    joined: list[bool]  # whether word i and word i + 1 can belong to one phrase
    # "James'" may be James's or the Jameses': the second reading of such words, by index.
    alternates: dict[int, tuple[str, int]]


def _text_words(text: str) -> _TextWords:
    folded = fold(text)
    # Folding can change length (ligatures, "ß"); then fold word by word to keep offsets exact.
    aligned = len(folded) == len(text)
    words = _TextWords([], [], [], [], {})
    previous_end = -1
    for m in _NORM_WORD_RE.finditer(folded if aligned else text):
        raw = m.group() if aligned else fold(m.group())
        start, end = m.start(), m.end()
        if "'" in raw:
            norm, core_end = _normalise_word(raw), _possessive_end(raw, end)
            if raw.endswith("s'"):
                words.alternates[len(words.norms)] = (raw[:-1].replace("'", ""), end - 1)
        else:
            norm, core_end = raw, end
        if words.norms:
            words.joined.append(_phrase_gap_ok(text[previous_end:start]))
        words.starts.append(start)
        words.ends.append(core_end)
        words.norms.append(norm)
        previous_end = end
    words.joined.append(False)
    return words


def _phrase_gap_ok(gap: str) -> bool:
    return len(gap) <= 3 and not gap.strip(" \t\n-")


def _possessive_end(raw: str, end: int) -> int:
    if raw.endswith(("'s", "s'")):
        return end - 2
    return end - 1 if raw.endswith("'") else end


class ProtectedNames:
    """Matcher for a review's protected names that holds only keyed digests, never names."""

    __slots__ = ("_digests", "_key", "max_words")

    def __init__(
        self, digests: Iterable[str], *, key: bytes, max_words: int = DEFAULT_MAX_PHRASE_WORDS
    ) -> None:
        if not key:
            raise ValueError("a non-empty HMAC key is required")
        self._key = bytes(key)
        self._digests = frozenset(bytes.fromhex(d) for d in digests)
        self.max_words = max(1, max_words)

    @classmethod
    def from_digests(
        cls, digests: Iterable[str], *, key: bytes, max_words: int = DEFAULT_MAX_PHRASE_WORDS
    ) -> ProtectedNames:
        """Build from stored hex digests (as produced by :func:`hash_name`)."""
        return cls(digests, key=key, max_words=max_words)

    @classmethod
    def from_names(cls, names: Iterable[str], *, key: bytes) -> ProtectedNames:
        """Hash clear names straight away; the clear strings are not kept."""
        normalised = {normalise_name(n) for n in names}
        normalised.discard("")
        max_words = max((len(n.split()) for n in normalised), default=1)
        digests = [hash_name(n, key=key) for n in normalised]
        return cls(digests, key=key, max_words=max_words)

    @property
    def digests(self) -> frozenset[str]:
        """Hex digests, for storage alongside ``max_words``."""
        return frozenset(d.hex() for d in self._digests)

    def __bool__(self) -> bool:
        return bool(self._digests)

    def __repr__(self) -> str:
        return f"ProtectedNames(<{len(self._digests)} digests>, max_words={self.max_words})"

    def scan(self, text: str) -> list[Finding]:
        if not self._digests:
            return []
        spans = self._spans(text)
        return [finding_at(text, PROTECTED_NAME, s, e) for s, e in spans]

    def _spans(self, text: str) -> list[tuple[int, int]]:
        words = _text_words(text)
        norms, ends, joined, alternates = words.norms, words.ends, words.joined, words.alternates
        key, digests, stop = self._key, self._digests, _EDGE_STOPWORDS
        seen: dict[str, bool] = {}

        def hit(phrase: str) -> bool:
            found = seen.get(phrase)
            if found is None:
                digest = hmac.digest(key, phrase.encode("utf-8"), "sha256")
                found = seen[phrase] = digest in digests
            return found

        spans: list[tuple[int, int]] = []
        covered_until = -1
        count = len(norms)
        # A plain loop rather than a generator of n-grams: this is the hot path of a scan.
        for i in range(count):
            phrase = norms[i]
            if not phrase or phrase in stop:
                continue
            best_end = ends[i] if hit(phrase) else -1
            if i in alternates and hit(alternates[i][0]):
                best_end = max(best_end, alternates[i][1])
            for k in range(i + 1, min(i + self.max_words, count)):
                if not joined[k - 1]:
                    break
                stem = phrase
                phrase = f"{stem} {norms[k]}"
                if norms[k] in stop:
                    continue
                if hit(phrase):
                    best_end = max(best_end, ends[k])
                if k in alternates and hit(f"{stem} {alternates[k][0]}"):
                    best_end = max(best_end, alternates[k][1])
            if best_end > covered_until:
                spans.append((words.starts[i], best_end))
                covered_until = best_end
        return spans
