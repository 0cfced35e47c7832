"""/use/: discussion returns from printed sheets and their follow-ups (learning/returns/).

No route here declares public_cache_params: /use/ is never served from the page cache
(PUBLIC_CACHE_EXCLUDED_PATHS) and every view is never_cache.
"""

from django.urls import path

from learning.returns import views

app_name = "returns"

urlpatterns = [
    path("", views.UseStartView.as_view(), name="start"),
    path("follow-up/<str:token>/", views.FollowUpView.as_view(), name="follow_up"),
    path("<str:code>/", views.UseView.as_view(), name="use"),
    path("<str:code>/thanks/", views.use_thanks, name="thanks"),
]
