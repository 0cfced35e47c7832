"""/admin/impact/ (portal/urls.py mounts it before the admin site's own addresses)."""

from django.contrib import admin
from django.urls import path

from learning.impact import views

app_name = "impact"

urlpatterns = [
    path("", admin.site.admin_view(views.impact_view), name="report"),
    path("impact.csv", admin.site.admin_view(views.impact_csv_view), name="csv"),
]
