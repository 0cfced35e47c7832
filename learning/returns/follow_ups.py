"""The one follow-up a return with an e-mail address gets: its signed link and its message.

The link carries the return's id signed with the site's secret (django.core.signing, its
own salt) and the time it was made; it works for RETURN_FOLLOW_UP_LINK_DAYS and once (an
answered return refuses a second answer). The message names no team, agency or person in
its headers: the subject is fixed text, the only address is the recipient's own.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from learning.returns.models import DiscussionReturn

SALT = "learning.returns.follow-up"


class FollowUpLinkError(Exception):
    """A follow-up link that cannot be used; `reason` is one of the class constants."""

    TAMPERED = "tampered"
    EXPIRED = "expired"
    USED = "used"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def follow_up_token(discussion_return: DiscussionReturn) -> str:
    return signing.dumps({"r": discussion_return.pk}, salt=SALT, compress=False)


def follow_up_url(discussion_return: DiscussionReturn) -> str:
    path = reverse("returns:follow_up", kwargs={"token": follow_up_token(discussion_return)})
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def follow_up_return_for_token(token: str) -> DiscussionReturn:
    """The return a link was made for; FollowUpLinkError if it is forged, old or used."""
    if len(token) > 200:
        raise FollowUpLinkError(FollowUpLinkError.TAMPERED)
    max_age = settings.RETURN_FOLLOW_UP_LINK_DAYS * 24 * 60 * 60
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise FollowUpLinkError(FollowUpLinkError.EXPIRED) from error
    except signing.BadSignature as error:
        raise FollowUpLinkError(FollowUpLinkError.TAMPERED) from error
    pk = data.get("r") if isinstance(data, dict) else None
    if type(pk) is not int:
        raise FollowUpLinkError(FollowUpLinkError.TAMPERED)
    found = DiscussionReturn.objects.select_related("use_code").filter(pk=pk).first()
    if found is None or found.status == DiscussionReturn.Status.REJECTED:
        raise FollowUpLinkError(FollowUpLinkError.TAMPERED)
    if found.follow_up_answered_at is not None:
        raise FollowUpLinkError(FollowUpLinkError.USED)
    return found


def follow_up_message(discussion_return: DiscussionReturn, *, email: str) -> EmailMultiAlternatives:
    """The follow-up as plain text and HTML, in the language of the form the team used (its
    link too: /cy/use/... for Welsh). Team names and the return's text go only in the body
    (escaped in HTML), never in a header."""
    with translation.override(discussion_return.language):
        context = {
            "discussion_return": discussion_return,
            "title": discussion_return.use_code.snapshot.get("title", ""),
            "url": follow_up_url(discussion_return),
            "link_days": settings.RETURN_FOLLOW_UP_LINK_DAYS,
            "base_url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("home"),
        }
        message = EmailMultiAlternatives(
            subject=_("Did your team's discussion change what you do?"),
            body=render_to_string("learning/returns/emails/follow_up.txt", context),
            to=[email],
        )
        message.attach_alternative(
            render_to_string("learning/returns/emails/follow_up.html", context), "text/html"
        )
    return message
