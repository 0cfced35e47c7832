"""Action plans in the admin: the actions list with BRAG, the action form, accepting or
sending back evidence, evidence files, and the action plan CSV in and out.

Every change goes through reviews/actions/services.py (the form saves through it when it is
cleaned; the buttons post to small views here). Evidence files are only ever served by
`attachment_download_view`: staff with permission to view actions, as a download.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from reviews.actions import selectors, services
from reviews.actions.csv_export import action_plan_csv, action_plan_filename
from reviews.actions.csv_import import ActionPlanError
from reviews.actions.rules import Status, today
from reviews.admin.action_forms import (
    AcceptForm,
    ActionAdminForm,
    ActionPlanImportForm,
    AttachmentForm,
    RejectForm,
)
from reviews.admin.forms import error_text
from reviews.models import BRAG_LABELS, BRAG_VALUES, Action, ActionAttachment, Review
from reviews.records import PERMISSION_ACTION_ACCEPT, PERMISSION_ACTION_EDIT

MAX_IMPORT_UPLOAD_BYTES = 5 * 1024 * 1024


def brag_badge(brag: str):
    # The word is always shown: colour alone would tell some people nothing.
    return format_html('<span class="brag brag-{}">{}</span>', brag, brag.capitalize())


class BragFilter(admin.SimpleListFilter):
    title = "BRAG"
    parameter_name = "brag"

    def lookups(self, request, model_admin):
        return [(value, BRAG_LABELS[value]) for value in BRAG_VALUES]

    def queryset(self, request, queryset):
        if self.value() in BRAG_VALUES:
            return queryset.brag_filter(self.value(), today())
        return queryset


class WorkingReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        reviews = Review.objects.working_copies().filter(actions__isnull=False).distinct()
        return [(str(review.pk), review.title) for review in reviews.order_by("title")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(review_id=int(self.value()))
        return queryset


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    form = ActionAdminForm
    change_form_template = "admin/reviews/action/change_form.html"
    change_list_template = "admin/reviews/action/change_list.html"
    list_display = [
        "review",
        "number",
        "short_description",
        "owner",
        "due_on",
        "status",
        "brag",
    ]
    list_display_links = ["short_description"]
    list_filter = [WorkingReviewFilter, "owner", "status", BragFilter, "due_on"]
    search_fields = ["description", "review__title", "review__slug", "owner__name"]
    list_select_related = ["review", "owner"]
    ordering = ["review__slug", "recommendation_number", "position"]
    autocomplete_fields = ["review", "owner"]
    list_per_page = 100

    class Media:
        css = {"all": ["reviews/admin/workflow.css", "reviews/admin/actions.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_brag(today())

    @admin.display(description="no.", ordering="recommendation_number")
    def number(self, action: Action) -> str:
        return f"{action.recommendation_number}.{action.position}"

    @admin.display(description="action")
    def short_description(self, action: Action) -> str:
        text = action.description
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description="BRAG", ordering="brag")
    def brag(self, action: Action):
        return brag_badge(action.brag)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_fields(self, request, obj=None):
        fields = ["description", "owner", "due_on", "new_status", "progress", "evidence"]
        if obj is None:
            return ["review", "recommendation_number", *fields]
        where = ["review", "recommendation_number", "position"]
        if obj.status == Status.COMPLETE:
            return [*where, *fields[:3], "status", *fields[4:]]
        return [*where, *fields, "edit_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.status == Status.COMPLETE:
            return self.get_fields(request, obj)
        return ["review", "recommendation_number", "position"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name in ("review", "recommendation_number"):
            if request.GET.get(name, "").isdigit():
                initial[name] = int(request.GET[name])
        return initial

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.COMPLETE:
            return False  # a complete action is closed; the page shows it read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.COMPLETE:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # The form saved through the services when it was cleaned (action_forms.py).
        obj.pk = form.saved_action.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def delete_model(self, request, obj) -> None:
        services.action_delete(action=obj, user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for action in queryset.order_by("-position"):
            try:
                services.action_delete(action=action, user=request.user)
            except ValidationError as error:
                messages.warning(request, f"{action} of {action.review}: {error_text(error)}")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        action = self.get_object(request, object_id)
        if action is not None:
            extra_context = {**(extra_context or {}), **self._panel(request, action)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel(self, request, action: Action) -> dict:
        user = request.user
        can_edit = user.has_perm(PERMISSION_ACTION_EDIT) and action.status != Status.COMPLETE
        can_judge = (
            user.has_perm(PERMISSION_ACTION_ACCEPT) and action.status == Status.EVIDENCE_SUBMITTED
        )
        return {
            "action": action,
            "brag": brag_badge(action.brag_on(today())),
            "attachments": list(action.attachments.all()),
            "can_edit_files": can_edit,
            "can_judge": can_judge,
            "own_evidence": can_judge and action.evidence_submitted_by_id == user.pk,
            "accept_form": AcceptForm(),
            "reject_form": RejectForm(),
            "attachment_form": AttachmentForm(),
        }

    # Buttons, files and the CSV ----------------------------------------------------------

    def get_urls(self):
        def view(route: str, function, name: str):
            return path(route, self.admin_site.admin_view(function), name=f"reviews_action_{name}")

        return [
            view("<int:object_id>/accept/", self.accept_view, "accept"),
            view("<int:object_id>/reject/", self.reject_view, "reject"),
            view("<int:object_id>/attachments/add/", self.attachment_add_view, "attachment_add"),
            view(
                "<int:object_id>/attachments/<int:attachment_id>/remove/",
                self.attachment_remove_view,
                "attachment_remove",
            ),
            view(
                "<int:object_id>/attachments/<int:attachment_id>/download/",
                self.attachment_download_view,
                "attachment_download",
            ),
            view("import/", self.import_view, "import"),
            view("export/", self.export_view, "export"),
            *super().get_urls(),
        ]

    def _action_or_404(self, request: HttpRequest, object_id: int) -> Action:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Action.objects.select_related("review"), pk=object_id)

    def _back(self, action: Action) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:reviews_action_change", args=[action.pk]))

    def _run(self, request, action: Action, change, success: str) -> HttpResponseRedirect:
        try:
            change()
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, success)
        return self._back(action)

    @method_decorator(require_POST)
    def accept_view(self, request, object_id):
        action = self._action_or_404(request, object_id)
        form = AcceptForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        return self._run(
            request,
            action,
            lambda: services.action_accept(action=action, user=request.user, note=note),
            "Evidence accepted: the action is complete.",
        )

    @method_decorator(require_POST)
    def reject_view(self, request, object_id):
        action = self._action_or_404(request, object_id)
        reason = request.POST.get("reason", "")[:2000]
        return self._run(
            request,
            action,
            lambda: services.action_reject(action=action, user=request.user, reason=reason),
            "Evidence sent back: the action is in progress again.",
        )

    @method_decorator(require_POST)
    def attachment_add_view(self, request, object_id):
        action = self._action_or_404(request, object_id)
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "Choose a file to upload.")
            return self._back(action)
        upload = form.cleaned_data["file"]
        return self._run(
            request,
            action,
            lambda: services.attachment_add(action=action, user=request.user, upload=upload),
            "Evidence file added.",
        )

    @method_decorator(require_POST)
    def attachment_remove_view(self, request, object_id, attachment_id):
        action = self._action_or_404(request, object_id)
        attachment = get_object_or_404(ActionAttachment, pk=attachment_id, action=action)
        return self._run(
            request,
            action,
            lambda: services.attachment_remove(attachment=attachment, user=request.user),
            "Evidence file removed.",
        )

    def attachment_download_view(self, request, object_id, attachment_id) -> FileResponse:
        action = self._action_or_404(request, object_id)
        attachment = get_object_or_404(ActionAttachment, pk=attachment_id, action=action)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404("The file is missing from the private store.") from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    def import_view(self, request) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ActionPlanImportForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_IMPORT_UPLOAD_BYTES:
                problems = [f"{upload.name}: the file is larger than 5 MB; split it"]
            else:
                try:
                    report = services.action_plan_import(
                        filename=upload.name, data=upload.read(), user=request.user
                    )
                except ActionPlanError as error:
                    problems = error.problems
                except ValidationError as error:
                    problems = error.messages
                else:
                    messages.success(request, f"Action plan imported: {report}")
                    return HttpResponseRedirect(reverse("admin:reviews_action_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import an action plan",
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/reviews/action/import.html", context)

    def export_view(self, request) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        slug = request.GET.get("review") or None
        if slug is not None and not Review.objects.working_copies().filter(slug=slug).exists():
            raise Http404("There is no review with that address.")
        day = today()
        response = HttpResponse(
            action_plan_csv(review_slug=slug, today=day), content_type="text/csv; charset=utf-8"
        )
        filename = action_plan_filename(review_slug=slug, today=day)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ReviewActionPlanAdminMixin:
    """Mixed into ReviewAdmin: the review's page lists its recommendations' actions."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        review = self.get_object(request, object_id)
        if review is not None and request.user.has_perm("reviews.view_action"):
            day = today()
            plan = selectors.review_action_plan(review=review, today=day)
            for recommendation in plan:
                for action in recommendation.actions:
                    action.brag_badge = brag_badge(action.brag)
            extra_context = {
                **(extra_context or {}),
                "action_plan": plan,
                "can_add_actions": request.user.has_perm("reviews.add_action"),
            }
        return super().change_view(request, object_id, form_url, extra_context)
