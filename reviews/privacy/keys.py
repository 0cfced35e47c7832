"""The HMAC keys of the privacy check: derived from SECRET_KEY, never stored.

One key per purpose (hashing protected names, fingerprinting acknowledged findings), each
derived with a fixed purpose string. A short fingerprint of a key (``key_id_of``) is stored
with what it made, so digests made with a key in SECRET_KEY_FALLBACKS keep working while the
key is rotated, and those made with a key the portal no longer has can be told apart.
"""

import hashlib
import hmac

from django.conf import settings
from django.utils.crypto import salted_hmac

NAMES_KEY_PURPOSE = "portal.protected-names"
ACKNOWLEDGEMENT_KEY_PURPOSE = "portal.privacy-acknowledgement"


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _derived_key(purpose: str, secret: str) -> bytes:
    return salted_hmac(purpose, "hmac-key", secret=secret, algorithm="sha256").digest()


def key_id_of(key: bytes) -> str:
    return hmac.new(key, b"key-id", hashlib.sha256).hexdigest()[:16]


def keys_for(purpose: str) -> list[tuple[str, bytes]]:
    """(key_id, key) for SECRET_KEY, then for each of SECRET_KEY_FALLBACKS."""
    keys = [_derived_key(purpose, secret) for secret in _secrets() if secret]
    return [(key_id_of(key), key) for key in keys]


def names_key() -> bytes:
    """The key protected names are hashed with now (from SECRET_KEY; never stored)."""
    return keys_for(NAMES_KEY_PURPOSE)[0][1]
