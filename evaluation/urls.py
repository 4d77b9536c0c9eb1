"""URLs of the evaluation app, one list per area (each area's views module declares its own)."""

from evaluation.views import checkins, day, progress, review, sessions, softskills

app_name = "evaluation"

urlpatterns = [
    *day.urlpatterns,
    *sessions.urlpatterns,
    *checkins.urlpatterns,
    *review.urlpatterns,
    *progress.urlpatterns,
    *softskills.urlpatterns,
]
