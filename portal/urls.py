from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from markdownx.views import MarkdownifyView

from learning.discovery.urls import page_urlpatterns as discovery_page_urlpatterns
from learning.discovery.views import HomeView
from learning.urls import review_urlpatterns as learning_review_urlpatterns
from portal import views as portal_views
from reviews.admin.calendar import deadlines_admin_view
from reviews.glossary.views import glossary_page
from reviews.urls import urlpatterns as review_urlpatterns

# Board staff should see whose portal they are in, not Django's name.
admin.site.site_header = "Case Review Learning Portal: board staff"
admin.site.site_title = "Case Review Learning Portal"
admin.site.index_title = "Reviews, learning and publishing"

# Addresses for machines and staff: one language, no /cy/ twin. The sitemap lists both
# languages' pages itself (learning/discovery/sitemaps.py).
urlpatterns = [
    # Sitemap, robots.txt and the open data API (/api/).
    path("", include("learning.discovery.urls")),
    # The live preview renders through the same sanitiser as public pages, for staff only.
    # markdownx's image upload view is deliberately not mounted.
    path(
        "admin/markdownx/markdownify/",
        staff_member_required(MarkdownifyView.as_view()),
        name="markdownx_markdownify",
    ),
    # Staff-only admin pages that are about no one model (reviews/admin/).
    path("admin/deadlines/", deadlines_admin_view, name="admin_deadlines"),
    # Staff reports, mounted before the admin's own addresses (staff only, through admin_view).
    path("admin/assurance/", include("reviews.assurance.urls")),
    path("admin/impact/", include("learning.impact.urls")),
    path("admin/", admin.site.urls),
    path("healthz", portal_views.healthz, name="healthz"),
]

# The public site: in English at these addresses, in Welsh under /cy/ (docs/welsh.md).
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    # One namespace for everything under /reviews/: the review's own pages, and the list and
    # printed sheets that learning builds from it.
    path("reviews/", include((learning_review_urlpatterns + review_urlpatterns, "reviews"))),
    path("themes/", include("learning.urls")),
    # Search and feeds.
    path("", include(discovery_page_urlpatterns)),
    path("session-pack/", include("learning.pack_urls")),
    # Discussion returns from printed sheets, and their follow-ups (learning/returns/).
    path("use/", include("learning.returns.urls")),
    # E-mail subscriptions: /subscribe/... and /unsubscribe/<token>/.
    path("", include("learning.subscriptions.urls")),
    path("glossary/", glossary_page, name="glossary"),
    path("accessibility/", portal_views.accessibility_statement, name="accessibility"),
    path("privacy/", portal_views.privacy_notice, name="privacy"),
    prefix_default_language=False,
)
