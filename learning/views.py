from django.http import Http404
from django.views.generic import ListView

from learning import selectors
from learning.overview import theme_overview
from learning.selectors import theme_list_with_counts
from reviews.models import Theme


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
        return super().get_context_data(theme=self.theme, overview=overview, **kwargs)
