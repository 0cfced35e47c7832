"""Glossary marking for pages rendered live (theme pages, sheets): the stored review pages are
marked when they are rendered at publish time (reviews/publishing/pages.py).

    {% load glossary_tags %}
    {% glossary_marked %}...{% endglossary_marked %}              marks the first use of each term
    {% glossary_marked with_list=True %}...{% endglossary_marked %}  and lists the terms used
                                                                     after it (sheets, PDFs)
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from reviews.glossary.marking import glossary_mark
from reviews.glossary.matching import Term
from reviews.glossary.selectors import glossary_current

register = template.Library()


class GlossaryMarkedNode(template.Node):
    def __init__(self, nodelist, with_list) -> None:
        self.nodelist = nodelist
        self.with_list = with_list

    def render(self, context) -> str:
        marked, used = glossary_mark(self.nodelist.render(context), glossary_current())
        if self.with_list and self.with_list.resolve(context) and used:
            marked += render_to_string(
                "reviews/_glossary_used.html", {"terms": used}, request=context.get("request")
            )
        return mark_safe(marked)  # noqa: S308 - our own rendered HTML, marked by glossary_mark


@register.tag
def glossary_marked(parser, token):
    bits = token.split_contents()
    with_list = None
    for bit in bits[1:]:
        name, _, value = bit.partition("=")
        if name != "with_list" or not value:
            raise template.TemplateSyntaxError("glossary_marked takes only with_list=<value>")
        with_list = parser.compile_filter(value)
    nodelist = parser.parse(("endglossary_marked",))
    parser.delete_first_token()
    return GlossaryMarkedNode(nodelist, with_list)


@register.simple_tag
def glossary_shown(term: Term) -> tuple[str, str]:
    """(term, meaning) in the current language."""
    return term.shown()
