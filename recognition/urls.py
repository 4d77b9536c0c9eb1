"""URLs of the recognition app (namespace ``recognition``): each part of issue 12 keeps its own
``urlpatterns`` list in its views module — the company's side (mentor profiles, requests), the
sector consultant's side (inbox, decision, visit), the school's side (programmatie, partner
search)."""

from recognition.views import company, consultant, school

app_name = "recognition"

urlpatterns = [*company.urlpatterns, *consultant.urlpatterns, *school.urlpatterns]
