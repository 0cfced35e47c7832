"""Who may do what: every role against every workflow action and every admin/preview URL."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Review, ReviewRevision
from reviews.publishing import services
from tests.reviews.workflow_helpers import draft, edit, published, ready, superuser, user_in

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "publisher", "superuser"]


@pytest.fixture
def author():
    return user_in("Editor", "author")


def login_as(client, role: str):
    if role == "anonymous":
        return None
    user = {
        "editor": lambda: user_in("Editor", "edith"),
        "publisher": lambda: user_in("Publisher", "percy"),
        "superuser": lambda: superuser("root"),
    }[role]()
    client.force_login(user)
    return user


def setup_submit(author):
    review = draft(by=author)
    return "submit", [review.pk], {}, lambda: status(review) == Review.Status.READY


def setup_publish(author):
    review = ready(by=author)
    return "publish", [review.pk], {}, lambda: live(review) is not None


def setup_schedule(author):
    review = ready(by=author)
    go_live = timezone.localtime() + datetime.timedelta(days=3)
    data = {"go_live_at": go_live.strftime("%Y-%m-%dT%H:%M")}
    return "publish", [review.pk], data, lambda: live(review) is not None


def setup_reject(author):
    review = ready(by=author)
    return "reject", [review.pk], {"reason": "Not yet"}, lambda: status(review) == "draft"


def setup_withdraw(author):
    review = published(by=author, publisher=user_in("Publisher", "signer"))
    data = {"reason": "Test", "public_notice": "Gone"}
    return "withdraw", [review.pk], data, lambda: live(review).status == "withdrawn"


def setup_cancel_schedule(author):
    review = ready(by=author)
    services.review_publish(
        review=review,
        user=user_in("Publisher", "signer"),
        go_live_at=timezone.now() + datetime.timedelta(days=1),
    )
    return "cancel_schedule", [review.pk], {}, lambda: live(review) is None


def setup_revert(author):
    review = draft(by=author, title="First")
    edit(review, by=author, title="Second")
    return "revert", [review.pk, 1], {}, lambda: revisions(review) == 3


def setup_link_create(author):
    review = draft(by=author)
    return "preview_links_create", [review.pk], {"days": "7"}, review.preview_links.exists


def setup_link_revoke(author):
    review = draft(by=author)
    link = services.preview_link_create(review=review, user=user_in("Publisher", "signer"))

    def revoked():
        link.refresh_from_db()
        return link.revoked_at is not None

    return "preview_link_revoke", [review.pk, link.pk], {}, revoked


def status(review):
    review.refresh_from_db()
    return review.status


def live(review):
    return Review.objects.filter(working_copy=review, is_live=True).first()


def revisions(review):
    return ReviewRevision.objects.filter(review=review).count()


ACTIONS = {
    "submit": (setup_submit, {"editor", "publisher", "superuser"}),
    "publish": (setup_publish, {"publisher", "superuser"}),
    "schedule": (setup_schedule, {"publisher", "superuser"}),
    "reject": (setup_reject, {"publisher", "superuser"}),
    "withdraw": (setup_withdraw, {"publisher", "superuser"}),
    "cancel schedule": (setup_cancel_schedule, {"publisher", "superuser"}),
    "revert": (setup_revert, {"publisher", "superuser"}),
    "create preview link": (setup_link_create, {"publisher", "superuser"}),
    "revoke preview link": (setup_link_revoke, {"publisher", "superuser"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_workflow_action_is_allowed_only_to_its_roles(client, author, role, action):
    setup, allowed = ACTIONS[action]
    name, args, data, happened = setup(author)
    login_as(client, role)
    url = reverse(f"admin:reviews_review_{name}", args=args)

    response = client.post(url, data)

    if role in allowed:
        assert response.status_code == 302, response.content[:500]
        assert response["Location"].endswith(f"/admin/reviews/review/{args[0]}/change/")
        assert happened(), f"{role} could not {action}"
    else:
        expected = 302 if role == "anonymous" else 403
        assert response.status_code == expected
        if role == "anonymous":
            assert "/admin/login/" in response["Location"]
        assert not happened(), f"{role} managed to {action}"


@pytest.mark.parametrize("role", ROLES)
def test_workflow_actions_refuse_get_requests(client, author, role):
    review = ready(by=author)
    login_as(client, role)

    response = client.get(reverse("admin:reviews_review_publish", args=[review.pk]))

    assert response.status_code in ((302,) if role == "anonymous" else (405,))
    assert live(review) is None


STAFF_PAGES = {
    "change form": lambda r: reverse("admin:reviews_review_change", args=[r.pk]),
    "review list": lambda r: reverse("admin:reviews_review_changelist"),
    "revisions": lambda r: reverse("admin:reviews_review_revisions", args=[r.pk]),
    "diff": lambda r: reverse("admin:reviews_review_revisions_diff", args=[r.pk]) + "?from=1&to=2",
    "preview": lambda r: reverse("admin:reviews_review_preview", args=[r.pk]),
    "revision preview": lambda r: reverse("admin:reviews_review_revision_preview", args=[r.pk, 1]),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", [*STAFF_PAGES, "audit log"])
def test_admin_and_preview_pages_are_for_staff_and_the_audit_log_for_publishers(
    client, author, role, page
):
    review = draft(by=author)
    edit(review, by=author, title="Second title")
    login_as(client, role)
    url = (
        reverse("admin:reviews_auditentry_changelist")
        if page == "audit log"
        else STAFF_PAGES[page](review)
    )

    response = client.get(url)

    if role == "anonymous":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    elif page == "audit log" and role == "editor":
        assert response.status_code == 403
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_a_preview_link_works_for_anyone_who_has_it(client, author, role):
    review = draft(by=author, title="Child Link")
    link = services.preview_link_create(review=review, user=user_in("Publisher", "signer"))
    login_as(client, role)

    response = client.get(reverse("reviews:preview_link", args=[services.preview_link_token(link)]))

    assert response.status_code == 200 and "Child Link" in response.content.decode()


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_live_copies_are_never_offered_for_editing_in_the_admin(client, author, role):
    review = published(by=author, publisher=user_in("Publisher", "signer"))
    login_as(client, role)

    response = client.get(reverse("admin:reviews_review_change", args=[live(review).pk]))

    assert response.status_code == 302  # "doesn't exist", back to the list
    listing = client.get(reverse("admin:reviews_review_changelist"))
    assert listing.context["cl"].result_count == 1
