from django.urls import path

from learning import sheets, views
from learning.discovery import views as discovery_views
from learning.discovery.facets import FACET_KEYS
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

# Under /reviews/, in the reviews namespace (portal/urls.py): the review list with its facets
# and the printable sheets of each review, with their PDFs (learning/sheets.py).
review_urlpatterns = [
    path(
        "",
        public_cache_params(*FACET_KEYS, "page")(discovery_views.ReviewListView.as_view()),
        name="list",
    ),
    # Printable sheets for team meetings, and their PDFs (learning/sheets.py).
    path(
        "<slug:slug>/discussion-sheet/",
        sheets.ReviewSheetView.as_view(kind="discussion-sheet"),
        name="discussion_sheet",
    ),
    path(
        "<slug:slug>/discussion-sheet.pdf",
        sheets.ReviewSheetPdfView.as_view(kind="discussion-sheet"),
        name="discussion_sheet_pdf",
    ),
    path("<slug:slug>/briefing/", sheets.ReviewSheetView.as_view(kind="briefing"), name="briefing"),
    path(
        "<slug:slug>/briefing.pdf",
        sheets.ReviewSheetPdfView.as_view(kind="briefing"),
        name="briefing_pdf",
    ),
    path(
        "<slug:slug>/action-plan/",
        sheets.ReviewSheetView.as_view(kind="action-plan"),
        name="action_plan",
    ),
    path(
        "<slug:slug>/action-plan.pdf",
        sheets.ReviewSheetPdfView.as_view(kind="action-plan"),
        name="action_plan_pdf",
    ),
]
