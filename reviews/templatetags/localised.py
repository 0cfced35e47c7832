"""`{{ board|localised }}`: a board's, agency's, review type's or theme's name in the page's
language (reviews/translations/names.py); `{{ review_type|localised:"learning_heading" }}`
for another field; `localised_text` where no markup may go."""

from django import template
from django.utils.html import format_html_join

from reviews.translations.names import localised_html, localised_name

register = template.Library()


@register.filter
def localised(obj, field: str = "name"):
    if obj is None:
        return ""
    return localised_html(obj, field)


@register.filter
def localised_text(obj, field: str = "name") -> str:
    """The same name as plain text, for where no markup may go (a page's <title>, a
    sentence passed to a translation)."""
    if obj is None:
        return ""
    return localised_name(obj, field)


@register.filter
def localised_list(objects) -> str:
    """Names of several (agencies...) in the page's language, joined by commas."""
    return format_html_join(", ", "{}", ((localised_html(obj),) for obj in objects))
