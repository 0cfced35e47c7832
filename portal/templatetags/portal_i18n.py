"""Template tags for the two languages (portal/languages.py, docs/welsh.md)."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

from portal.languages import HTML_LANG, OG_LOCALE, language_links, page_language

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context) -> list:
    """This page in each language (for the switch and the hreflang alternates). A page made
    without a request (a stored review page) names its address in `page_path`."""
    return language_links(request=context.get("request"), path=context.get("page_path"))


@register.simple_tag
def html_lang() -> str:
    return HTML_LANG.get(page_language(), page_language())


@register.simple_tag
def og_locale() -> str:
    return OG_LOCALE.get(page_language(), page_language())


@register.simple_tag(takes_context=True)
def content_lang(context, obj=None) -> SafeString:
    """` lang="en"` on an element holding review content whose language is not the page's
    (a review not yet translated, shown under /cy/); nothing when they agree. The content's
    language is the context's `content_language`, else `obj.language`, else English."""
    language = (
        context.get("content_language") or getattr(obj, "language", None) or settings.LANGUAGE_CODE
    )
    if language == page_language():
        return SafeString("")
    return format_html(' lang="{}"', HTML_LANG.get(language, language))


@register.filter
def board_name(portal) -> str:
    """`{{ portal|board_name }}`: the board's name in the page's language (a proper name:
    never marked as another language)."""
    return portal.board_name_in(page_language()) if portal else ""


@register.simple_tag
def portal_html(portal, field: str, css_class: str) -> SafeString:
    """`{% portal_html portal "introduction" "lede prose" %}`: one of the board's own texts
    (PortalSettings) in a <div> of `css_class`, in the page's language where the board wrote
    it, else in English marked `lang="en-GB"`; nothing when the board has not written it.
    The HTML is the sanitised Markdown the model stores (portal/markdown.py)."""
    if portal is None:
        return SafeString("")
    language = page_language()
    html, written_in = portal.html_in(field, language)
    if not html:
        return SafeString("")
    lang = "" if written_in == language else f' lang="{HTML_LANG.get(written_in, written_in)}"'
    return format_html('<div class="{}"{}>{}</div>', css_class, SafeString(lang), SafeString(html))
