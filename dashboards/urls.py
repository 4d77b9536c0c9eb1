"""The dashboards' pages, under /dashboards/ (issue 14)."""

from django.urls import path

from dashboards.views import school

app_name = "dashboards"

urlpatterns: list = [
    # School director's dashboard (helper dschool)
    path("school/", school.school, name="school"),
]
