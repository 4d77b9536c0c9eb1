"""The dashboards' pages, under /dashboards/ (issue 14)."""

from django.urls import path  # noqa: F401 - the dashboards add their routes here

app_name = "dashboards"

urlpatterns: list = []
