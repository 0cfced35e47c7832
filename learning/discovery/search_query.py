"""Reading what a visitor typed into a search (learning/discovery/search.py uses these).

Any text is a valid query: it is cleaned and cut to MAX_QUERY_LENGTH, never passed to a
parser that can fail. PostgreSQL reads the cleaned text itself (websearch_to_tsquery);
`parse_terms` reads it the same way for everything else: the word limit
(learning/discovery/search_limits.py), FTS5 expressions, suggestions and excerpts cut in Python.
"""

import re
from dataclasses import dataclass

MAX_QUERY_LENGTH = 300
MAX_TERMS = 24
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass
class Term:
    words: list[str]
    negated: bool = False
    or_before: bool = False


def clean_query(raw: str | None) -> str:
    """The query as searched: control characters gone, whitespace collapsed, length capped."""
    text = _CONTROL.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def parse_terms(query: str) -> list[Term]:
    """Words and "phrases" as websearch_to_tsquery reads them: `or` between, `-` to exclude."""
    terms: list[Term] = []
    pending_or = False
    for match in _TOKEN.finditer(query):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or" and terms:
                pending_or = True
                continue
            negated = "-" if bare.startswith("-") and len(bare) > 1 else ""
            text = bare[1:] if negated else bare
        else:
            text = phrase
        words = _WORD.findall(text.lower())
        if not words:
            continue
        terms.append(Term(words=words[:16], negated=bool(negated), or_before=pending_or))
        pending_or = False
        if len(terms) >= MAX_TERMS:
            break
    return terms


def positive_words(query: str) -> list[str]:
    """The words a match may hold (not the excluded ones), for marking excerpts."""
    return [word for term in parse_terms(query) if not term.negated for word in term.words]


def fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression; every word is quoted, so no input can be an operator."""

    def phrase(term: Term) -> str:
        return '"' + " ".join(term.words) + '"'

    groups: list[list[str]] = []
    for term in terms:
        if term.negated:
            continue
        if term.or_before and groups:
            groups[-1].append(phrase(term))
        else:
            groups.append([phrase(term)])
    if not groups:
        return ""
    expression = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
    for term in terms:
        if term.negated:
            expression = f"({expression}) NOT {phrase(term)}"
    return expression


def crude_stem(word: str) -> str:
    """A word without its commonest English endings, where no database stems it."""
    for suffix in ("ments", "ment", "ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
