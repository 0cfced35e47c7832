"""Counting words: the one rule behind the plain summary's limit.

A word is a run of letters or digits, joined by hyphens or apostrophes inside it: "long-term",
"don't", "Section 47" (two words), "£1,200" (one), "A&E" (one: "&" between letters joins
like a hyphen). Punctuation and Markdown marks on their own are not words. The admin form,
the document importer and the reading-age figures all count with `word_count`.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

PLAIN_SUMMARY_MAX_WORDS = 60

# Letters and digits (any script, Welsh accents included), with -, ', ’ or & joining two of
# them ("ad-hoc", "o'r", "A&E"), and . or , inside a number ("1.5", "1,200").
_WORD = re.compile(r"[^\W_]+(?:[-'’&][^\W_]+|(?<=\d)[.,]\d+)*")


def words(text: str) -> list[str]:
    """The words of `text`, in order."""
    return _WORD.findall(text or "")


def word_count(text: str) -> int:
    return len(words(text))


def validate_plain_summary(value: str) -> None:
    """At most PLAIN_SUMMARY_MAX_WORDS words (a model field validator: the admin's form and
    the document importer both run it)."""
    count = word_count(value)
    if count > PLAIN_SUMMARY_MAX_WORDS:
        raise ValidationError(
            ngettext(
                "The plain summary has %(count)d word; keep it to %(limit)d or fewer.",
                "The plain summary has %(count)d words; keep it to %(limit)d or fewer.",
                count,
            ),
            code="too_many_words",
            params={"count": count, "limit": PLAIN_SUMMARY_MAX_WORDS},
        )


PLAIN_SUMMARY_HELP = _(
    "At most 60 words in everyday language: what happened and what must change, for a "
    "reader who knows nothing of the case. Shown first on the review page, in search "
    "results, feeds, the API and every sheet."
)
