"""Staff pages for discussion returns: held ones first, released or rejected through the
services (learning/returns/services.py). Nothing is edited here: a return is what the team
sent. Every text is shown escaped, as Django's admin does with read-only fields."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When

from learning.returns import services
from learning.returns.codes import code_normalise
from learning.returns.models import DiscussionReturn, UseCode
from reviews.records import WorkflowError

Status = DiscussionReturn.Status


@admin.register(DiscussionReturn)
class DiscussionReturnAdmin(admin.ModelAdmin):
    list_display = [
        "status",
        "submitted_at",
        "discussed_on",
        "team_name",
        "agency_shown",
        "about",
        "participants",
        "practice_changed",
        "follow_up_state",
    ]
    list_display_links = ["submitted_at"]
    list_filter = ["status", "follow_up_barriers_status", "use_code__kind", "agency"]
    search_fields = ["team_name", "agency_other", "use_code__code"]
    list_select_related = ["agency", "use_code", "review"]
    date_hierarchy = "submitted_at"
    actions = ["release", "reject"]
    exclude = ["email"]  # shown as "kept until" only: staff have no use for the address
    readonly_fields = [
        "use_code",
        "review",
        "status",
        "privacy_findings",
        "discussed_on",
        "team_name",
        "agency",
        "agency_other",
        "participants",
        "roles",
        "prompts_discussed",
        "different",
        "submitted_at",
        "decided_at",
        "decided_by",
        "follow_up_due_on",
        "follow_up_claimed_at",
        "follow_up_sent_at",
        "follow_up_answered_at",
        "practice_changed",
        "follow_up_barriers",
        "follow_up_barriers_status",
        "follow_up_privacy_findings",
        "email_deleted_at",
    ]

    def get_queryset(self, request):
        # Held returns first: they are waiting for someone.
        return (
            super()
            .get_queryset(request)
            .annotate(
                waiting=Case(
                    When(status=Status.HELD, then=Value(0)),
                    When(follow_up_barriers_status=Status.HELD, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("waiting", "-submitted_at")
        )

    @admin.display(description="Agency")
    def agency_shown(self, obj: DiscussionReturn) -> str:
        return obj.agency.name if obj.agency else f"Other: {obj.agency_other}"

    @admin.display(description="About")
    def about(self, obj: DiscussionReturn) -> str:
        return f"{obj.use_code.get_kind_display()}: {obj.use_code.snapshot.get('title', '')}"

    @admin.display(description="Follow-up")
    def follow_up_state(self, obj: DiscussionReturn) -> str:
        if obj.follow_up_answered_at:
            return "Answered"
        if obj.follow_up_sent_at:
            return "Sent"
        if obj.follow_up_claimed_at:
            return "Claimed, not confirmed sent"
        if obj.follow_up_due_on and obj.email:
            return f"Due {obj.follow_up_due_on:%d %b %Y}"
        return "None"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Nothing on the page is editable; decisions are the list's actions."""

    def _decide(self, request, queryset, decide, done: str) -> None:
        count = 0
        for discussion_return in queryset:
            try:
                decide(discussion_return=discussion_return, user=request.user)
            except (WorkflowError, PermissionDenied) as error:
                message = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(
                    request, f"Return {discussion_return.pk}: {message}", messages.ERROR
                )
            else:
                count += 1
        if count:
            self.message_user(request, f"{done} {count} return{'s' if count != 1 else ''}.")

    @admin.action(description="Release the selected held returns", permissions=["change"])
    def release(self, request, queryset) -> None:
        self._decide(request, queryset, services.return_release, "Released")

    @admin.action(description="Reject the selected returns", permissions=["change"])
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, services.return_reject, "Rejected")


@admin.register(UseCode)
class UseCodeAdmin(admin.ModelAdmin):
    """Look up what a code printed (a team asking about its return gives the code)."""

    list_display = ["display_code", "kind", "title", "review_version", "created_at"]
    list_filter = ["kind"]
    search_fields = ["code"]
    readonly_fields = [
        "code",
        "kind",
        "review",
        "theme",
        "review_version",
        "snapshot",
        "created_at",
    ]
    exclude = ["digest"]

    @admin.display(description="Printed")
    def title(self, obj: UseCode) -> str:
        return obj.snapshot.get("title", "")

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(
            request, queryset, code_normalise(search_term) or search_term
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Codes are made by printing, never edited."""
