"""A review's own addresses under /reviews/. The review list and the printed sheets under the
same prefix and namespace come from learning (learning/urls.py); portal/urls.py joins them."""

from django.urls import path

from reviews import views
from reviews.publishing import preview

urlpatterns = [
    # Signed, expiring, revocable links for board members without an account.
    path("preview/<str:token>/", preview.preview_link_view, name="preview_link"),
    path("<slug:slug>/", views.ReviewDetailView.as_view(), name="detail"),
]
