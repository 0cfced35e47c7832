"""Subscriptions for staff: who is subscribed to what, confirmed or not, last digest sent.

Read-only: subscribers change their own choices through their signed links. Staff can only
remove a subscription (someone asks by e-mail to stop, an address bounces), through
services.subscription_remove.
"""

from django.contrib import admin
from django.db.models import Prefetch

from learning.subscriptions import services
from learning.subscriptions.models import Subscription
from reviews.models import Agency, Theme


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed", "choices", "frequency", "language", "last_sent_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter), "everything"]
    search_fields = ["email"]
    ordering = ["email"]
    readonly_fields = [
        "email",
        "confirmed",
        "choices",
        "frequency",
        "language",
        "created_at",
        "requested_at",
        "confirmed_at",
        "last_checked_at",
        "last_sent_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("themes", queryset=Theme.objects.only("name")),
                Prefetch("agencies", queryset=Agency.objects.only("name")),
            )
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(boolean=True, description="confirmed", ordering="confirmed_at")
    def confirmed(self, obj: Subscription) -> bool:
        return obj.confirmed

    @admin.display(description="choices")
    def choices(self, obj: Subscription) -> str:
        if obj.everything:
            return "Everything"
        parts = []
        if themes := [theme.name for theme in obj.themes.all()]:
            parts.append("Themes: " + ", ".join(themes))
        if agencies := [agency.name for agency in obj.agencies.all()]:
            parts.append("Agencies: " + ", ".join(agencies))
        return "; ".join(parts) or "Nothing chosen"

    def delete_model(self, request, obj) -> None:
        services.subscription_remove(subscription=obj, user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for subscription in queryset:
            services.subscription_remove(subscription=subscription, user=request.user)
