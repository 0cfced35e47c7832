"""The portal's two languages: English at today's addresses, Welsh under /cy/ (docs/welsh.md).

The address alone says the language (portal.middleware.PathLocaleMiddleware), so the same
page in the other language is the same path with the prefix added or taken away. This works
for every page, error pages included, without resolving the address.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.encoding import escape_uri_path

from portal.cache import canonical_query

# The value of <html lang> and og:locale for each language code.
HTML_LANG = {"en": "en-GB", "cy": "cy"}
OG_LOCALE = {"en": "en_GB", "cy": "cy_GB"}


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def page_language() -> str:
    """The language of the page being made: "en" or "cy"."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in language_codes() else settings.LANGUAGE_CODE


def path_in_language(path_info: str, language: str) -> str:
    """`path_info` (no script prefix) in `language`: /cy/themes/ <-> /themes/."""
    current = translation.get_language_from_path(path_info)
    rest = path_info[len(current) + 1 :] if current else path_info
    rest = rest or "/"
    if language == settings.LANGUAGE_CODE:
        return rest
    return f"/{language}{rest}"


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in its own language: "English", "Cymraeg"
    url: str  # site-relative, with the query string the page reads
    absolute_url: str  # under PORTAL_BASE_URL (hreflang alternates)
    current: bool


def language_links(*, request: HttpRequest | None, path: str | None = None) -> list[LanguageLink]:
    """The page in each language. `path` (site-relative) is for pages rendered without a
    request (stored review pages); otherwise the request's path and the query parameters its
    view declares it reads (`public_cache_params`, the same ones the page cache keeps)."""
    query = ""
    if path is None:
        if request is None:
            return []
        path_info = request.path_info
        match = getattr(request, "resolver_match", None)
        names = getattr(match.func, "public_cache_params", ()) if match else ()
        query = canonical_query(request.GET, names) or ""
    else:
        prefix = get_script_prefix()
        path_info = "/" + path[len(prefix) :] if path.startswith(prefix) else path
    base = settings.PORTAL_BASE_URL.rstrip("/")
    current = page_language()
    links = []
    for code, name in settings.LANGUAGES:
        # Percent-encoded, as a browser sends it: an address is never echoed as text.
        url = escape_uri_path(get_script_prefix().rstrip("/") + path_in_language(path_info, code))
        if query:
            url += "?" + query
        # Under PORTAL_BASE_URL, like og:url: a stored page must read the same as a live one.
        links.append(LanguageLink(code, name, url, base + url, code == current))
    return links
