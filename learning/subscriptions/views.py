"""The subscriber's pages: /subscribe/, the confirmation, unsubscribing and changing choices.

None of them is ever stored by the public page cache (`never_cache`): their forms carry
CSRF tokens and their answers depend on who asks. Each link page reads its signed token
(tokens.py) first; a forged, changed or expired one, or one for another address, gets a
page that says so and changes nothing.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from learning.subscriptions import services
from learning.subscriptions.forms import ChoicesForm, SubscribeForm
from learning.subscriptions.tokens import (
    Purpose,
    TokenError,
    subscription_for_token,
    subscription_token,
)
from portal.ratelimit import rate_limit_client

TEMPLATES = "learning/subscriptions"


def _form_page(request: HttpRequest, template: str, context: dict, status: int = 200):
    return render(request, f"{TEMPLATES}/{template}", context, status=status)


@method_decorator(never_cache, name="dispatch")
class SubscribeView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return _form_page(request, "subscribe.html", {"form": SubscribeForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        rate_limit_client(
            request,
            scope="subscribe-ip",
            limit=settings.SUBSCRIBE_REQUESTS_PER_ADDRESS,
            window=settings.SUBSCRIBE_REQUEST_WINDOW,
            reason=gettext("Many subscriptions have been asked for from your address recently."),
        )
        form = SubscribeForm(request.POST)
        if request.POST.get("website"):
            # Only software fills in the hidden field: answer as ever, do nothing.
            return redirect("subscriptions:sent")
        if not form.is_valid():
            return _form_page(request, "subscribe.html", {"form": form}, status=400)
        services.subscription_request(
            email=form.cleaned_data["email"],
            choices=form.choices(),
            language=services.subscriber_language(),
        )
        return redirect("subscriptions:sent")


@never_cache
def subscribe_sent(request: HttpRequest) -> HttpResponse:
    """The same page whatever the address was: it never tells whether it was subscribed."""
    return render(request, f"{TEMPLATES}/sent.html")


def _bad_link(request: HttpRequest, error: TokenError) -> HttpResponse:
    return render(request, f"{TEMPLATES}/bad_link.html", {"expired": error.expired}, status=400)


@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    """GET shows a button and changes nothing (mail scanners follow links); POST confirms."""

    def dispatch(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            self.subscription = subscription_for_token(token=token, purpose=Purpose.CONFIRM)
        except TokenError as error:
            return _bad_link(request, error)
        if self.subscription is None:
            return render(request, f"{TEMPLATES}/gone.html", status=404)
        return super().dispatch(request, token)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        subscription = self.subscription
        return render(
            request,
            f"{TEMPLATES}/confirm.html",
            {
                "subscription": subscription,
                "themes": list(subscription.themes.all()),
                "agencies": list(subscription.agencies.all()),
            },
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        subscription = services.subscription_confirm(subscription=self.subscription)
        choices = subscription_token(subscription=subscription, purpose=Purpose.CHOICES)
        return render(
            request,
            f"{TEMPLATES}/confirmed.html",
            {
                "subscription": subscription,
                "choices_path": reverse("subscriptions:choices", kwargs={"token": choices}),
            },
        )


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class UnsubscribeView(View):
    """RFC 8058: a POST to the link (`List-Unsubscribe=One-Click`, sent by the mail provider
    without cookies or a session) unsubscribes; the signed token is all the proof it needs,
    so CSRF does not apply. GET, from the link in the message, asks first."""

    def dispatch(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            self.subscription = subscription_for_token(token=token, purpose=Purpose.UNSUBSCRIBE)
        except TokenError as error:
            return _bad_link(request, error)
        return super().dispatch(request, token)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        if self.subscription is None:
            return render(request, f"{TEMPLATES}/unsubscribed.html")
        return render(request, f"{TEMPLATES}/unsubscribe.html", {"subscription": self.subscription})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        services.subscription_unsubscribe(subscription=self.subscription)
        return render(request, f"{TEMPLATES}/unsubscribed.html")


@method_decorator(never_cache, name="dispatch")
class ChoicesView(View):
    def dispatch(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            self.subscription = subscription_for_token(token=token, purpose=Purpose.CHOICES)
        except TokenError as error:
            return _bad_link(request, error)
        if self.subscription is None:
            return render(request, f"{TEMPLATES}/gone.html", status=404)
        return super().dispatch(request, token)

    def _context(self, form: ChoicesForm, **extra) -> dict:
        unsubscribe = subscription_token(
            subscription=self.subscription, purpose=Purpose.UNSUBSCRIBE
        )
        return {
            "form": form,
            "subscription": self.subscription,
            "unsubscribe_path": reverse("subscriptions:unsubscribe", kwargs={"token": unsubscribe}),
            **extra,
        }

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        form = ChoicesForm(initial=ChoicesForm.initial_for(self.subscription))
        return _form_page(request, "choices.html", self._context(form))

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        form = ChoicesForm(request.POST)
        if not form.is_valid():
            return _form_page(request, "choices.html", self._context(form), status=400)
        self.subscription = services.subscription_change(
            subscription=self.subscription, choices=form.choices()
        )
        form = ChoicesForm(initial=ChoicesForm.initial_for(self.subscription))
        return _form_page(request, "choices.html", self._context(form, saved=True))
