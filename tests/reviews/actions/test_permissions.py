"""Who may do what to an action plan: every role against every action service, as
tests/reviews/test_permissions.py does for the review workflow."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.actions import services
from reviews.actions.rules import Status
from tests.reviews.actions import files
from tests.reviews.actions.helpers import add_action, fields, plan_review, submitted
from tests.reviews.workflow_helpers import superuser, user_in

pytestmark = pytest.mark.django_db

ROLES = ["no role", "editor", "publisher", "superuser"]


def person(role: str):
    return {
        "no role": lambda: user_in(None, "visitor"),
        "editor": lambda: user_in("Editor", "edith"),
        "publisher": lambda: user_in("Publisher", "percy"),
        "superuser": lambda: superuser("root"),
    }[role]()


def attempt(operation: str, user, author):
    review = plan_review()
    if operation == "create":
        return lambda: add_action(review, by=user)
    if operation == "update":
        action = add_action(review, by=author)
        return lambda: services.action_update(
            action=action,
            user=user,
            expected_version=action.version,
            fields=fields(progress="Started"),
            status=Status.IN_PROGRESS,
        )
    if operation == "submit":
        action = add_action(review, by=author)
        return lambda: services.action_evidence_submit(action=action, user=user, evidence="x")
    if operation == "accept":
        action = submitted(review, by=author)
        return lambda: services.action_accept(action=action, user=user)
    if operation == "reject":
        action = submitted(review, by=author)
        return lambda: services.action_reject(action=action, user=user, reason="No")
    if operation == "delete":
        action = add_action(review, by=author)
        return lambda: services.action_delete(action=action, user=user)
    if operation == "attach":
        action = add_action(review, by=author)
        upload = SimpleUploadedFile("a.pdf", files.PDF)
        return lambda: services.attachment_add(action=action, user=user, upload=upload)
    raise AssertionError(operation)


ALLOWED = {
    "create": {"editor", "publisher", "superuser"},
    "update": {"editor", "publisher", "superuser"},
    "submit": {"editor", "publisher", "superuser"},
    "attach": {"editor", "publisher", "superuser"},
    "delete": {"editor", "publisher", "superuser"},
    "accept": {"publisher", "superuser"},
    "reject": {"publisher", "superuser"},
}


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)


@pytest.mark.parametrize("operation", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_it_should(role, operation):
    author = user_in("Editor", "author")
    user = person(role)
    change = attempt(operation, user, author)
    if role in ALLOWED[operation]:
        change()
    else:
        with pytest.raises(PermissionDenied):
            change()
