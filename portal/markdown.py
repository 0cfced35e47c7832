"""The one place Markdown becomes HTML.

Board staff type Markdown in the admin; practitioners read it on public pages. Staff
accounts can be phished and text is pasted from elsewhere, so everything is sanitised
against a short allowlist here, and no template or view renders Markdown any other way.
"""

import re
import threading

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.db import models

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "ul", "ol", "li", "a", "h3", "h4", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"https", "mailto"}

# Pages own h1 and h2, so headings typed in Markdown are folded into h3-h4.
_HEADING = re.compile(r"<(/?)h([1-6])(\s|>)")


def _fold_heading(match: re.Match[str]) -> str:
    level = min(max(int(match.group(2)), 3), 4)
    return f"<{match.group(1)}h{level}{match.group(3)}"


# One converter per thread, reset before each use: building one (its parsers and
# extensions) cost more than converting a typical field, and bulk loads convert thousands.
_converters = threading.local()


def _converter() -> markdown.Markdown:
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
        _converters.markdown = converter
    return converter.reset()


# Quotes and lists inside one another, this deep at most: real writing never goes past a
# handful, and Python-Markdown recurses once per level (thousands of levels crash it).
MAX_NESTING = 20
# A container that opens a level: "> ", "- ", "* ", "+ ", "1. ", "1) ".
_CONTAINER = re.compile(r"[ \t]{0,3}(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?")
NESTING_MESSAGE = (
    "This text puts quotes or lists inside one another more than {limit} levels deep "
    "(line {line}). Flatten it: no real text needs so many levels."
)
_TOO_DEEP_HTML = (
    "<p><strong>This text cannot be shown.</strong> It puts quotes or lists inside one "
    "another more than {limit} levels deep. Flatten it to see the preview.</p>"
)


def nesting_depth(line: str) -> int:
    """How many quotes and lists a line sits inside: indentation (four spaces a level) and
    the markers that open it."""
    expanded = line.expandtabs(4)
    stripped = expanded.lstrip(" ")
    depth, position = (len(expanded) - len(stripped)) // 4, 0
    while match := _CONTAINER.match(stripped, position):
        if match.end() == position:
            break
        depth += 1
        position = match.end()
    return depth


def markdown_nesting_problem(text: str) -> str | None:
    """A message for editors when the text nests deeper than MAX_NESTING, else None."""
    for number, line in enumerate((text or "").splitlines(), start=1):
        if nesting_depth(line) > MAX_NESTING:
            return NESTING_MESSAGE.format(limit=MAX_NESTING, line=number)
    return None


def render_markdown(text: str) -> str:
    """Return safe HTML for staff-typed Markdown (the markdownx preview uses this too).

    Text nested too deeply to render (which saving and importing refuse) gets a short
    explanation instead of a crash, so the staff preview says what is wrong.
    """
    if not text:
        return ""
    if markdown_nesting_problem(text):
        return _TOO_DEEP_HTML.format(limit=MAX_NESTING)
    try:
        html = _converter().convert(text)
    except RecursionError:
        return _TOO_DEEP_HTML.format(limit=MAX_NESTING)
    html = _HEADING.sub(_fold_heading, html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


class MarkdownRendered(models.Model):
    """Keeps each Markdown field's sanitised HTML in its `<field>_html` column.

    save() renders; bulk writes, which skip save(), call render_html() themselves.
    """

    markdown_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.render_html()
        super().save(*args, **kwargs)

    def render_html(self) -> None:
        for field in self.markdown_fields:
            setattr(self, f"{field}_html", render_markdown(getattr(self, field)))

    def clean(self) -> None:
        super().clean()
        problems = {
            field: problem
            for field in self.markdown_fields
            if (problem := markdown_nesting_problem(getattr(self, field)))
        }
        if problems:
            raise ValidationError(problems)
