"""/glossary/: every term the board explains, A to Z, each with an id that marked terms on
other pages link to (#term-<slug>). A public page like any other: cached by the page cache."""

from django.http import HttpRequest
from django.template.response import TemplateResponse

from reviews.glossary.selectors import glossary_current


def glossary_page(request: HttpRequest) -> TemplateResponse:
    terms = sorted(glossary_current().terms, key=lambda term: term.shown()[0].lower())
    letters: dict[str, list] = {}
    for term in terms:
        first = term.shown()[0][:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append(term)
    return TemplateResponse(request, "reviews/glossary.html", {"letters": letters})
