from django.contrib import admin
from django.db.models import Count, Q

from portal.models import PortalSettings
from portal.ordering import OrderedChildForm, OrderedInlineFormSet, save_ordered_formset
from reviews.admin.actions import ReviewActionPlanAdminMixin
from reviews.admin.calendar import ReviewDeadlinesAdminMixin
from reviews.admin.documents import ReviewDocumentsAdminMixin
from reviews.admin.markdown import MarkdownPreviewMixin
from reviews.admin.privacy import ReviewPrivacyAdminMixin
from reviews.admin.readability import ReviewReadabilityAdminMixin, body_reading_age
from reviews.admin.translations import ReviewTranslationAdminMixin
from reviews.admin.workflow import ReviewWorkflowAdminMixin
from reviews.models import (
    Agency,
    AnalysisFinding,
    Board,
    ChronologyEvent,
    LearningPoint,
    Recommendation,
    Review,
    ReviewType,
)
from reviews.publishing.renames import (
    agency_delete,
    agency_save,
    board_save,
    portal_settings_save,
    review_type_save,
)


class OrderedInline(MarkdownPreviewMixin, admin.StackedInline):
    form = OrderedChildForm
    formset = OrderedInlineFormSet
    extra = 0


class ChronologyEventInline(OrderedInline):
    model = ChronologyEvent
    fields = ["position", "when", "age_months", "date", "agencies", "text", "is_key"]
    autocomplete_fields = ["agencies"]
    verbose_name = "chronology event"


class AnalysisFindingInline(OrderedInline):
    model = AnalysisFinding
    fields = ["position", "heading", "text"]
    verbose_name = "analysis finding"


class RecommendationInline(OrderedInline):
    model = Recommendation
    fields = ["position", "text", "agencies"]
    autocomplete_fields = ["agencies"]


class LearningPointInline(OrderedInline):
    model = LearningPoint
    fields = ["position", "title", "body", "body_reading_age", "themes", "agencies"]
    readonly_fields = ["body_reading_age"]
    body_reading_age = body_reading_age
    autocomplete_fields = ["themes", "agencies"]
    show_change_link = True
    verbose_name = "key learning point"
    verbose_name_plural = "key learning (save, then use “Change” on a learning point to edit "
    "its discussion prompts)"


@admin.register(Review)
class ReviewAdmin(
    ReviewActionPlanAdminMixin,
    ReviewDeadlinesAdminMixin,
    ReviewReadabilityAdminMixin,
    ReviewTranslationAdminMixin,
    ReviewPrivacyAdminMixin,
    ReviewDocumentsAdminMixin,
    ReviewWorkflowAdminMixin,
    MarkdownPreviewMixin,
    admin.ModelAdmin,
):
    list_display = [
        "title",
        "board",
        "review_type",
        "status",
        "language",
        "published_on",
        "updated_at",
    ]
    list_filter = ["status", "language", "review_type", "nation", "child_outcome", "board"]
    search_fields = ["title", "slug", "child_pseudonym", "keywords", "summary"]
    ordering = ["-updated_at"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["board", "agencies"]
    list_select_related = ["board", "review_type"]
    save_on_top = True
    # Status changes only by the publishing buttons; reading ages are worked out.
    readonly_fields = ["status", "plain_summary_reading_age", "summary_reading_age"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "review_type", "board", "nation", "status"]},
        ),
        (
            "Publication",
            {
                "fields": [
                    "published_on",
                    "reviewer",
                    "methodology",
                    "report_url",
                    "keywords",
                    "improvements_only",
                    "keep_published_until",
                ]
            },
        ),
        (
            "Statutory dates",
            {
                "description": "Staff only: never shown to the public. The deadlines above "
                "are counted from them (docs/statutory-deadlines.md).",
                "fields": list(Review.STATUTORY_FIELDS),
            },
        ),
        (
            "The child",
            {
                "description": "Use the review's pseudonym. Never enter a real name here.",
                "fields": [
                    "child_pseudonym",
                    "child_sex",
                    "child_age_text",
                    "child_age_months",
                    "child_outcome",
                ],
            },
        ),
        (
            "The case",
            {
                "fields": [
                    "review_period",
                    "incident_date",
                    "agencies",
                    "content_warning",
                    "plain_summary",
                    "plain_summary_reading_age",
                    "summary",
                    "summary_reading_age",
                ]
            },
        ),
    ]
    inlines = [
        ChronologyEventInline,
        AnalysisFindingInline,
        RecommendationInline,
        LearningPointInline,
    ]

    def save_formset(self, request, form, formset, change) -> None:
        if isinstance(formset, OrderedInlineFormSet):
            save_ordered_formset(formset)
        else:
            formset.save()


@admin.register(ReviewType)
class ReviewTypeAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    list_display = ["name", "name_cy", "slug", "short_name", "learning_heading"]
    readonly_fields = ["slug"]
    fields = [
        "slug",
        "name",
        "name_cy",
        "short_name",
        "short_name_cy",
        "learning_heading",
        "learning_heading_cy",
        "explanation",
        "reports_text",
    ]

    def has_add_permission(self, request) -> bool:
        # The review document format fixes the list of types; their texts are editable.
        return False

    # Case summary pages show these texts: the service renders them again.
    def save_model(self, request, obj, form, change) -> None:
        review_type_save(review_type=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "name_cy", "is_bilingual", "review_count"]
    list_filter = ["is_bilingual"]
    search_fields = ["name", "name_cy"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "name_cy", "is_bilingual"]}),
        (
            "Statutory timescales",
            {
                "description": "England's rules are the defaults. Working days leave out "
                "weekends, the bank holidays of each review's nation and this board's "
                "closure days (Closure days, in the admin's list).",
                "fields": [
                    "panel_notice_working_days",
                    "rapid_review_working_days",
                    "publication_wait_working_days",
                    "keep_published_months",
                ],
            },
        ),
    ]
    # Counting drops the model's ordering (GROUP BY): without this, autocomplete lists
    # boards in no particular order.
    ordering = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Live copies are the published face of a review, not reviews of their own.
                review_count=Count(
                    "reviews",
                    filter=Q(reviews__is_live=False, reviews__translation_of__isnull=True),
                )
            )
        )

    @admin.display(description="reviews", ordering="review_count")
    def review_count(self, obj: Board) -> int:
        return obj.review_count

    # Case summary pages show the board's name: the service renders them again.
    def save_model(self, request, obj, form, change) -> None:
        board_save(board=obj)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_cy", "slug"]
    search_fields = ["name", "name_cy"]
    prepopulated_fields = {"slug": ["name"]}

    # Case summary pages name agencies: the services render them again.
    def save_model(self, request, obj, form, change) -> None:
        agency_save(agency=obj)

    def delete_model(self, request, obj) -> None:
        agency_delete(agency=obj)

    def delete_queryset(self, request, queryset) -> None:
        for agency in queryset:
            agency_delete(agency=agency)


@admin.register(PortalSettings)
class PortalSettingsAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "board_name",
                    "logo_text",
                    "introduction",
                    "team_meetings_text",
                    "accessibility_statement",
                    "privacy_notice",
                ]
            },
        ),
        (
            "Welsh (pages under /cy/)",
            {
                "description": "Left empty, Welsh pages show the English text, marked as "
                "English for screen readers (docs/welsh.md).",
                "fields": [
                    "board_name_cy",
                    "introduction_cy",
                    "team_meetings_text_cy",
                    "accessibility_statement_cy",
                    "privacy_notice_cy",
                ],
            },
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return not PortalSettings.objects.exists()

    # Every page shows these texts: the service drops cached pages and renders stored ones.
    def save_model(self, request, obj, form, change) -> None:
        portal_settings_save(portal=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
