from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("switch/", views.organisation_switch, name="organisation_switch"),
    path("<uuid:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path("<uuid:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
]
