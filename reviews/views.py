"""The public case summary page of one review."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.views.generic import DetailView

from reviews import selectors
from reviews.models import Review
from reviews.timeline import build_timeline
from reviews.translations.names import current_language


class ReviewDetailView(DetailView):
    template_name = "reviews/review_detail.html"
    context_object_name = "review"

    def get(self, request, *args, **kwargs):
        stored_language = translation.get_language() == settings.LANGUAGE_CODE
        if stored_language and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # Nothing on the page depends on a visitor without a session (no messages, no
            # pack, not signed in): serve the page stored when it was published.
            document = selectors.review_get_public_document(
                slug=self.kwargs["slug"], language=current_language()
            )
            if document:
                return HttpResponse(document)
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A withdrawn review keeps its address and catalogue record: 410, with a notice.
            try:
                gone = selectors.review_get_gone(slug=self.kwargs["slug"])
            except Review.DoesNotExist:
                raise Http404("No published review has that address.") from None
            return TemplateResponse(
                request, "reviews/review_gone.html", {"review": gone}, status=410
            )

    def get_object(self, queryset=None) -> Review:
        try:
            return selectors.review_get_public_page(slug=self.kwargs["slug"])
        except Review.DoesNotExist as error:
            raise Http404("No published review has that address.") from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same og:url as the stored page (reviews/publishing/pages.py), whatever host was asked.
        context["canonical_url"] = (
            settings.PORTAL_BASE_URL.rstrip("/") + self.object.get_absolute_url()
        )
        # In Welsh, the content of the published Welsh translation if there is one, else the
        # English content; `content_language` says which, for the page's note and `lang`.
        context["content_language"] = self.object.language
        translated = selectors.review_get_public_translation(
            slug=self.object.slug, language=current_language()
        )
        if translated is not None:
            context.update(
                review=translated, object=translated, content_language=translated.language
            )
            if translated.page_html:
                context["page_html"] = translated.page_html
                return context
            review = selectors.review_get_public_translation_full(pk=translated.pk)
            context.update(review=review, object=review, timeline=build_timeline(review))
            return context
        if self.object.page_html and translation.get_language() == settings.LANGUAGE_CODE:
            # Rendered when it was published (reviews/publishing/pages.py), in English.
            context["page_html"] = self.object.page_html
        else:
            # Welsh (/cy/): the Welsh interface around the review's own words, which are in
            # English until it has a translation (the page says so).
            review = selectors.review_get_public(slug=self.object.slug)
            context.update(
                review=review,
                object=review,
                timeline=build_timeline(review),
                content_language=getattr(review, "language", "") or "en",
            )
        return context
