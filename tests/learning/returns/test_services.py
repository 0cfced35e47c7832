"""Returns held by the privacy check, staff decisions, and the public line on a review."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from learning.returns import services
from learning.returns.models import DiscussionReturn, UseCode
from reviews.models import Agency, AuditEntry, Review
from reviews.records import WorkflowError
from tests.factories import EditorFactory, build_review
from tests.learning.returns.helpers import sheet_code

pytestmark = pytest.mark.django_db
Status = DiscussionReturn.Status


def submit(use_code: UseCode, *, now=None, **changes) -> DiscussionReturn:
    fields = {
        "discussed_on": timezone.localdate(now) - datetime.timedelta(days=1),
        "team_name": "Earlsdon GP practice",
        "agency": Agency.objects.get(name="GP"),
        "agency_other": "",
        "participants": 5,
        "roles": ["gp"],
        "prompts_discussed": ["1.1"],
        "different": "We will phone the health visitor before closing a concern.",
        "email": None,
    }
    language = changes.pop("language", "en")
    fields.update(changes)
    return services.return_submit(
        use_code=use_code, data=services.ReturnData(**fields), language=language, now=now
    )


@pytest.fixture
def use_code(client) -> UseCode:
    build_review(slug="child-q", learning_points=2, prompts=2)
    return sheet_code(client, "child-q")


def reach_line(client) -> list[str]:
    return re.findall(r"Discussed by[^<]*", client.get("/reviews/child-q/").content.decode())


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("different", "We should have visited Jayden at 14 Acacia Avenue, CV2 4GH."),
        ("different", "Call the mother on 07700 900123 next time."),
        ("team_name", "Team at 14 Acacia Avenue"),
        ("agency_other", "NHS number 943 476 5919 team"),
    ],
)
def test_free_text_the_privacy_check_flags_is_held(use_code, field, text):
    changes = {field: text}
    if field == "agency_other":
        changes["agency"] = None
    held = submit(use_code, **changes)

    assert held.status == Status.HELD
    assert held.privacy_findings and held.privacy_findings[0]["field"] == field


def test_a_review_s_protected_name_is_held_too(use_code, editor):
    from reviews.privacy.services import protected_names_add

    review = Review.objects.get(pk=use_code.review_id)
    protected_names_add(review=review, user=editor, names=["Kayleigh Smythe"])

    held = submit(use_code, different="We talked about what happened to kayleigh smythe.")

    assert held.status == Status.HELD
    assert any(f["kind"] == "protected-name" for f in held.privacy_findings)


def test_the_review_s_own_stand_in_name_is_not_flagged(use_code):
    review = Review.objects.get(pk=use_code.review_id)

    kept = submit(use_code, different=f"We discussed what happened to {review.child_pseudonym}.")

    assert kept.status == Status.VISIBLE


def test_the_public_line_counts_visible_returns_only(client, use_code):
    assert reach_line(client) == []
    submit(use_code, team_name="Earlsdon GP practice")
    submit(use_code, team_name="earlsdon gp practice")  # the same team again
    submit(use_code, team_name="Police public protection", agency=Agency.objects.get(name="Police"))
    submit(use_code, team_name="Held team", different="Ring 07700 900123.")

    assert reach_line(client) == ["Discussed by 2 teams in 2 agencies."]


def test_the_public_line_is_singular_for_one_team(client, use_code):
    submit(use_code)

    assert reach_line(client) == ["Discussed by 1 team in 1 agency."]


def test_the_line_carries_no_personal_data(client, use_code):
    submit(use_code, team_name="Earlsdon GP practice", email="lead@example.org")

    html = client.get("/reviews/child-q/").content.decode()

    assert "Earlsdon" not in html and "lead@example.org" not in html


def test_releasing_a_held_return_counts_it_and_is_audited(client, use_code, superuser):
    held = submit(use_code, different="Ring 07700 900123.")

    services.return_release(discussion_return=held, user=superuser)

    held.refresh_from_db()
    assert held.status == Status.VISIBLE and held.decided_by == superuser
    assert reach_line(client) == ["Discussed by 1 team in 1 agency."]
    entry = AuditEntry.objects.get(action=services.RELEASED)
    assert entry.review_id == use_code.review_id and entry.details["return"] == held.pk


def test_rejecting_a_return_hides_it_deletes_its_address_and_is_audited(
    client, use_code, superuser
):
    visible = submit(use_code, email="lead@example.org")
    assert reach_line(client) == ["Discussed by 1 team in 1 agency."]

    services.return_reject(discussion_return=visible, user=superuser, reason="Spam")

    visible.refresh_from_db()
    assert visible.status == Status.REJECTED
    assert visible.email is None and visible.email_deleted_at is not None
    assert reach_line(client) == []
    assert AuditEntry.objects.get(action=services.REJECTED).details["reason"] == "Spam"


def test_only_held_returns_can_be_released_and_nothing_twice_rejected(use_code, superuser):
    visible = submit(use_code)

    with pytest.raises(WorkflowError):
        services.return_release(discussion_return=visible, user=superuser)
    services.return_reject(discussion_return=visible, user=superuser)
    with pytest.raises(WorkflowError):
        services.return_reject(discussion_return=visible, user=superuser)


def test_staff_without_the_permission_cannot_decide(use_code):
    held = submit(use_code, different="Ring 07700 900123.")
    editor = EditorFactory()

    with pytest.raises(PermissionDenied):
        services.return_release(discussion_return=held, user=editor)
    with pytest.raises(PermissionDenied):
        services.return_reject(discussion_return=held, user=editor)
    held.refresh_from_db()
    assert held.status == Status.HELD


def test_the_admin_lists_held_returns_first_and_releases_through_the_service(
    use_code, superuser_client
):
    submit(use_code, team_name="Visible team")
    held = submit(use_code, team_name="Held team", different="Ring 07700 900123.")

    listing = superuser_client.get("/admin/learning/discussionreturn/").content.decode()
    response = superuser_client.post(
        "/admin/learning/discussionreturn/",
        {"action": "release", "_selected_action": [held.pk]},
    )

    assert listing.index("Held team") < listing.index("Visible team")
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Status.VISIBLE
    assert AuditEntry.objects.filter(action=services.RELEASED).count() == 1


def test_the_service_checks_what_a_form_would(use_code):
    with pytest.raises(WorkflowError):
        submit(use_code, participants=0)
    with pytest.raises(WorkflowError):
        submit(use_code, prompts_discussed=["7.7"])
    with pytest.raises(WorkflowError):
        submit(use_code, roles=["wizard"])
    with pytest.raises(WorkflowError):
        submit(use_code, different="   ")
    with pytest.raises(WorkflowError):
        submit(use_code, agency=None, agency_other="")
    with pytest.raises(WorkflowError):
        submit(use_code, discussed_on=timezone.localdate() + datetime.timedelta(days=1))
    assert not DiscussionReturn.objects.exists()


def test_deleting_a_review_keeps_its_returns_and_codes(use_code, superuser):
    from reviews.publishing.services import review_delete

    kept = submit(use_code)
    review_delete(review=Review.objects.get(pk=use_code.review_id), user=superuser)

    kept.refresh_from_db()
    assert kept.review is None and kept.use_code.snapshot["title"]


def test_the_line_reaches_a_cached_page_at_once(client, use_code, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    assert reach_line(client) == []
    assert client.get("/reviews/child-q/").headers.get("X-Cache") == "hit"

    submit(use_code)

    assert reach_line(client) == ["Discussed by 1 team in 1 agency."]


def test_a_return_that_does_not_change_the_figures_leaves_the_page_alone(use_code, monkeypatch):
    submit(use_code)
    refreshed = []
    monkeypatch.setattr(
        "learning.returns.reach.review_public_copies_refresh",
        lambda **kwargs: refreshed.append(kwargs),
    )

    submit(use_code)  # the same team again
    submit(use_code, different="Ring 07700 900123.")  # held

    assert refreshed == []


def test_a_return_in_a_language_the_portal_does_not_write_is_refused_and_not_stored(use_code):
    with pytest.raises(WorkflowError, match="Unknown language"):
        submit(use_code, language="fr")

    assert not DiscussionReturn.objects.exists()
