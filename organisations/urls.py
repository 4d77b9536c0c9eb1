from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("organisations/switch/", views.organisation_switch, name="organisation_switch"),
    path(
        "organisations/<uuid:organisation_id>/",
        views.organisation_detail,
        name="organisation_detail",
    ),
    path(
        "organisations/<uuid:organisation_id>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
]
