"""Names of boards, agencies, review types and themes in the language of the page.

Each has Welsh names beside the English ones (`name_cy`, ...), kept in the admin and not per
document. Public templates show them with the `localised` filter (reviews/templatetags/
localised.py): under Welsh the Welsh name, else the English one marked `lang="en"` so that
a screen reader reads it as English.
"""

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString


def current_language() -> str:
    """The active language's base code ("cy" for "cy-gb"), "en" when none is active."""
    return (translation.get_language() or "en").split("-")[0].lower()


def localised_name(obj, field: str = "name", language: str | None = None) -> str:
    """`obj.<field>` in `language` (the active one if None): the Welsh `<field>_cy` under
    "cy" when it is filled in, else the English."""
    language = language or current_language()
    english = getattr(obj, field, "") or ""
    if language == "en":
        return english
    return getattr(obj, f"{field}_{language}", "") or english


def localised_html(obj, field: str = "name", language: str | None = None) -> SafeString:
    """`localised_name`, escaped, wrapped in `<span lang="en">` where a Welsh page falls
    back to the English name."""
    language = language or current_language()
    name = localised_name(obj, field, language)
    if language != "en" and not (getattr(obj, f"{field}_{language}", "") or ""):
        return format_html('<span lang="en">{}</span>', name)
    return format_html("{}", name)
