"""Changes to the glossary. Stored case summary pages mark the terms they use
(reviews/publishing/pages.py), so every change renders again the pages that show the term,
old spelling or new, and drops the public page cache (`review_public_copies_refresh`), the
way renames.py does for boards and agencies. Pages rendered live (themes, sheets) read the
glossary again because the cache's generation moves on."""

import html

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from reviews.glossary.selectors import glossary_forget
from reviews.models import GlossaryTerm, Review
from reviews.publishing.public_copies import review_public_copies_refresh
from reviews.records import require_permission


def _free_slug(term: GlossaryTerm) -> str:
    base = slugify(term.term.replace("&", " and "))[:100] or "term"
    slug, number = base, 1
    while GlossaryTerm.objects.filter(slug=slug).exclude(pk=term.pk).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _refresh_pages_showing(*texts: str) -> None:
    """Render again the stored pages whose text holds any of `texts` (a superset of the pages
    that use the term: an extra page rendered is harmless, a missed one is stale)."""
    showing = Q()
    # Stored pages hold escaped HTML: "A&E" is written "A&amp;E".
    for variant in {variant for text in texts if text for variant in (text, html.escape(text))}:
        showing |= Q(page_html__icontains=variant)
    glossary_forget()
    review_public_copies_refresh(
        reviews=Review.objects.filter(showing, is_live=True) if showing else Review.objects.none(),
        search=False,
    )
    transaction.on_commit(glossary_forget)


@transaction.atomic
def glossary_term_save(*, term: GlossaryTerm, user: AbstractBaseUser | None = None) -> GlossaryTerm:
    """Add or change a term (`user` None for the demo loader and commands)."""
    if user is not None:
        permission = "reviews.change_glossaryterm" if term.pk else "reviews.add_glossaryterm"
        require_permission(user, permission, "change the glossary")
    before = GlossaryTerm.objects.filter(pk=term.pk).values_list("term", flat=True).first()
    _save(term)
    _refresh_pages_showing(term.term, before or "")
    return term


def _save(term: GlossaryTerm) -> None:
    term.term = " ".join(term.term.split())
    term.meaning = term.meaning.strip()
    term.slug = _free_slug(term)
    term.full_clean()
    term.save()


@transaction.atomic
def glossary_term_delete(*, term: GlossaryTerm, user: AbstractBaseUser | None = None) -> None:
    if user is not None:
        require_permission(user, "reviews.delete_glossaryterm", "change the glossary")
    text = term.term
    term.delete()
    _refresh_pages_showing(text)


@transaction.atomic
def glossary_terms_load(*, entries: list[tuple[str, str]]) -> int:
    """Add the terms the glossary lacks (by term, whatever its case) from (term, meaning)
    pairs; terms already there keep the board's meaning. Returns how many were added; the
    stored pages are rendered again once, at the end."""
    known = {term.lower() for term in GlossaryTerm.objects.values_list("term", flat=True)}
    added = []
    for text, meaning in entries:
        if text.lower() in known:
            continue
        _save(GlossaryTerm(term=text, meaning=meaning))
        known.add(text.lower())
        added.append(text)
    if added:
        _refresh_pages_showing(*added)
    return len(added)
