"""Action plans in the admin: the list, the form through the services, the buttons, the
CSV pages and the review's own page."""

import pytest
from django.test import Client
from django.urls import reverse

from reviews.actions.rules import Status
from reviews.models import Action
from tests.reviews.actions.helpers import add_action, completed, in_days, plan_review, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def review():
    return plan_review(slug="baby-x", title="Baby X")


def change_url(action) -> str:
    return reverse("admin:reviews_action_change", args=[action.pk])


def form_data(action=None, **changes) -> dict:
    data = {
        "description": "Audit the records",
        "owner": "",
        "due_on": in_days(30).isoformat(),
        "new_status": "not-started",
        "progress": "",
        "evidence": "",
    }
    if action is not None:
        data |= {
            "description": action.description,
            "owner": action.owner_id,
            "due_on": action.due_on.isoformat(),
            "new_status": action.status,
            "edit_version": action.version,
        }
    return data | changes


def test_the_list_shows_brag_and_filters_by_it(editor, editor_client, review):
    add_action(review, by=editor, description="Later work", due_on=in_days(100))
    add_action(review, by=editor, description="Soon work", due_on=in_days(3))

    page = editor_client.get(reverse("admin:reviews_action_changelist"))
    assert page.status_code == 200
    assert b'<span class="brag brag-green">Green</span>' in page.content
    amber = editor_client.get(reverse("admin:reviews_action_changelist") + "?brag=amber")
    assert b"Soon work" in amber.content and b"Later work" not in amber.content


def test_an_editor_adds_an_action_through_the_form(editor, editor_client, review):
    from reviews.models import Agency

    owner = Agency.objects.get(name="GP")
    response = editor_client.post(
        reverse("admin:reviews_action_add"),
        form_data(review=review.pk, recommendation_number=2, owner=owner.pk),
    )
    assert response.status_code == 302, response.content
    action = Action.objects.get()
    assert (action.recommendation_number, action.position, action.owner) == (2, 1, owner)


def test_the_form_shows_the_services_refusal_and_writes_nothing(editor, editor_client, review):
    from reviews.models import Agency

    owner = Agency.objects.get(name="GP")
    response = editor_client.post(
        reverse("admin:reviews_action_add"),
        form_data(review=review.pk, recommendation_number=5, owner=owner.pk),
    )
    assert response.status_code == 200
    assert b"there is no recommendation 5" in response.content
    assert not Action.objects.exists()


def test_a_stale_form_is_refused(editor, editor_client, review):
    action = add_action(review, by=editor)
    stale = form_data(action, progress="Mine")
    editor_client.post(change_url(action), form_data(action, progress="Theirs"))
    response = editor_client.post(change_url(action), stale)
    assert b"Someone else changed this action" in response.content
    action.refresh_from_db()
    assert action.progress == "Theirs"


def test_a_complete_action_is_shown_read_only(editor, publisher, editor_client, review):
    action = completed(review, by=editor, accepted_by=publisher)
    page = editor_client.get(change_url(action))
    assert page.status_code == 200
    assert b'name="description"' not in page.content
    response = editor_client.post(change_url(action), form_data(action, progress="x"))
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.progress == ""


class TestButtons:
    def test_a_publisher_accepts_someone_elses_evidence(self, editor, publisher_client, review):
        action = submitted(review, by=editor)
        page = publisher_client.get(change_url(action))
        assert b"Accept the evidence" in page.content
        publisher_client.post(reverse("admin:reviews_action_accept", args=[action.pk]))
        action.refresh_from_db()
        assert action.status == Status.COMPLETE

    def test_the_submitter_gets_no_buttons_and_cannot_post_them(self, publisher, review):
        client = Client()
        client.force_login(publisher)
        action = submitted(review, by=publisher)
        page = client.get(change_url(action))
        assert b"Accept the evidence" not in page.content
        assert b"another publisher must accept it" in page.content
        client.post(reverse("admin:reviews_action_accept", args=[action.pk]), follow=True)
        action.refresh_from_db()
        assert action.status == Status.EVIDENCE_SUBMITTED

    def test_an_editor_sees_no_buttons_and_cannot_accept(self, editor, editor_client, review):
        from tests.reviews.workflow_helpers import user_in

        action = submitted(review, by=user_in("Editor", "other"))
        assert b"Accept the evidence" not in editor_client.get(change_url(action)).content
        editor_client.post(reverse("admin:reviews_action_accept", args=[action.pk]))
        action.refresh_from_db()
        assert action.status == Status.EVIDENCE_SUBMITTED

    def test_rejecting_needs_a_reason(self, editor, publisher_client, review):
        action = submitted(review, by=editor)
        url = reverse("admin:reviews_action_reject", args=[action.pk])
        publisher_client.post(url, {"reason": ""})
        action.refresh_from_db()
        assert action.status == Status.EVIDENCE_SUBMITTED
        publisher_client.post(url, {"reason": "Undated minutes"})
        action.refresh_from_db()
        assert (action.status, action.rejection_reason) == (Status.IN_PROGRESS, "Undated minutes")

    def test_the_buttons_refuse_get_and_need_a_csrf_token(self, editor, publisher, review):
        action = submitted(review, by=editor)
        url = reverse("admin:reviews_action_accept", args=[action.pk])
        client = Client(enforce_csrf_checks=True)
        client.force_login(publisher)
        assert client.get(url).status_code == 405
        assert client.post(url).status_code == 403
        action.refresh_from_db()
        assert action.status == Status.EVIDENCE_SUBMITTED


class TestCsvPages:
    def test_import_shows_every_problem_and_writes_nothing(self, editor_client, review):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = (
            "review,recommendation,action,owner,due,status,progress,evidence\r\n"
            f"baby-x,1,Audit,GP,{in_days(5)},not-started,,\r\n"
            f"baby-x,1,Audit,Helth visiting,{in_days(5)},not-started,,\r\n"
        ).encode()
        response = editor_client.post(
            reverse("admin:reviews_action_import"),
            {"file": SimpleUploadedFile("plan.csv", data, content_type="text/csv")},
        )
        assert response.status_code == 200
        assert "plan.csv:3: owner: unknown agency &#x27;Helth visiting&#x27;" in (
            response.content.decode()
        )
        assert not Action.objects.exists()

    def test_import_of_a_good_file_adds_the_actions(self, editor_client, review):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = (
            "\ufeffreview,recommendation,action,owner,due,status,progress,evidence\r\n"
            f"baby-x,1,Audit,GP,{in_days(5)},not-started,,\r\n"
        ).encode()
        response = editor_client.post(
            reverse("admin:reviews_action_import"),
            {"file": SimpleUploadedFile("plan.csv", data)},
            follow=True,
        )
        assert b"1 action added" in response.content
        assert Action.objects.count() == 1

    def test_staff_without_a_role_cannot_import(self, client, review):
        from tests.reviews.workflow_helpers import user_in

        client.force_login(user_in(None, "visitor"))
        assert client.get(reverse("admin:reviews_action_import")).status_code == 403

    def test_export_downloads_the_csv(self, editor, editor_client, review):
        add_action(review, by=editor, description="Café")
        response = editor_client.get(reverse("admin:reviews_action_export") + "?review=baby-x")
        assert response["Content-Disposition"].startswith(
            'attachment; filename="action-plan-baby-x-'
        )
        assert response.content.startswith(b"\xef\xbb\xbfreview,")
        assert "Café".encode() in response.content

    def test_export_is_for_staff_only(self, client):
        response = client.get(reverse("admin:reviews_action_export"))
        assert response.status_code == 302


def test_the_reviews_page_lists_its_recommendations_with_their_actions(
    editor, editor_client, review
):
    action = add_action(review, by=editor, recommendation=2, description="Train the GPs")
    page = editor_client.get(reverse("admin:reviews_review_change", args=[review.pk]))
    content = page.content.decode()
    assert "Action plan" in content
    assert "Recommendation 2" in content
    assert change_url(action) in content
    assert "2.1 Train the GPs" in content
    assert "recommendation_number=1" in content  # "add an action" for each recommendation


def test_the_demo_gives_baby_c_actions_in_every_brag_state(tmp_path, settings):
    import io

    from django.core.management import call_command

    from reviews.actions.rules import today
    from reviews.models import BRAG_VALUES, AuditEntry, Review

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    call_command("load_demo", stdout=io.StringIO())
    baby_c = Review.objects.working_copies().get(slug="baby-c")
    actions = Action.objects.with_brag(today()).filter(review=baby_c)
    assert {action.brag for action in actions} == set(BRAG_VALUES)
    done = actions.get(status=Status.COMPLETE)
    assert done.accepted_by != done.evidence_submitted_by
    assert done.attachments.count() == 1
    assert actions.filter(status=Status.EVIDENCE_SUBMITTED).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACTION_REJECTED).exists()

    call_command("load_demo", stdout=io.StringIO())
    assert Action.objects.filter(review=baby_c).count() == actions.count()


def test_the_actions_list_filters_by_review(editor, editor_client, review):
    add_action(review, by=editor, description="Ours")
    add_action(plan_review(slug="other"), by=editor, description="Theirs")
    page = editor_client.get(reverse("admin:reviews_action_changelist") + f"?review={review.pk}")
    assert page.status_code == 200
    assert b"Ours" in page.content and b"Theirs" not in page.content


def test_a_review_with_an_action_plan_is_not_deleted_with_it(editor, superuser, review):
    from reviews.publishing import services as publishing

    add_action(review, by=editor)
    with pytest.raises(publishing.WorkflowError, match="has an action plan"):
        publishing.review_delete(review=review, user=superuser)
    assert Action.objects.filter(review=review).exists()


def test_the_form_shows_the_due_date_in_the_form_a_date_input_takes(editor, editor_client, review):
    action = add_action(review, by=editor)
    page = editor_client.get(change_url(action)).content.decode()
    assert f'value="{action.due_on.isoformat()}"' in page
