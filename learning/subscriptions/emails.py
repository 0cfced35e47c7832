"""The messages subscribers receive: the confirmation, "you are already subscribed", and the
digest. Each is plain text with an HTML alternative, written in the subscriber's language.

Headers carry nothing anyone typed except the validated address in To: the subject is a
fixed, translated sentence, From is DEFAULT_FROM_EMAIL, and review titles or board names
stay in the body. Every message, the confirmation included, can be stopped in one click
(RFC 8058): `List-Unsubscribe` names the signed unsubscribe link and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click` says a POST there is enough; the body
repeats the link and adds the one to change choices.
"""

import email.policy
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from learning.subscriptions.models import Subscription
from learning.subscriptions.tokens import Purpose, subscription_url

logger = logging.getLogger(__name__)

TEMPLATES = "learning/subscriptions/email"
# Reviews listed one by one in a digest; any more are counted, with a link to the list.
MAX_LISTED = 25


class SubscriberMessage(EmailMultiAlternatives):
    """A message whose headers are folded only past RFC 5322's hard limit of 998 characters.

    At the usual 78, Python's email package turns a header with one long word in it (our
    `<https://.../unsubscribe/<token>/>`) into RFC 2047 encoded words, which mail providers
    do not decode in `List-Unsubscribe`: the one-click button would never appear.
    """

    def message(self, *, policy=email.policy.default):
        built = super().message(policy=policy)
        built.policy = built.policy.clone(max_line_length=998)
        return built


def _absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def message_build(
    *, subscription: Subscription, template: str, subject: str, context: dict
) -> SubscriberMessage:
    """One message to `subscription`, rendered from `<template>.txt` and `<template>.html`
    in the subscriber's language (call it inside `translation.override`)."""
    unsubscribe_url = subscription_url(subscription=subscription, purpose=Purpose.UNSUBSCRIBE)
    context = {
        **context,
        "subscription": subscription,
        "unsubscribe_url": unsubscribe_url,
        "choices_url": subscription_url(subscription=subscription, purpose=Purpose.CHOICES),
        "site_url": _absolute(reverse("home")),
        "privacy_url": _absolute(reverse("privacy")),
        "language": subscription.language,
    }
    message = SubscriberMessage(
        subject=subject,
        body=render_to_string(f"{TEMPLATES}/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Asks auto-responders (out of office) not to answer.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"{TEMPLATES}/{template}.html", context), "text/html"
    )
    return message


def _send_now(message: SubscriberMessage, what: str, subscription: Subscription) -> None:
    try:
        message.send()
    except Exception:
        # The visitor sees "check your inbox" either way; asking again sends it again.
        logger.exception("Could not send the %s message to subscription %s", what, subscription.pk)


def confirmation_send(*, subscription: Subscription) -> None:
    """The one message an unconfirmed address may receive: the link to confirm."""
    with translation.override(subscription.language):
        message = message_build(
            subscription=subscription,
            template="confirm",
            subject=gettext("Confirm your subscription to new case reviews"),
            context={
                "confirm_url": subscription_url(subscription=subscription, purpose=Purpose.CONFIRM),
                "themes": list(subscription.themes.all()),
                "agencies": list(subscription.agencies.all()),
            },
        )
    _send_now(message, "confirmation", subscription)


def already_subscribed_send(*, subscription: Subscription) -> None:
    """Someone asked to subscribe an address that already is: tell its owner, who can
    change their choices from here (the page that asked said nothing either way)."""
    with translation.override(subscription.language):
        message = message_build(
            subscription=subscription,
            template="already_subscribed",
            subject=gettext("You are already subscribed to new case reviews"),
            context={},
        )
    _send_now(message, "already subscribed", subscription)


def digest_build(*, subscription: Subscription, entries: list) -> SubscriberMessage:
    """The digest of `entries` (selectors.DigestEntry), newest first. It lists the newest
    MAX_LISTED and counts the rest, with a link to the review list: a back catalogue
    published at once must not make a message too large for mail servers to take."""
    listed, more = entries[:MAX_LISTED], max(0, len(entries) - MAX_LISTED)
    with translation.override(subscription.language):
        subject = ngettext(
            "A new or updated case review",
            "%(count)d new or updated case reviews",
            len(entries),
        ) % {"count": len(entries)}
        return message_build(
            subscription=subscription,
            template="digest",
            subject=subject,
            context={
                "entries": listed,
                "more": more,
                "reviews_url": _absolute(reverse("reviews:list")),
            },
        )
