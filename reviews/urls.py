from django.urls import path

from learning import sheets
from portal.cache import public_cache_params
from reviews import preview, views
from reviews.facets import FACET_KEYS

app_name = "reviews"

urlpatterns = [
    path(
        "",
        public_cache_params(*FACET_KEYS, "page")(views.ReviewListView.as_view()),
        name="list",
    ),
    # Signed, expiring, revocable links for board members without an account.
    path("preview/<str:token>/", preview.preview_link_view, name="preview_link"),
    path("<slug:slug>/", views.ReviewDetailView.as_view(), name="detail"),
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
