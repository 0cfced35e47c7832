"""Reading the glossary: for pages (kept in memory per process), for /glossary/, and the
acronyms a review uses that the glossary does not know (a warning before publishing)."""

import re
import threading

from portal.cache import public_cache_generation
from reviews.glossary.matching import Glossary, Term
from reviews.models import (
    AnalysisFinding,
    ChronologyEvent,
    DiscussionPrompt,
    GlossaryTerm,
    LearningPoint,
    Recommendation,
    Review,
)

_lock = threading.Lock()
_held: tuple[str, Glossary] | None = None


def _term(row: GlossaryTerm) -> Term:
    return Term(
        term=row.term,
        meaning=row.meaning,
        slug=row.slug,
        is_acronym=row.is_acronym,
        term_cy=row.term_cy,
        meaning_cy=row.meaning_cy,
    )


def glossary_read() -> Glossary:
    """The glossary as it is in the database now (one query)."""
    return Glossary([_term(row) for row in GlossaryTerm.objects.all()])


def glossary_current() -> Glossary:
    """The glossary for rendering pages: read once per process per change of what is public.

    Every change of the glossary goes through reviews/glossary/services.py, which moves the
    public cache's generation on (portal/cache.py), so pages rendered live (themes, sheets)
    cost no query for it and never show a stale meaning.
    """
    global _held
    generation = public_cache_generation()
    held = _held
    if held is not None and held[0] == generation:
        return held[1]
    with _lock:
        glossary = glossary_read()
        _held = (generation, glossary)
    return glossary


def glossary_forget() -> None:
    """Drop the copy held in memory (the services call it; tests too)."""
    global _held
    _held = None


def glossary_list() -> list[GlossaryTerm]:
    """Every term, A to Z, for /glossary/."""
    return list(GlossaryTerm.objects.all())


# A capital and one or more capitals or digits (with "&" inside): "GP", "A&E", "S47".
# A plural "s" is allowed and left off ("GPs" is "GP").
ACRONYM = re.compile(r"(?<![^\W_])([A-Z][A-Z0-9&]*[A-Z0-9])(?:s|'s|’s)?(?![^\W_])")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
# Three digits or more: a reference number or a year ("BSCP2020"), not an acronym to explain.
_REFERENCE = re.compile(r"\d{3}")
# Capitals that need no explaining, or are not acronyms at all.
STOPLIST = {"UK", "OK", "TV", "AM", "PM", "ID", "FAQ", "PDF", "URL", "USA", "EU", "BBC", "II"}


def _review_texts(review: Review) -> list[str]:
    """Every text of the review that the public may read: one query per kind of row."""
    texts = [review.title, review.plain_summary, review.content_warning, review.summary]
    for model, fields, parent in (
        (ChronologyEvent, ("when", "text"), "review"),
        (AnalysisFinding, ("heading", "text"), "review"),
        (Recommendation, ("text",), "review"),
        (LearningPoint, ("title", "body"), "review"),
        (DiscussionPrompt, ("question",), "learning_point__review"),
    ):
        for row in model.objects.filter(**{parent: review}).values_list(*fields):
            texts.extend(row)
    return texts


def unknown_acronyms(*, review: Review, glossary: Glossary | None = None) -> list[str]:
    """Capitalised acronyms the review uses that the glossary does not explain, A to Z.

    Roman numerals, references with three digits or more ("BSCP2020") and a short stoplist
    ("UK", "OK"...) are left out; so is anything the
    glossary matches, a phrase included ("CP" in "CP plan").
    """
    glossary = glossary or glossary_read()
    found: set[str] = set()
    for text in _review_texts(review):
        if not text:
            continue
        if glossary.pattern is not None:
            text = glossary.pattern.sub(" ", text)
        for bare in ACRONYM.findall(text):
            if bare in STOPLIST or _ROMAN.match(bare) or _REFERENCE.search(bare):
                continue
            found.add(bare)
    return sorted(found)
