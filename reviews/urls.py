from django.urls import path

from . import preview, views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="list"),
    # Signed, expiring, revocable links for board members without an account.
    path("preview/<str:token>/", preview.preview_link_view, name="preview_link"),
    path("<slug:slug>/", views.ReviewDetailView.as_view(), name="detail"),
]
