"""/admin/assurance/ (portal/urls.py mounts it before the admin site's own addresses)."""

from django.contrib import admin
from django.urls import path

from reviews.assurance import views

app_name = "assurance"

urlpatterns = [
    path("", admin.site.admin_view(views.assurance_view), name="report"),
    path("assurance.csv", admin.site.admin_view(views.assurance_csv_view), name="csv"),
    path("assurance.pdf", admin.site.admin_view(views.assurance_pdf_view), name="pdf"),
]
