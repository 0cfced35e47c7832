from django.contrib import admin
from django.db.models import Count, Q

from learning import services
from learning.returns import admin as returns_admin  # noqa: F401 (registers its pages)
from portal.ordering import OrderedChildForm, OrderedInlineFormSet, save_ordered_formset
from reviews.admin.markdown import MarkdownPreviewMixin
from reviews.admin.readability import ReadabilityAdminMixin, body_reading_age
from reviews.admin.translations import PromptTranslationInline
from reviews.admin.workflow import LearningPointWorkflowMixin
from reviews.models import DiscussionPrompt, LearningPoint, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_cy", "slug", "description", "learning_point_count"]
    search_fields = ["name", "name_cy", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    # Counting drops the model's ordering (GROUP BY): without this, autocomplete lists
    # themes in no particular order.
    ordering = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Live copies repeat each published learning point; count the staff's own.
                learning_point_count=Count(
                    "learning_points", filter=Q(learning_points__review__is_live=False)
                )
            )
        )

    # Themes show on public pages, so saving goes through the service that drops cached pages.
    def save_model(self, request, obj, form, change) -> None:
        services.theme_save(theme=obj)

    def delete_model(self, request, obj) -> None:
        services.theme_delete(theme=obj)

    def delete_queryset(self, request, queryset) -> None:
        for theme in queryset:
            services.theme_delete(theme=theme)

    @admin.display(description="learning points", ordering="learning_point_count")
    def learning_point_count(self, obj: Theme) -> int:
        return obj.learning_point_count


class DiscussionPromptInline(admin.StackedInline):
    model = DiscussionPrompt
    form = OrderedChildForm
    formset = OrderedInlineFormSet
    fields = ["position", "question", "facilitator_note"]
    extra = 1


@admin.register(LearningPoint)
class LearningPointAdmin(
    ReadabilityAdminMixin, LearningPointWorkflowMixin, MarkdownPreviewMixin, admin.ModelAdmin
):
    list_display = ["title", "review", "position", "prompt_count"]
    list_filter = ["themes", "review__status"]
    search_fields = ["title", "body", "review__title", "prompts__question"]
    list_select_related = ["review"]
    autocomplete_fields = ["themes", "agencies"]
    fields = ["review", "position", "title", "body", "body_reading_age", "themes", "agencies"]
    body_reading_age = body_reading_age
    inlines = [DiscussionPromptInline]
    ordering = ["review__title", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(prompt_count=Count("prompts"))

    @admin.display(description="prompts", ordering="prompt_count")
    def prompt_count(self, obj: LearningPoint) -> int:
        return obj.prompt_count

    def get_readonly_fields(self, request, obj=None):
        # A learning point moves with its review; it is not re-homed from here.
        if obj and obj.review.translation_of_id:
            # A translation's structure and structured values are its original's.
            return ["review", "position", "themes", "agencies", "body_reading_age"]
        return ["review", "body_reading_age"] if obj else ["body_reading_age"]

    def get_inlines(self, request, obj):
        # A translation's prompts beside the original's (reviews/admin/translations.py).
        if obj and obj.review.translation_of_id:
            return [PromptTranslationInline]
        return super().get_inlines(request, obj)

    def save_formset(self, request, form, formset, change) -> None:
        if isinstance(formset, OrderedInlineFormSet):
            save_ordered_formset(formset)
        else:
            formset.save()

    def delete_model(self, request, obj) -> None:
        services.learning_points_delete(learning_points=[obj], user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        """The bulk "Delete selected" action, through the same service: each review gets a
        revision and an audit entry, as for one deletion."""
        services.learning_points_delete(
            learning_points=list(queryset.select_related("review")), user=request.user
        )


# Registered by importing: the subscriptions' admin lives with their package.
from learning.subscriptions import admin as subscriptions_admin  # noqa: E402, F401
