"""Who may do what with discussion returns: the roles given in learning 0016."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from learning.returns import services
from tests.factories import EditorFactory, PublisherFactory
from tests.learning.returns.test_follow_ups import returned, use_code  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_publisher_may_let_a_held_return_through_and_an_editor_may_not(use_code):  # noqa: F811
    held = returned(use_code, days_ago=1, different="Ring Jane Smith on 07700 900123.")
    editor, publisher = EditorFactory(), PublisherFactory()

    with pytest.raises(PermissionDenied):
        services.return_release(discussion_return=held, user=editor)
    services.return_release(discussion_return=held, user=publisher)

    held.refresh_from_db()
    assert held.status == held.Status.VISIBLE


@pytest.mark.parametrize("role", [EditorFactory, PublisherFactory])
def test_editors_and_publishers_see_the_reach_and_impact_report(client, role):
    client.force_login(role())

    assert client.get(reverse("impact:report")).status_code == 200
