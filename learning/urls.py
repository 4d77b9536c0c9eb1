"""URLs of the learning app, one list per area (each area's views module declares its own)."""

from learning.views import bedrijfsfiches, catalogue, interchange, plans

app_name = "learning"

urlpatterns = [
    *catalogue.urlpatterns,
    *interchange.urlpatterns,
    *plans.urlpatterns,
    *bedrijfsfiches.urlpatterns,
]
