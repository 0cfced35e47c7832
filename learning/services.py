"""Changes to learning content that the public sees. Each one drops the public page cache."""

from django.db import transaction

from portal.cache import public_cache_invalidate

from .models import Theme


@transaction.atomic
def theme_save(*, theme: Theme) -> Theme:
    """Create or change a theme: its name and description appear on public pages."""
    theme.full_clean()
    theme.save()
    public_cache_invalidate()
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme) -> None:
    theme.delete()
    public_cache_invalidate()
