"""The board's glossary: acronyms and terms practitioners meet in reviews, in plain words.

Public pages explain the first use of each term on a page (reviews/glossary/marking.py) and
/glossary/ lists them all. Changes go through reviews/glossary/services.py, which refreshes
the stored pages of the reviews that use the term.
"""

import re

from django.db import models
from django.db.models.functions import Lower

# Two or more capitals and no small letters ("GP", "A&E", "CAMHS"): matched exactly, so
# "gp" in a web address or "Hv" is not the term. Anything else ("CP plan", "Section 47",
# "early help") is matched whatever its case.
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z0-9&/.\- ]+$")


class GlossaryTerm(models.Model):
    term = models.CharField(
        max_length=100,
        help_text="As it appears in reviews: “GP”, “Section 47”, “CP plan”. Acronyms "
        "(all capitals) are matched exactly; other terms whatever their case.",
    )
    meaning = models.CharField(
        max_length=300,
        help_text="What it means, in plain words: “General practitioner: a family doctor.”",
    )
    term_cy = models.CharField(
        "term in Welsh", max_length=100, blank=True, help_text="Leave empty until translated."
    )
    meaning_cy = models.CharField(
        "meaning in Welsh", max_length=300, blank=True, help_text="Leave empty until translated."
    )
    # The term's address on /glossary/ (#term-<slug>), set by the service from the term.
    slug = models.SlugField(max_length=120, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [Lower("term")]
        constraints = [
            models.UniqueConstraint(
                Lower("term"),
                name="glossary_term_unique",
                violation_error_message="The glossary already has this term.",
            )
        ]

    def __str__(self) -> str:
        return self.term

    @property
    def is_acronym(self) -> bool:
        return bool(_ACRONYM.match(self.term))

    @property
    def anchor(self) -> str:
        return f"term-{self.slug}"
