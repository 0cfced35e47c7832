"""Finding glossary terms in text: one compiled pattern for the whole glossary.

Acronyms (all capitals: "GP", "A&E") match exactly, with an optional plural "s" ("GPs");
other terms ("CP plan", "Section 47") match whatever their case, with any spacing between
their words. A term never matches inside a longer word ("GPS" is not "GP").
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import get_language


@dataclass(frozen=True)
class Term:
    """A glossary term as pages use it (plain values: kept in memory between requests)."""

    term: str
    meaning: str
    slug: str
    is_acronym: bool
    term_cy: str = ""
    meaning_cy: str = ""

    @property
    def anchor(self) -> str:
        return f"term-{self.slug}"

    def shown(self, language: str | None = None) -> tuple[str, str]:
        """(term, meaning) in the page's language: the Welsh where it has been given."""
        language = (language or get_language() or "en")[:2]
        if language == "cy" and self.meaning_cy:
            return self.term_cy or self.term, self.meaning_cy
        return self.term, self.meaning


def _key(text: str, *, acronym: bool) -> str:
    return text if acronym else " ".join(text.split()).lower()


@dataclass
class Glossary:
    """Every term, and the pattern that finds them."""

    terms: list[Term]
    pattern: re.Pattern | None = None
    # Changes whenever a term or meaning does: part of the key of stored PDFs (learning/pdf.py).
    version: str = ""
    _acronyms: dict[str, Term] = field(default_factory=dict)
    _phrases: dict[str, Term] = field(default_factory=dict)

    def __post_init__(self) -> None:
        everything = sorted(
            (t.term, t.meaning, t.slug, t.term_cy, t.meaning_cy) for t in self.terms
        )
        self.version = hashlib.sha256(repr(everything).encode()).hexdigest()[:16]
        parts = []
        # Longest first, so "CP plan" wins over "CP".
        for term in sorted(self.terms, key=lambda t: -len(t.term)):
            words = term.term.split()
            if not words:
                continue
            body = r"\s+".join(re.escape(word) for word in words)
            if term.is_acronym:
                self._acronyms[_key(term.term, acronym=True)] = term
                parts.append(f"{body}(?:s|’s|'s)?")
            else:
                self._phrases[_key(term.term, acronym=False)] = term
                parts.append(f"(?i:{body})")
        if parts:
            self.pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + r")(?![^\W_])")

    def term_for(self, matched: str) -> Term | None:
        for candidate in (matched, re.sub(r"(?:s|’s|'s)$", "", matched)):
            if candidate in self._acronyms:
                return self._acronyms[candidate]
        return self._phrases.get(_key(matched, acronym=False))

    def finditer(self, text: str) -> Iterable[tuple[re.Match, Term]]:
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            term = self.term_for(match.group(0))
            if term is not None:
                yield match, term

    def used_in(self, text: str) -> list[Term]:
        """The terms `text` uses, each once, in order of first use."""
        return list({term.slug: term for _, term in self.finditer(text)}.values())
