from django.http import Http404
from django.views.generic import ListView

from learning import selectors
from learning.overview import theme_overview
from learning.selectors import theme_list_with_counts
from reviews.models import Theme
from reviews.translations.names import current_language


class ThemeListView(ListView):
    template_name = "learning/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return theme_list_with_counts()


class ThemeDetailView(ListView):
    template_name = "learning/theme_detail.html"
    context_object_name = "learning_points"
    paginate_by = 30

    def get_queryset(self):
        try:
            self.theme = selectors.theme_get(slug=self.kwargs["slug"])
        except Theme.DoesNotExist as error:
            raise Http404("There is no theme at that address.") from error
        return selectors.learning_points_for_theme(theme=self.theme)

    def get_context_data(self, **kwargs):
        overview = (
            theme_overview(theme=self.theme) if self.request.GET.get("page", "1") == "1" else None
        )
        context = super().get_context_data(theme=self.theme, overview=overview, **kwargs)
        # In Welsh, learning points (and the overview's questions) of reviews with a
        # published Welsh translation in their Welsh words, read together: two queries.
        page = list(context["learning_points"])
        prompts = overview.prompts if overview else []
        shown = selectors.learning_points_in_language(
            learning_points=page + [prompt.learning_point for prompt in prompts],
            language=current_language(),
        )
        context["learning_points"] = shown[: len(page)]
        if overview:
            overview.prompts = selectors.prompts_in_language(
                prompts=prompts, learning_points=shown[len(page) :]
            )
        return context
