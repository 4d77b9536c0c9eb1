"""The dashboards' pages, under /dashboards/ (issue 14)."""

from django.urls import path

from dashboards.views import company, sector

app_name = "dashboards"

urlpatterns: list = []

# --- The sector consultant's dashboard (item 4) ------------------------------------------------
urlpatterns += [
    path("sector/", sector.sector, name="sector"),
]

# --- The company director's dashboard (item 2) -------------------------------------------------
urlpatterns += [
    path("bedrijf/<uuid:organisation_id>/", company.company_dashboard_view, name="company"),
]
