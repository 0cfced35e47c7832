"""Deleting from the admin never skips the revisions and the audit log."""

import pytest
from django.contrib import admin
from django.contrib.admin.sites import site
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from reviews.models import AuditEntry, LearningPoint, Review, ReviewRevision
from tests.reviews.workflow_helpers import draft, user_in

pytestmark = pytest.mark.django_db

# Records of what happened, not content: nobody may delete them at all.
RECORDS = {"AuditEntry", "ReviewRevision", "PreviewLink"}


def belongs_to_a_review(model, seen=()) -> bool:
    """Review itself, or a model whose rows hang from one (a learning point, its prompts...)."""
    if model is Review:
        return True
    for field in model._meta.get_fields():
        if (
            isinstance(field, models.ForeignKey)
            and field.related_model not in seen
            and belongs_to_a_review(field.related_model, (*seen, model))
        ):
            return True
    return False


def test_no_admin_for_review_content_offers_a_delete_that_skips_the_services():
    request = RequestFactory().get("/admin/")
    request.user = user_in(None, "root", is_staff=True, is_superuser=True)
    checked = []
    for model, model_admin in site._registry.items():
        if not belongs_to_a_review(model) or model.__name__ in RECORDS:
            continue
        checked.append(model.__name__)
        routed = type(model_admin).delete_queryset is not admin.ModelAdmin.delete_queryset
        offered = "delete_selected" in model_admin.get_actions(request)
        assert routed or not offered, f"{model.__name__}: bulk delete skips the services"
    assert {"Review", "LearningPoint"} <= set(checked)


def test_bulk_deleting_learning_points_records_a_revision_and_an_audit_entry(client, editor):
    review = draft(by=editor, learning_points=3)
    revisions = ReviewRevision.objects.filter(review=review).count()
    entries = AuditEntry.objects.filter(review=review).count()
    doomed = list(review.learning_points.order_by("position")[:2])
    client.force_login(editor)

    response = client.post(
        reverse("admin:learning_learningpoint_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [point.pk for point in doomed],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not LearningPoint.objects.filter(pk__in=[p.pk for p in doomed]).exists()
    assert ReviewRevision.objects.filter(review=review).count() == revisions + 1
    entry = AuditEntry.objects.filter(review=review).latest("pk")
    assert AuditEntry.objects.filter(review=review).count() == entries + 1
    note = str(entry.details)
    assert doomed[0].title in note and doomed[1].title in note
    latest = ReviewRevision.objects.filter(review=review).latest("number")
    assert len(latest.snapshot["review"]["learning_points"]) == 1
