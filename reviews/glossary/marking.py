"""Marking the first use of each glossary term on a public page: `glossary_mark`.

The pattern, chosen to work with a keyboard, a screen reader and on touch without
JavaScript:

    <span class="term"><a class="term__link" href="/glossary/#term-gp"
      aria-describedby="term-gp-meaning"><abbr>GP</abbr></a><span class="term__meaning"
      id="term-gp-meaning" aria-hidden="true"> (A family doctor.)</span></span>

- a screen reader announces the link "GP" with its description, the meaning (a description
  may point at text hidden from the reading order, so the meaning is not read twice);
- a keyboard reaches the link, and focusing it shows the meaning beside the term (CSS:
  `.term__link:focus + .term__meaning`), as hovering does, pushing the text after it along
  rather than covering anything, so it works at 320 px;
- on touch, tapping the link opens the term on /glossary/ (and on paper, print.css prints the
  meaning in brackets).

`title` is not used: keyboards, touch screens and most screen readers never show it.

Only text is marked, never inside a link (a link cannot hold a link), a heading (headings
are the page's outline and names), code, an existing <abbr>, a form control, or text hidden
from sight (`visually-hidden`, `aria-hidden`). The HTML is our own (templates and the
sanitised Markdown of portal/markdown.py), so tags are found with a pattern rather than a
full parser; text that gains no mark is kept byte for byte.
"""

import html
import re
from collections.abc import Iterable

from django.urls import reverse

from reviews.glossary.matching import Glossary, Term

_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # fmt: skip
# Never marked inside these: links, headings, code, abbreviations, controls, raw text.
_SKIP = {
    "a", "abbr", "button", "code", "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "label",
    "option", "pre", "samp", "script", "select", "style", "summary", "svg", "textarea",
    "title", "dfn",
}  # fmt: skip
_HIDDEN = re.compile(
    r"""class\s*=\s*["'][^"']*\b(?:visually-hidden|no-glossary)\b|aria-hidden\s*=\s*["']true"""
)


def _term_html(text: str, term: Term, glossary_url: str, suffix: str) -> str:
    shown_term, meaning = term.shown()
    meaning_id = f"{term.anchor}-meaning{suffix}"
    label = html.escape(text, quote=False)
    inner = f"<abbr>{label}</abbr>" if term.is_acronym else label
    return (
        f'<span class="term"><a class="term__link" href="{glossary_url}#{term.anchor}" '
        f'aria-describedby="{meaning_id}">{inner}</a><span class="term__meaning" '
        f'id="{meaning_id}" aria-hidden="true"> ({html.escape(meaning)})</span></span>'
    )


def glossary_mark(
    fragment: str,
    glossary: Glossary,
    *,
    seen: set[str] | None = None,
    id_suffix: str = "",
) -> tuple[str, list[Term]]:
    """`fragment` with the first use of each term marked, and the terms it uses in order.

    `seen` holds the slugs of terms already marked higher up the same page (updated in
    place), so a page marked in parts still marks each term once. `id_suffix` keeps the
    meanings' ids unique when one page holds two marked copies of a text.
    """
    seen = set() if seen is None else seen
    used: dict[str, Term] = {}
    if glossary.pattern is None or not fragment:
        return fragment, []
    glossary_url = reverse("glossary")
    pattern = glossary.pattern
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, skip inside it)
    for token in _TOKEN.split(fragment):
        if not token:
            continue
        if token[0] == "<":
            out.append(token)
            if token[1:2] == "!":
                continue
            tag = _TAG.match(token)
            if tag is None:
                continue
            closing, name, attributes = tag.groups()
            self_closing = attributes.endswith("/")
            name = name.lower()
            if closing:
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == name:
                        del stack[depth:]
                        break
            elif name not in _VOID and not self_closing:
                skip = (
                    (stack and stack[-1][1])
                    or name in _SKIP
                    or (attributes and _HIDDEN.search(attributes) is not None)
                )
                stack.append((name, bool(skip)))
            continue
        if token.isspace():
            out.append(token)
            continue
        text = html.unescape(token) if "&" in token else token
        # Most text (indentation, words without terms) has nothing to mark.
        if pattern.search(text) is None:
            out.append(token)
            continue
        if stack and stack[-1][1]:
            # Not marked here, but used: a sheet's list of terms still explains it.
            for _, term in glossary.finditer(text):
                used.setdefault(term.slug, term)
            out.append(token)
            continue
        pieces: list[str] = []
        last = 0
        for match, term in glossary.finditer(text):
            used.setdefault(term.slug, term)
            if term.slug in seen:
                continue
            seen.add(term.slug)
            pieces.append(html.escape(text[last : match.start()], quote=False))
            pieces.append(_term_html(match.group(0), term, glossary_url, id_suffix))
            last = match.end()
        if pieces:
            pieces.append(html.escape(text[last:], quote=False))
            out.append("".join(pieces))
        else:
            out.append(token)
    return "".join(out), list(used.values())


def terms_used(texts: Iterable[str], glossary: Glossary) -> list[Term]:
    """The terms used across plain texts, once each, in order of first use."""
    found: dict[str, Term] = {}
    for text in texts:
        for term in glossary.used_in(text or ""):
            found.setdefault(term.slug, term)
    return list(found.values())
