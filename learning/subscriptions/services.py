"""Every change to a subscription: request, confirm, change choices, unsubscribe, remove,
expire. Keyword-only and atomic; the staff removal is permission-checked.

Subscribers have no account: a signed link (tokens.py) is what proves they read the
address's mail, and the views check it before calling these.

Staff removals are logged (the `learning.subscriptions` logger, with the subscription id and
the staff member), not written to the reviews' audit log: that log is append-only and
forever, and an address must be gone for good once removed.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from learning.subscriptions import emails
from learning.subscriptions.models import UNCONFIRMED_DAYS, Subscription
from portal.ratelimit import rate_limit_hit
from reviews.models import Agency, Theme
from reviews.records import require_permission

logger = logging.getLogger(__name__)

PERMISSION_REMOVE = "learning.delete_subscription"


@dataclass(frozen=True)
class Choices:
    """What a subscriber wants to hear about, as the forms clean it."""

    everything: bool
    themes: tuple[Theme, ...]
    agencies: tuple[Agency, ...]
    frequency: str


def subscriber_language() -> str:
    """The language of the page the subscriber used, in the two the portal will write."""
    language = (translation.get_language() or "en").lower()
    return (
        Subscription.Language.WELSH if language.startswith("cy") else Subscription.Language.ENGLISH
    )


def _apply(subscription: Subscription, choices: Choices) -> None:
    subscription.everything = choices.everything
    subscription.frequency = choices.frequency
    subscription.save(update_fields=["everything", "frequency"])
    subscription.themes.set([] if choices.everything else choices.themes)
    subscription.agencies.set([] if choices.everything else choices.agencies)


def subscription_request(*, email: str, choices: Choices, language: str) -> None:
    """Someone asked at /subscribe/ for `email` (validated and normalised by the form).

    Whatever the address's state, the caller shows the same page, so the answer never tells
    whether it is subscribed. A new or unconfirmed address gets (again) the confirmation
    message, with these choices; a confirmed one keeps its choices and gets a message with
    its link to change them, since whoever asked may not be its owner. Each address gets at
    most SUBSCRIBE_MESSAGES_PER_EMAIL such messages per SUBSCRIBE_EMAIL_WINDOW seconds;
    beyond that nothing is stored or sent, silently.
    """
    if rate_limit_hit(
        scope="subscribe-email",
        identity=email,
        limit=settings.SUBSCRIBE_MESSAGES_PER_EMAIL,
        window=settings.SUBSCRIBE_EMAIL_WINDOW,
    ):
        # Counted before anything is written, so a flood changes nothing either.
        logger.info("Subscription request over the per-address limit: nothing done")
        return
    now = timezone.now()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(email=email).first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email, requested_at=now, language=language
                    )
            except IntegrityError:
                # Someone asked for the same address at the same moment.
                subscription = Subscription.objects.select_for_update().get(email=email)
        if not subscription.confirmed:
            subscription.requested_at = now
            subscription.language = language
            subscription.save(update_fields=["requested_at", "language"])
            _apply(subscription, choices)
    if subscription.confirmed:
        emails.already_subscribed_send(subscription=subscription)
    else:
        emails.confirmation_send(subscription=subscription)


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """The address's owner followed the confirmation link: digests may be sent from now on,
    announcing what is published from this moment."""
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if locked.confirmed_at is None:
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_at"])
    return locked


@transaction.atomic
def subscription_change(*, subscription: Subscription, choices: Choices) -> Subscription:
    """New choices from the "change your choices" page."""
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    _apply(locked, choices)
    return locked


@transaction.atomic
def subscription_unsubscribe(*, subscription: Subscription | None) -> None:
    """Forget the subscription and what was sent to it. None (already gone) is fine: the
    one-click POST may come twice."""
    if subscription is not None:
        Subscription.objects.filter(pk=subscription.pk).delete()


@transaction.atomic
def subscription_remove(*, subscription: Subscription, user: AbstractBaseUser) -> None:
    """Staff remove a subscription (a request by e-mail, a bouncing address)."""
    require_permission(user, PERMISSION_REMOVE, "remove subscriptions")
    deleted, _ = Subscription.objects.filter(pk=subscription.pk).delete()
    if deleted:
        logger.info("Subscription %s removed by staff user %s", subscription.pk, user.pk)


@transaction.atomic
def subscriptions_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete subscriptions left unconfirmed for UNCONFIRMED_DAYS; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=UNCONFIRMED_DAYS)
    expired = Subscription.objects.filter(confirmed_at__isnull=True, requested_at__lt=cutoff)
    count = expired.count()
    if count:
        expired.delete()
    return count
