"""The board's glossary in the admin; saving and deleting go through the glossary services,
which render again the stored pages that show the term (reviews/glossary/services.py)."""

from django.contrib import admin

from reviews.glossary import services
from reviews.models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "meaning", "term_cy", "meaning_cy", "updated_at"]
    search_fields = ["term", "meaning", "term_cy", "meaning_cy"]
    fields = ["term", "meaning", "term_cy", "meaning_cy"]

    def save_model(self, request, obj, form, change) -> None:
        services.glossary_term_save(term=obj, user=request.user)

    def delete_model(self, request, obj) -> None:
        services.glossary_term_delete(term=obj, user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for term in queryset:
            services.glossary_term_delete(term=term, user=request.user)
