from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from duaal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("", include("organisations.urls")),
    path("", include("partnerships.urls")),
    path("", include("learning.urls")),
    path("", include("evaluation.urls")),
    path("", include("contracts.urls")),
    path("", include("recognition.urls")),
    path("notifications/", include("notifications.urls")),
    path("documents/", include("documents.urls")),
    path("agenda/", include("agenda.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "duaal.views.bad_request"
handler403 = "duaal.views.permission_denied"
handler404 = "duaal.views.page_not_found"
handler500 = "duaal.views.server_error"
