"""Signed links in subscription e-mails: confirm, unsubscribe, change choices.

Each token is `django.core.signing` with a salt of its own purpose, so a token made for one
purpose never works for another. It carries the subscription's id and a digest of its
address (never the address itself: links end up in server logs), so it only works for the
subscription it was made for and only while that subscription has that address. A
confirmation link expires after the days an unconfirmed subscription is kept; unsubscribe
and choices links keep working for as long as the subscription exists (old messages must
still unsubscribe, RFC 8058).
"""

import datetime
import hashlib
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.urls import reverse

from learning.subscriptions.models import UNCONFIRMED_DAYS, Subscription

# Longer than any token we make (about 100 characters); anything longer is refused unread.
MAX_TOKEN_LENGTH = 300


class Purpose(StrEnum):
    CONFIRM = "confirm"
    UNSUBSCRIBE = "unsubscribe"
    CHOICES = "choices"


MAX_AGE = {
    Purpose.CONFIRM: datetime.timedelta(days=UNCONFIRMED_DAYS),
    Purpose.UNSUBSCRIBE: None,
    Purpose.CHOICES: None,
}


class TokenError(Exception):
    """The link is not one of ours, was changed, has expired or names another address."""

    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _salt(purpose: Purpose) -> str:
    return f"learning.subscriptions.{purpose}"


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.encode("utf-8")).hexdigest()[:20]


def subscription_token(*, subscription: Subscription, purpose: Purpose) -> str:
    return signing.dumps(
        [subscription.pk, _address_digest(subscription.email)], salt=_salt(purpose)
    )


def subscription_url(*, subscription: Subscription, purpose: Purpose) -> str:
    """The absolute address of a link in an e-mail (there is no request to ask the host)."""
    token = subscription_token(subscription=subscription, purpose=purpose)
    path = reverse(f"subscriptions:{purpose}", kwargs={"token": token})
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def token_read(*, token: str, purpose: Purpose) -> tuple[int, str]:
    """The (subscription id, address digest) a genuine, unexpired token names."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise TokenError()
    try:
        value = signing.loads(token, salt=_salt(purpose), max_age=MAX_AGE[purpose])
    except signing.SignatureExpired as error:
        raise TokenError(expired=True) from error
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError) as error:
        raise TokenError() from error
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        raise TokenError()
    return value[0], value[1]


def subscription_for_token(*, token: str, purpose: Purpose) -> Subscription | None:
    """The subscription a token was made for; None when it no longer exists (unsubscribed,
    expired, removed). Raises TokenError for a forged, changed or expired token, and for a
    genuine one whose subscription now has another address."""
    pk, digest = token_read(token=token, purpose=purpose)
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        return None
    if _address_digest(subscription.email) != digest:
        raise TokenError()
    return subscription
