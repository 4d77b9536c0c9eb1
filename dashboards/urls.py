"""The dashboards' pages, under /dashboards/ (issue 14)."""

from django.urls import path

from dashboards.views import actions, company, klassenraad, school, sector

app_name = "dashboards"

urlpatterns: list = []

# --- The sector consultant's dashboard (item 4) ------------------------------------------------
urlpatterns += [
    path("sector/", sector.sector, name="sector"),
]

# --- The coordinator's action list (item 3) ----------------------------------------------------
urlpatterns += [
    path("actions/", actions.actions, name="actions"),
]

# --- The company director's dashboard (item 2) -------------------------------------------------
urlpatterns += [
    path("bedrijf/<uuid:organisation_id>/", company.company_dashboard_view, name="company"),
]

# --- The school director's dashboard (item 1) --------------------------------------------------
urlpatterns += [
    path("school/", school.school, name="school"),
]

# --- The klassenraad report of a class (item 6) ------------------------------------------------
urlpatterns += [
    path("klassenraad/", klassenraad.klassenraad, name="klassenraad"),
]
