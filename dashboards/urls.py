"""The dashboards' pages, under /dashboards/ (issue 14)."""

from django.urls import path

from dashboards.views import company

app_name = "dashboards"

urlpatterns: list = [
    # The company director's dashboard (dashboards/views/company.py)
    path(
        "bedrijf/<uuid:organisation_id>/",
        company.company_dashboard_view,
        name="company",
    ),
]
