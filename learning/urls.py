from django.urls import path

from learning import sheets, views
from portal.cache import public_cache_params

app_name = "learning"

urlpatterns = [
    path("", views.ThemeListView.as_view(), name="theme_list"),
    path(
        "<slug:slug>/",
        public_cache_params("page")(views.ThemeDetailView.as_view()),
        name="theme_detail",
    ),
    path("<slug:slug>/discussion-sheet/", sheets.ThemeSheetView.as_view(), name="theme_sheet"),
    path(
        "<slug:slug>/discussion-sheet.pdf",
        sheets.ThemeSheetPdfView.as_view(),
        name="theme_sheet_pdf",
    ),
]
