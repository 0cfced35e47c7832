"""The one place Markdown becomes HTML.

Board staff type Markdown in the admin; practitioners read it on public pages. Staff
accounts can be phished and text is pasted from elsewhere, so everything is sanitised
against a short allowlist here, and no template or view renders Markdown any other way.
"""

import re
import threading

import markdown
import nh3

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


def render_markdown(text: str) -> str:
    """Return safe HTML for staff-typed Markdown (the markdownx preview uses this too)."""
    if not text:
        return ""
    html = _converter().convert(text)
    html = _HEADING.sub(_fold_heading, html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
