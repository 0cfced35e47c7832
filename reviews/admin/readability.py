"""Reading-age figures beside the fields editors write (docs/plain-words.md).

Each figure is shown in an aria-live region under its field: computed on the server when
the form loads (so it works without JavaScript), then again as the editor types, by
static/reviews/admin/readability.js posting the text to `readability_view` (staff only,
CSRF-checked, size-capped) and putting the returned HTML in the region.
"""

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from reviews.readability.reading_age import LANGUAGES, MAX_CHARACTERS, readability
from reviews.readability.words import PLAIN_SUMMARY_MAX_WORDS, word_count

# What an editor may post to be scored: a case summary is 5 to 20 KB.
MAX_POST_CHARACTERS = MAX_CHARACTERS
READABILITY_JS = "reviews/admin/readability.js"
READABILITY_CSS = "reviews/admin/readability.css"


def _language(obj) -> str:
    """The language a text is written in (a Welsh translation's is "cy")."""
    language = getattr(obj, "language", "") or "en"
    return language if language in LANGUAGES else "en"


def readability_html(*, text: str, language: str, field: str) -> str:
    """The figures for one text, as the region under its field shows them."""
    return render_to_string(
        "admin/reviews/_readability.html",
        {
            "result": readability(text, language=language),
            "is_plain_summary": field == "plain_summary",
            "word_count": word_count(text),
            "word_limit": PLAIN_SUMMARY_MAX_WORDS,
            "has_text": bool((text or "").strip()),
        },
    )


def readability_region(*, obj, field: str, text: str) -> str:
    """The aria-live region under a field, filled in from the saved text."""
    language = _language(getattr(obj, "review", None) or obj)
    return format_html(
        '<div class="readability" aria-live="polite" data-readability-field="{}" '
        'data-readability-language="{}" data-readability-url="{}">{}</div>',
        field,
        language,
        reverse("admin:reviews_review_readability"),
        # Rendered by our own template, every value escaped there.
        readability_html(text=text, language=language, field=field),
    )


@require_POST
def readability_view(request: HttpRequest) -> HttpResponse:
    """The figures for posted text: {"html": ...}. Staff only (the admin wraps it)."""
    text = request.POST.get("text", "")
    language = request.POST.get("language", "en")
    field = request.POST.get("field", "")
    if language not in LANGUAGES:
        return JsonResponse({"error": f"Unknown language {language!r}."}, status=400)
    if len(text) > MAX_POST_CHARACTERS:
        return JsonResponse(
            {"error": f"Texts over {MAX_POST_CHARACTERS:,} characters are not scored."},
            status=413,
        )
    return JsonResponse({"html": readability_html(text=text, language=language, field=field)})


class ReadabilityAdminMixin:
    """Mixed into the review and learning point admins: the script, and the endpoint (on the
    review admin, /admin/reviews/review/readability/)."""

    @property
    def media(self):
        return super().media + forms.Media(js=[READABILITY_JS], css={"all": [READABILITY_CSS]})


class ReviewReadabilityAdminMixin(ReadabilityAdminMixin):
    def get_urls(self):
        return [
            path(
                "readability/",
                self.admin_site.admin_view(readability_view),
                name="reviews_review_readability",
            ),
            *super().get_urls(),
        ]

    def plain_summary_reading_age(self, obj) -> str:
        return readability_region(obj=obj, field="plain_summary", text=obj.plain_summary)

    plain_summary_reading_age.short_description = "Plain summary: words and reading age"

    def summary_reading_age(self, obj) -> str:
        return readability_region(obj=obj, field="summary", text=obj.summary)

    summary_reading_age.short_description = "Case summary: reading age"


def body_reading_age(self, obj) -> str:
    """A learning point's figures (on its inline and on its own page)."""
    return readability_region(obj=obj, field="body", text=obj.body if obj else "")


body_reading_age.short_description = "Reading age"
