"""The board's own name and texts (PortalSettings), for every page."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.cache import public_cache_generation
from portal.models import PortalSettings


def portal_settings(request: HttpRequest) -> dict:
    """The board's own name and texts for every page, read only when a template uses them
    (and then from memory unless something public changed)."""
    return {"portal": SimpleLazyObject(portal_settings_get)}


# (public content generation, settings): one database read per process per generation.
_portal_settings: tuple[str, PortalSettings] | None = None


def portal_settings_get() -> PortalSettings:
    """The board's texts for every page, read from the database again only after something
    public changed (portal.cache's generation), so not on every request. Saving them through
    `reviews.publishing.renames.portal_settings_save` moves the generation on in every worker."""
    global _portal_settings
    generation = public_cache_generation()
    remembered = _portal_settings
    if remembered is not None and remembered[0] == generation:
        return remembered[1]
    portal = PortalSettings.load()
    _portal_settings = (generation, portal)
    return portal


def portal_settings_forget() -> None:
    """Read the settings from the database next time (tests, which roll back their saves)."""
    global _portal_settings
    _portal_settings = None
