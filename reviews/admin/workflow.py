"""The publishing workflow in the admin: buttons, history, diffs, previews, audit log.

Every button posts to a small view here that calls one function in reviews/publishing/services.py;
the services check permissions themselves. No JavaScript and no inline styles (Django 6's
Content-Security-Policy): plain forms, styled by static/reviews/admin/workflow.css.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from reviews.admin.forms import (
    PreviewLinkForm,
    PublishForm,
    ReviewAdminForm,
    ReviewChildAdminForm,
    error_text,
)
from reviews.models import PreviewLink, Review, ReviewRevision
from reviews.publishing import selectors as workflow_selectors
from reviews.publishing import services
from reviews.publishing.preview import preview_response


def review_admin_path(model_admin, function, name: str):
    """An admin page about one review: /admin/reviews/review/<id>/<name>/, staff only."""
    return path(
        f"<int:object_id>/{name}/",
        model_admin.admin_site.admin_view(function),
        name=f"reviews_review_{name.replace('-', '_').replace('/', '_')}",
    )


def review_or_404(model_admin, request: HttpRequest, object_id: str) -> Review:
    """The review an admin page is about, if the user may see reviews; 404 if it is gone."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    review = model_admin.get_object(request, object_id)
    if review is None:
        raise Http404("There is no review with that ID.")
    return review


class ReviewWorkflowAdminMixin:
    """Mixed into ReviewAdmin (reviews/admin/)."""

    form = ReviewAdminForm
    change_form_template = "admin/reviews/review/change_form.html"
    workflow_fieldset = ("Save", {"fields": ["change_note", "edit_version"]})

    class Media:
        css = {"all": ["reviews/admin/workflow.css"]}

    # Lists, forms and saving -------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_live=False)

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), self.workflow_fieldset]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.review_record_edit(
            review=form.instance,
            edited_by=request.user,
            expected_version=form.cleaned_data.get("edit_version") if change else None,
            change_note=form.cleaned_data.get("change_note", "") or ("" if change else "Created"),
        )
        for warning in workflow_selectors.publication_warnings(review=form.instance):
            messages.warning(request, warning)

    def delete_model(self, request, obj) -> None:
        services.review_delete(review=obj, user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for review in queryset:
            services.review_delete(review=review, user=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        review = self.get_object(request, object_id)
        if review is not None:
            extra_context = {
                **(extra_context or {}),
                "workflow": workflow_selectors.review_workflow(review=review, user=request.user),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    # Workflow views ----------------------------------------------------------------------

    def get_urls(self):
        def view(function, name):
            return review_admin_path(self, function, name)

        return [
            view(self.submit_view, "submit"),
            view(self.publish_view, "publish"),
            view(self.reject_view, "reject"),
            view(self.withdraw_view, "withdraw"),
            view(self.cancel_schedule_view, "cancel-schedule"),
            view(self.preview_view, "preview"),
            view(self.revisions_view, "revisions"),
            view(self.diff_view, "revisions/diff"),
            view(self.preview_link_create_view, "preview-links/create"),
            path(
                "<int:object_id>/revisions/<int:number>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="reviews_review_revision_preview",
            ),
            path(
                "<int:object_id>/revisions/<int:number>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name="reviews_review_revert",
            ),
            path(
                "<int:object_id>/preview-links/<uuid:link_id>/revoke/",
                self.admin_site.admin_view(self.preview_link_revoke_view),
                name="reviews_review_preview_link_revoke",
            ),
            *super().get_urls(),
        ]

    def _review_or_404(self, request: HttpRequest, object_id: str) -> Review:
        return review_or_404(self, request, object_id)

    def _back(self, review: Review) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:reviews_review_change", args=[review.pk]))

    def _run(self, request, review, action, success: str) -> HttpResponseRedirect:
        """Call a service; bad input becomes a message and changes nothing."""
        try:
            action()
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, success)
        return self._back(review)

    @staticmethod
    def _invalid(request, form: forms.Form) -> None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)

    @method_decorator(require_POST)
    def submit_view(self, request, object_id):
        review = self._review_or_404(request, object_id)
        note = request.POST.get("note", "")
        return self._run(
            request,
            review,
            lambda: services.review_submit(review=review, user=request.user, note=note),
            "Submitted for sign-off. Publishers have been emailed.",
        )

    @method_decorator(require_POST)
    def publish_view(self, request, object_id):
        review = self._review_or_404(request, object_id)
        form = PublishForm(request.POST)
        if not form.is_valid():
            self._invalid(request, form)
            return self._back(review)
        go_live_at = form.cleaned_data["go_live_at"]
        scheduled = go_live_at is not None and go_live_at > timezone.now()
        success = (
            f"Signed off. It goes public on {timezone.localtime(go_live_at):%-d %B %Y at %H:%M}."
            if scheduled
            else "Signed off and published."
        )
        return self._run(
            request,
            review,
            lambda: services.review_publish(
                review=review,
                user=request.user,
                go_live_at=go_live_at,
                note=form.cleaned_data["note"],
                confirm_early=form.cleaned_data["confirm_early"],
            ),
            success,
        )

    @method_decorator(require_POST)
    def reject_view(self, request, object_id):
        review = self._review_or_404(request, object_id)
        reason = request.POST.get("reason", "")
        return self._run(
            request,
            review,
            lambda: services.review_reject(review=review, user=request.user, reason=reason),
            "Sent back to its authors with your reason.",
        )

    @method_decorator(require_POST)
    def withdraw_view(self, request, object_id):
        review = self._review_or_404(request, object_id)
        return self._run(
            request,
            review,
            lambda: services.review_withdraw(
                review=review,
                user=request.user,
                reason=request.POST.get("reason", ""),
                public_notice=request.POST.get("public_notice", ""),
            ),
            "Withdrawn. Its address now shows a short notice (410 Gone).",
        )

    @method_decorator(require_POST)
    def cancel_schedule_view(self, request, object_id):
        review = self._review_or_404(request, object_id)
        return self._run(
            request,
            review,
            lambda: services.review_cancel_schedule(review=review, user=request.user),
            "Schedule cancelled. The review is waiting for sign-off again.",
        )

    @method_decorator(require_POST)
    def revert_view(self, request, object_id, number):
        review = self._review_or_404(request, object_id)
        revision = get_object_or_404(ReviewRevision, review=review, number=number)
        return self._run(
            request,
            review,
            lambda: services.review_revert(review=review, user=request.user, revision=revision),
            f"Reverted to revision {number}, saved as a new revision. Publish it to make it "
            "public.",
        )

    @method_decorator(require_POST)
    def preview_link_create_view(self, request, object_id):
        review = self._review_or_404(request, object_id)
        form = PreviewLinkForm(request.POST)
        if not form.is_valid():
            self._invalid(request, form)
            return self._back(review)
        return self._run(
            request,
            review,
            lambda: services.preview_link_create(
                review=review,
                user=request.user,
                days=form.cleaned_data["days"] or services.PREVIEW_LINK_DEFAULT_DAYS,
                note=form.cleaned_data["note"],
            ),
            "Preview link created. Copy it from the list below.",
        )

    @method_decorator(require_POST)
    def preview_link_revoke_view(self, request, object_id, link_id):
        review = self._review_or_404(request, object_id)
        link = get_object_or_404(PreviewLink, pk=link_id, review=review)
        return self._run(
            request,
            review,
            lambda: services.preview_link_revoke(link=link, user=request.user),
            "Preview link revoked: it no longer works.",
        )

    def preview_view(self, request, object_id, number=None) -> HttpResponse:
        review = self._review_or_404(request, object_id)
        if number is None:
            return preview_response(
                request, review=review, revision=None, label="Current working copy"
            )
        revision = get_object_or_404(ReviewRevision, review=review, number=number)
        return preview_response(
            request, review=review, revision=revision, label=f"Revision {revision.number}"
        )

    def revisions_view(self, request, object_id) -> TemplateResponse:
        review = self._review_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Revisions of {review}",
            "review": review,
            "revisions": workflow_selectors.revision_list(review=review),
            "can_revert": request.user.has_perm(services.PERMISSION_PUBLISH),
        }
        return TemplateResponse(request, "admin/reviews/review/revisions.html", context)

    def diff_view(self, request, object_id) -> TemplateResponse:
        review = self._review_or_404(request, object_id)
        try:
            old_number = int(request.GET.get("from", ""))
            new_number = int(request.GET.get("to", ""))
        except ValueError:
            messages.error(request, "Choose two revisions to compare.")
            return HttpResponseRedirect(reverse("admin:reviews_review_revisions", args=[review.pk]))
        old = get_object_or_404(ReviewRevision, review=review, number=old_number)
        new = get_object_or_404(ReviewRevision, review=review, number=new_number)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Changes to {review}: revision {old.number} to {new.number}",
            "review": review,
            "old": old,
            "new": new,
            "changes": workflow_selectors.revision_diff(old=old, new=new),
        }
        return TemplateResponse(request, "admin/reviews/review/revision_diff.html", context)


class LearningPointWorkflowMixin:
    """Mixed into LearningPointAdmin (learning/admin.py): its saves are saves of the review."""

    form = ReviewChildAdminForm

    def get_queryset(self, request):
        return super().get_queryset(request).filter(review__is_live=False)

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), "change_note", "edit_version"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "review":
            kwargs["queryset"] = Review.objects.working_copies()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.review_record_edit(
            review=form.instance.review,
            edited_by=request.user,
            expected_version=form.cleaned_data.get("edit_version") if change else None,
            change_note=form.cleaned_data.get("change_note", "")
            or f"Learning point “{form.instance.title}”",
        )
