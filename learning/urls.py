"""URLs of the learning app, one list per area (each area's views module declares its own)."""

from learning.views import bedrijfsfiches, catalogue, interchange, plans, traject_leerfiches

app_name = "learning"

urlpatterns = [
    *catalogue.urlpatterns,
    *traject_leerfiches.urlpatterns,
    *interchange.urlpatterns,
    *plans.urlpatterns,
    *bedrijfsfiches.urlpatterns,
]
