"""URLs of the contracts app (namespace ``contracts``); each part keeps its own list."""

from contracts.views import signing

app_name = "contracts"

urlpatterns = [
    *signing.urlpatterns,
]
