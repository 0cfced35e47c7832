"""Subscribers and reviews for the subscription tests, made the way the portal makes them."""

from django.test import Client
from django.urls import reverse

from learning.subscriptions import services
from learning.subscriptions.models import Subscription
from reviews.models import Agency, Review, Theme
from tests.factories import LearningPointFactory, ReviewFactory, make_live

SUBSCRIBE = "/subscribe/"


def subscribe_form(email: str, *, themes=(), agencies=(), frequency="weekly", **extra) -> dict:
    data = {
        "email": email,
        "scope": "chosen" if (themes or agencies) else "everything",
        "themes": [theme.pk for theme in themes],
        "agencies": [agency.pk for agency in agencies],
        "frequency": frequency,
        "website": "",
    }
    data.update(extra)
    return data


def subscribe_and_confirm(client: Client, smtp_server, email: str, **choices) -> Subscription:
    """Through the pages and the message that arrived: the whole double opt-in."""
    response = client.post(SUBSCRIBE, subscribe_form(email, **choices))
    assert response.status_code == 302, response.content
    message = smtp_server.to(email)[-1]
    link = smtp_server.link(message, "/subscribe/confirm/")
    assert client.post(link).status_code == 200
    subscription = Subscription.objects.get(email=email.lower())
    assert subscription.confirmed
    return subscription


def subscribed(email: str, *, themes=(), agencies=(), frequency="weekly") -> Subscription:
    """A confirmed subscription, through the services, with no message involved."""
    Subscription.objects.filter(email=email).delete()
    subscription = Subscription.objects.create(
        email=email, requested_at=_now(), frequency=frequency
    )
    services._apply(
        subscription,
        services.Choices(
            everything=not (themes or agencies),
            themes=tuple(themes),
            agencies=tuple(agencies),
            frequency=frequency,
        ),
    )
    return services.subscription_confirm(subscription=subscription)


def _now():
    from django.utils import timezone

    return timezone.now()


def public_review(*, title: str, themes: list[str] = (), agencies: list[str] = ()) -> Review:
    """A review made live (as an import does) with one learning point of `themes` and the
    review's `agencies`; returns the working copy."""
    review = ReviewFactory(title=title, slug=title.lower().replace(" ", "-"), live=False)
    point = LearningPointFactory(
        review=review,
        position=1,
        title=f"Learning from {title}",
        themes=[Theme.objects.get(slug=slug) for slug in themes or ["voice-of-the-child"]],
    )
    assert point.pk
    review.agencies.set([Agency.objects.get_or_create(name=name)[0] for name in agencies])
    make_live(review)
    return review


def review_path(review: Review) -> str:
    return reverse("reviews:detail", kwargs={"slug": review.slug})
