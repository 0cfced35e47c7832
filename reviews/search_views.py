"""Search page views (thin: the work is in reviews/search.py and reviews/facets.py)."""

from urllib.parse import urlencode

from django.views.generic import TemplateView

from .facets import parse_filters
from .search import popular_themes, search


class SearchView(TemplateView):
    template_name = "reviews/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = parse_filters(self.request.GET)
        results = search(
            query=self.request.GET.get("q", ""),
            filters=filters,
            page=self.request.GET.get("page") or 1,
        )
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
        return context
