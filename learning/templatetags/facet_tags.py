"""The facet form's checkboxes, written in Python.

A national list has about eighty options across its facets; written in the template they
cost about 90 µs each (a dozen variable lookups apiece), half the time of the whole search
results page. The markup is what templates/reviews/_facets.html would write; every value
that comes from data is escaped.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from learning.discovery.facets import Facet

register = template.Library()


@register.simple_tag
def facet_options(facet: Facet, query: str = "") -> SafeString:
    """The <li> of every option: a checkbox, its label and its count (of search results
    when there is a query, otherwise of reviews)."""
    # The hidden noun after each count, in the page's language: looked up twice, not per option.
    if query:
        nouns = (ngettext("result", "results", 1), ngettext("result", "results", 5))
    else:
        nouns = (ngettext("review", "reviews", 1), ngettext("review", "reviews", 5))
    nouns = tuple(escape(noun) for noun in nouns)
    key = escape(facet.key)
    items = []
    for number, option in enumerate(facet.options, start=1):
        checked = " checked" if option.selected else ""
        count = int(option.count)
        items.append(
            f'<li class="facet__option"><input type="checkbox" name="{key}" '
            f'value="{escape(option.value)}" id="facet-{key}-{number}"{checked}>'
            f'<label for="facet-{key}-{number}">{escape(option.label)} '
            f'<span class="count" data-facet-count="{count}">({count}'
            f'<span class="visually-hidden"> {nouns[count != 1]}</span>)</span></label></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every value above is escaped
