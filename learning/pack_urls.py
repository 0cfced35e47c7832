"""Session packs (/session-pack/): the trainer's own selection of learning points."""

from django.urls import path

from learning import sheets
from portal.cache import public_cache_params

app_name = "packs"

urlpatterns = [
    path("", sheets.PackView.as_view(), name="detail"),
    path(
        "add/",
        public_cache_params("learning_point", "next")(sheets.PackChangeView.as_view(action="add")),
        name="add",
    ),
    path("remove/", sheets.PackChangeView.as_view(action="remove"), name="remove"),
    path("move/", sheets.PackChangeView.as_view(action="move"), name="move"),
    path("title/", sheets.PackChangeView.as_view(action="title"), name="title"),
    path("clear/", sheets.PackChangeView.as_view(action="clear"), name="clear"),
    path("sheet/", sheets.PackSheetView.as_view(), name="sheet"),
    path("sheet.pdf", sheets.PackPdfView.as_view(), name="pdf"),
]
