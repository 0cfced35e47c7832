"""The audit log in the admin: read-only, for those allowed to read it."""

from django.contrib import admin

from reviews.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: publishers read it; nobody, superusers included, adds, edits or deletes."""

    list_display = [
        "created_at",
        "action",
        "review_title",
        "revision_number",
        "user_name",
        "details",
    ]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter), "user_name"]
    search_fields = ["review_title", "user_name", "details"]
    date_hierarchy = "created_at"
    list_per_page = 100
    actions = None
    fields = list_display + ["review_id", "user_id"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("reviews.view_audit_log")

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)
