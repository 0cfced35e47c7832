"""Translations in the admin: the "Welsh translation" link on a review, and side-by-side
editing of a translation (docs/welsh-translations.md).

A translation's change page shows only the words to translate, each with the original's
words beside it (a read-only field next to each input, in the form and in every inline row),
and none of the structured values: those are the original's, copied on every save
(reviews/translations/services.py). Rows cannot be added, removed or reordered there; a
translation has its original's rows.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe

from reviews.admin.forms import error_text
from reviews.admin.workflow import review_admin_path, review_or_404
from reviews.models import (
    AnalysisFinding,
    ChronologyEvent,
    DiscussionPrompt,
    LearningPoint,
    Recommendation,
    Review,
)
from reviews.translations.services import review_translation_create

WELSH = Review.Language.WELSH


def _original_text(value: str):
    """The original's words, shown read-only beside the input for the translation."""
    if not value:
        return mark_safe('<span class="translation-original-empty">(empty)</span>')  # noqa: S308
    paragraphs = mark_safe(linebreaks(value, autoescape=True))  # noqa: S308 - escaped here
    return format_html('<div class="translation-original" lang="en">{}</div>', paragraphs)


class TranslationRowInline(admin.StackedInline):
    """One kind of row of a translation, each beside its original row (same position)."""

    extra = 0
    can_delete = False
    translated: tuple[str, ...] = ()

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_fields(self, request, obj=None):
        return [(name, f"original_{name}") for name in self.translated]

    def get_readonly_fields(self, request, obj=None):
        return [f"original_{name}" for name in self.translated]

    def original_rows(self, row):
        """The original's rows of this kind, of which `row` translates one."""
        return self.model._default_manager.filter(review_id=row.review.translation_of_id)

    def _original(self, row):
        # The inline instance lives for one request: the original's rows are read once.
        cache = self.__dict__.setdefault("_originals", {})
        if None not in cache:
            cache[None] = {original.position: original for original in self.original_rows(row)}
        return cache[None].get(row.position)

    def _show(self, row, name: str):
        original = self._original(row) if row and row.pk else None
        return _original_text(getattr(original, name, "") if original else "")

    def __getattr__(self, name: str):
        # original_<field>: the original row's <field>, for get_readonly_fields.
        if name.startswith("original_") and name[9:] in type(self).translated:
            field = name[9:]

            def show(row, field=field):
                return self._show(row, field)

            show.short_description = f"English original: {field.replace('_', ' ')}"
            return show
        raise AttributeError(name)


class ChronologyTranslationInline(TranslationRowInline):
    model = ChronologyEvent
    translated = ("when", "text")
    verbose_name = "chronology event"


class FindingTranslationInline(TranslationRowInline):
    model = AnalysisFinding
    translated = ("heading", "text")
    verbose_name = "analysis finding"


class RecommendationTranslationInline(TranslationRowInline):
    model = Recommendation
    translated = ("text",)


class LearningPointTranslationInline(TranslationRowInline):
    model = LearningPoint
    translated = ("title", "body")
    show_change_link = True
    verbose_name = "key learning point"
    verbose_name_plural = "key learning (use “Change” on a learning point to translate its "
    "discussion prompts)"


class PromptTranslationInline(TranslationRowInline):
    """A translation's learning point's prompts (its own admin page, learning/admin.py)."""

    model = DiscussionPrompt
    translated = ("question", "facilitator_note")
    verbose_name = "discussion prompt"

    def original_rows(self, row):
        point = row.learning_point
        return self.model._default_manager.filter(
            learning_point__review_id=point.review.translation_of_id,
            learning_point__position=point.position,
        )


# The review's own words to translate, in the order of the English form.
REVIEW_TRANSLATED = (
    "title",
    "child_pseudonym",
    "child_age_text",
    "review_period",
    "methodology",
    "content_warning",
    "plain_summary",
    "summary",
)


class ReviewTranslationAdminMixin:
    """Mixed into ReviewAdmin (reviews/admin/reviews.py)."""

    translation_inlines = [
        ChronologyTranslationInline,
        FindingTranslationInline,
        RecommendationTranslationInline,
        LearningPointTranslationInline,
    ]

    def get_inlines(self, request, obj):
        if obj is not None and obj.translation_of_id:
            return self.translation_inlines
        return super().get_inlines(request, obj)

    def get_fieldsets(self, request, obj=None):
        if obj is None or not obj.translation_of_id:
            return super().get_fieldsets(request, obj)
        return [
            (
                "Translation",
                {
                    "description": "Translate each field; the English original is beside it. "
                    "Dates, ages, themes, agencies and the other structured values are the "
                    "original's and are copied from it when you save.",
                    "fields": ["language", "translation_of", "status", "slug"],
                },
            ),
            (
                "Words to translate",
                {"fields": [(name, f"original_{name}") for name in REVIEW_TRANSLATED]},
            ),
            self.workflow_fieldset,
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.translation_of_id:
            readonly += ["language", "translation_of", "slug"]
            readonly += [f"original_{name}" for name in REVIEW_TRANSLATED]
        else:
            readonly += ["language"]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.translation_of_id:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def __getattr__(self, name: str):
        if name.startswith("original_") and name[9:] in REVIEW_TRANSLATED:
            field = name[9:]

            def show(obj, field=field):
                original = obj.translation_of if obj and obj.translation_of_id else None
                return _original_text(getattr(original, field, "") if original else "")

            show.short_description = f"English original: {field.replace('_', ' ')}"
            return show
        raise AttributeError(name)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        review = self.get_object(request, object_id)
        if review is not None:
            extra_context = {**(extra_context or {}), "translation": _translation_panel(review)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [review_admin_path(self, self.translation_view, "translation"), *super().get_urls()]

    def translation_view(self, request, object_id):
        """GET: the review's Welsh translation (or a page offering to start one); POST:
        start it (reviews/translations/services.py)."""
        review = review_or_404(self, request, object_id)
        welsh = Review.objects.filter(translation_of=review, language=WELSH, is_live=False).first()
        if welsh is not None:
            return HttpResponseRedirect(reverse("admin:reviews_review_change", args=[welsh.pk]))
        if request.method == "POST":
            try:
                welsh = review_translation_create(review=review, user=request.user)
            except ValidationError as error:
                messages.error(request, error_text(error))
                return HttpResponseRedirect(
                    reverse("admin:reviews_review_change", args=[review.pk])
                )
            messages.success(
                request,
                "Welsh translation started: it holds the English words for now. Translate "
                "each field beside its English original, save, and submit it for sign-off.",
            )
            return HttpResponseRedirect(reverse("admin:reviews_review_change", args=[welsh.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": review,
            "title": f"Start the Welsh translation of “{review.title}”",
        }
        return TemplateResponse(request, "admin/reviews/review/translation_start.html", context)


def _translation_panel(review: Review) -> dict:
    """What the change page says about translations: for an original, its Welsh translation
    and whether it needs review; for a translation, its original."""
    if review.translation_of_id:
        return {"original": review.translation_of, "needs_review": review.translation_needs_review}
    welsh = Review.objects.filter(translation_of=review, language=WELSH, is_live=False).first()
    return {
        "welsh": welsh,
        "needs_review": bool(welsh and welsh.translation_needs_review),
        "required": review.board_id and review.board.is_bilingual,
    }
