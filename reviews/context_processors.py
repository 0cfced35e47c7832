from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import PortalSettings


def portal_settings(request: HttpRequest) -> dict:
    """The board's own name and texts for every page, read only when a template uses them."""
    return {"portal": SimpleLazyObject(PortalSettings.load)}
