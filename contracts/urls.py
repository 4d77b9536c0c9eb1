"""URLs of the contracts app (namespace ``contracts``): each part of issue 11 keeps its own
``urlpatterns`` list in its views module."""

from contracts.views import checklist

app_name = "contracts"

urlpatterns = [*checklist.urlpatterns]
