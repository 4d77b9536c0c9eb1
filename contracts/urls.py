"""URLs of the contracts app (namespace ``contracts``): each part of issue 11 keeps its own
``urlpatterns`` list in its views module."""

from contracts.views import checklist, signing

app_name = "contracts"

urlpatterns = [*signing.urlpatterns, *checklist.urlpatterns]
