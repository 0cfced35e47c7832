from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from reviews.selectors import portal_settings_get


def portal_settings(request: HttpRequest) -> dict:
    """The board's own name and texts for every page, read only when a template uses them
    (and then from memory unless something public changed)."""
    return {"portal": SimpleLazyObject(portal_settings_get)}
