"""Local development: `make run`. DEBUG on, a fixed key that is useless anywhere else."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "development-only-not-secret"  # noqa: F405
# Pages change as you edit templates and code; the public page cache would hide that.
PUBLIC_CACHE_SECONDS = 0
