"""Search page views (thin: the work is in reviews/search.py and reviews/facets.py)."""

from urllib.parse import urlencode

from django.utils.cache import add_never_cache_headers
from django.views.generic import TemplateView

from reviews.facets import parse_filters
from reviews.search import popular_themes, search
from reviews.search_limits import MAX_SEARCH_WORDS, SearchTooBroad


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
