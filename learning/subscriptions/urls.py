"""/subscribe/ and the links in subscription e-mails (mounted at the root by portal/urls.py).

No route declares `public_cache_params`, and every view is `never_cache`: none of these
pages is ever served from the public page cache.
"""

from django.urls import path

from learning.subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("subscribe/", views.SubscribeView.as_view(), name="subscribe"),
    path("subscribe/check-your-email/", views.subscribe_sent, name="sent"),
    path("subscribe/confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("subscribe/choices/<str:token>/", views.ChoicesView.as_view(), name="choices"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
