"""The statutory calendar in the admin: board closure days, a review's deadlines panel, and
/admin/deadlines/ (what is due next across all reviews). Staff only; reads come from
reviews/calendar/deadlines.py and changes go through reviews/calendar/services.py."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse

from reviews.calendar import services
from reviews.calendar.deadlines import MAX_LISTED, deadlines_due, deadlines_for_review
from reviews.models import Board, ClosureDay, Review


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date_written", "board", "reason"]
    list_filter = ["board"]
    date_hierarchy = "date"
    search_fields = ["reason", "board__name"]
    autocomplete_fields = ["board"]
    fields = ["board", "date", "reason"]

    @admin.display(description="date", ordering="date")
    def date_written(self, obj: ClosureDay) -> str:
        return f"{obj.date:%A} {obj.date.day} {obj.date:%B %Y}"

    def save_model(self, request, obj, form, change) -> None:
        services.closure_day_save(closure_day=obj, user=request.user)

    def delete_model(self, request, obj) -> None:
        services.closure_day_delete(closure_day=obj, user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for closure_day in queryset:
            services.closure_day_delete(closure_day=closure_day, user=request.user)


class ReviewDeadlinesAdminMixin:
    """Mixed into ReviewAdmin: the "Statutory deadlines" panel above the review's form."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        review = self.get_object(request, object_id)
        if review is not None:
            extra_context = {
                **(extra_context or {}),
                "statutory_deadlines": deadlines_for_review(review=review),
            }
        return super().change_view(request, object_id, form_url, extra_context)


class DeadlineFilterForm(forms.Form):
    board = forms.ModelChoiceField(
        queryset=Board.objects.order_by("name"), required=False, empty_label="All boards"
    )
    nation = forms.ChoiceField(
        choices=[("", "All nations"), *Review.Nation.choices], required=False
    )


def deadlines_view(request: HttpRequest) -> TemplateResponse:
    """/admin/deadlines/: overdue first, then what is due soonest."""
    if not request.user.has_perm("reviews.view_review"):
        raise PermissionDenied
    form = DeadlineFilterForm(request.GET or None)
    due = None
    if not form.is_bound:
        due = deadlines_due()
    elif form.is_valid():
        due = deadlines_due(board=form.cleaned_data["board"], nation=form.cleaned_data["nation"])
    context = {
        **admin.site.each_context(request),
        "title": "Statutory deadlines",
        "form": form,
        "due": due,
        "max_listed": MAX_LISTED,
    }
    return TemplateResponse(request, "admin/reviews/deadlines.html", context)


# Mounted at /admin/deadlines/ by portal/urls.py: staff only, like every admin page.
deadlines_admin_view = admin.site.admin_view(deadlines_view)
