"""The dashboards' pages, under /dashboards/ (issue 14)."""

from django.urls import path

app_name = "dashboards"

urlpatterns: list = []

# --- The coordinator's action list (item 3: dashboards/views/actions.py) ---
from dashboards.views import actions as action_views  # noqa: E402

urlpatterns += [path("actions/", action_views.actions, name="actions")]
# --- end of the coordinator's action list ---
