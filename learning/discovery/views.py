"""The home page, the review list with its facets, and search: thin views over the catalogue,
facets and search beside them."""

from urllib.parse import urlencode

from django.utils.cache import add_never_cache_headers
from django.views.generic import ListView, TemplateView

from learning import selectors
from learning.discovery import catalogue, facets
from learning.discovery.facets import parse_filters
from learning.discovery.search import popular_themes, search
from learning.discovery.search_limits import MAX_SEARCH_WORDS, SearchTooBroad
from reviews.selectors import reviews_in_language
from reviews.translations.names import current_language


class SearchView(TemplateView):
    template_name = "reviews/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = parse_filters(self.request.GET)
        try:
            results = search(
                query=self.request.GET.get("q", ""),
                filters=filters,
                page=self.request.GET.get("page") or 1,
            )
        except SearchTooBroad:
            self.too_broad = True
            context.update(too_broad=True, query=self.request.GET.get("q", "")[:300])
            context.update(filters=filters, popular_themes=popular_themes())
            return context
        page = results.page
        context.update(
            results=results,
            query=results.query,
            filters=filters,
            facets=results.facets,
            page_obj=page,
            paginator=page.paginator if page else None,
            is_paginated=bool(page and page.paginator.num_pages > 1),
            query_string=urlencode([("q", results.query), *filters.query_items()]),
        )
        if not results.total:
            context["popular_themes"] = popular_themes()
        context["max_search_words"] = MAX_SEARCH_WORDS
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context.get("too_broad"):
            # Whether a search finishes in time depends on the moment: never stored.
            add_never_cache_headers(response)
        return response


class HomeView(TemplateView):
    template_name = "reviews/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # From the catalogue's order: sorting every published review for five cost 20 ms
        # at 10,000 reviews.
        context["latest_reviews"] = reviews_in_language(
            reviews=catalogue.reviews_chosen(facets.ReviewFilters())[0:5],
            language=current_language(),
        )
        context["themes"] = [
            theme for theme in selectors.theme_list_with_counts() if theme.learning_point_count
        ]
        return context


class ReviewListView(ListView):
    template_name = "reviews/review_list.html"
    context_object_name = "reviews"
    paginate_by = 20

    def get_queryset(self):
        self.filters = facets.parse_filters(self.request.GET)
        return catalogue.reviews_chosen(self.filters)

    def get_context_data(self, **kwargs):
        # Facet counts for the form beside the list, from the in-memory catalogue.
        context = super().get_context_data(
            filters=self.filters,
            facets=catalogue.review_facets(self.filters),
            query_string=self.filters.querystring(),
            **kwargs,
        )
        # In Welsh, the cards of translated reviews show their Welsh words.
        context["reviews"] = reviews_in_language(
            reviews=context["reviews"], language=current_language()
        )
        return context
