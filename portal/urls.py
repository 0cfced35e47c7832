from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from markdownx.views import MarkdownifyView

from portal import views as portal_views
from reviews.views import HomeView

# Board staff should see whose portal they are in, not Django's name.
admin.site.site_header = "Case Review Learning Portal: board staff"
admin.site.site_title = "Case Review Learning Portal"
admin.site.index_title = "Reviews, learning and publishing"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("reviews/", include("reviews.urls")),
    path("themes/", include("learning.urls")),
    # Search, feeds, sitemap.xml, robots.txt and the open data API (/api/).
    path("", include("reviews.discovery_urls")),
    path("session-pack/", include("learning.pack_urls")),
    # The live preview renders through the same sanitiser as public pages, for staff only.
    # markdownx's image upload view is deliberately not mounted.
    path(
        "admin/markdownx/markdownify/",
        staff_member_required(MarkdownifyView.as_view()),
        name="markdownx_markdownify",
    ),
    path("admin/", admin.site.urls),
    path("accessibility/", portal_views.accessibility_statement, name="accessibility"),
    path("privacy/", portal_views.privacy_notice, name="privacy"),
    path("healthz", portal_views.healthz, name="healthz"),
]
