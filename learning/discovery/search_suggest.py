""" "Did you mean": a respelling of a query that found nothing, from words the portal uses.

Suggestions come only from what the public may see: the glossary, the theme vocabulary (public
on /themes/), and the agencies and titles of published reviews (never a scheduled, expired or
withdrawn review's words). The vocabulary is a few thousand words, read on first need and
kept with the process's catalogue (catalogue.py beside this), so it is read again exactly
when the catalogue is: after anything public changes, and at the next scheduled go-live or
expiry. It is matched in Python (difflib), the same on every database.
"""

import difflib
import re

from django.db.models import Exists, OuterRef

from learning.discovery.catalogue import Vocabulary, catalogue
from learning.discovery.search_query import parse_terms
from learning.models import SearchEntry
from reviews.models import Agency, Review, Theme

_WORD = re.compile(r"\w+", re.UNICODE)

# Words practitioners search for that may not appear in theme or agency names.
GLOSSARY = set(
    """
abuse accident adolescent alcohol assessment attendance baby bathing bruising carer chronology
communication concern coercive control cosleeping curiosity dad disclosure domestic drugs
education engagement escalation exploitation father grandparent health hospital housing
injury interpreter isolation listening supervision midwife mother neglect nursery overlay
paediatric parent police pregnancy referral risk safe school sleep strategy substance suicide
supervision threshold transition trauma visitor voice vulnerability weight
""".split()  # noqa: SIM905
)


def _vocabulary() -> set[str]:
    """Words to suggest: the glossary, the theme vocabulary (public on /themes/), and the
    agencies and titles of published reviews only: a scheduled or expired review's words
    must not leak through a "did you mean"."""
    words = set(GLOSSARY)
    for text in Theme.objects.values_list("name", flat=True):
        words.update(_WORD.findall(text.lower()))
    published = Review.objects.published()
    # One probe per agency (there are dozens), stopping at its first published review.
    links = Review.agencies.through.objects.filter(agency=OuterRef("pk"), review__in=published)
    agencies = Agency.objects.filter(Exists(links))
    for text in agencies.values_list("name", flat=True)[:500]:
        words.update(_WORD.findall(text.lower()))
    titles = (
        SearchEntry.objects.filter(review__in=published)
        .order_by("-pk")
        .values_list("title", flat=True)[:500]
    )
    for text in titles:
        words.update(_WORD.findall(text.lower()))
    return {word for word in words if len(word) > 2 and not word.isdigit()}


def _vocabulary_now() -> Vocabulary:
    """The vocabulary, read once per catalogue (once per change of what is public), not on
    every search that finds nothing: an expired review's words go with its catalogue."""
    snapshot = catalogue()
    if snapshot.vocabulary is None:
        words = sorted(_vocabulary())
        snapshot.vocabulary = Vocabulary(words=words, known=frozenset(words))
    return snapshot.vocabulary


def did_you_mean(query: str) -> str | None:
    """A respelling of the query from words the portal uses, or None."""
    terms = parse_terms(query)
    if not terms:
        return None
    vocabulary = _vocabulary_now()
    changed = False
    parts = []
    for term in terms:
        words = []
        for word in term.words:
            if word in vocabulary.known or len(word) < 4:
                words.append(word)
                continue
            close = difflib.get_close_matches(word, vocabulary.words, n=1, cutoff=0.75)
            if close:
                changed = True
                words.append(close[0])
            else:
                words.append(word)
        text = " ".join(words)
        if len(words) > 1:
            text = f'"{text}"'
        parts.append(("or " if term.or_before else "") + ("-" if term.negated else "") + text)
    return " ".join(parts) if changed else None
