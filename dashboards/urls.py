"""The dashboards' pages, under /dashboards/ (issue 14)."""

from django.urls import path

from dashboards.views import actions, company, klassenraad, school, sector

app_name = "dashboards"

urlpatterns = [
    path("school/", school.school, name="school"),  # the school director (item 1)
    # The company director (item 2).
    path("bedrijf/<uuid:organisation_id>/", company.company_dashboard_view, name="company"),
    path("actions/", actions.actions, name="actions"),  # the coordinator's action list (3)
    path("sector/", sector.sector, name="sector"),  # the sector consultant (item 4)
    path("klassenraad/", klassenraad.klassenraad, name="klassenraad"),  # a class's report (6)
]
