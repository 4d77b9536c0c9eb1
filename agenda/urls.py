from django.urls import path, re_path

from agenda import views
from agenda.tokens import SECRET_PATTERN

app_name = "agenda"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("link/new/", views.feed_create, name="feed_create"),
    path("link/revoke/", views.feed_revoke, name="feed_revoke"),
    # Public: the secret in the URL is the authentication (calendar apps cannot log in).
    re_path(rf"^feed/(?P<secret>{SECRET_PATTERN})\.ics$", views.feed, name="feed"),
]
