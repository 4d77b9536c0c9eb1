"""URLs of the contracts app (namespace ``contracts``): each part of issue 11 keeps its own
``urlpatterns`` list in its views module; the contract page and its lifecycle actions are
``contracts.views.contract_page``."""

from django.urls import path

from contracts.views import checklist, signing
from contracts.views import contract_page as views

app_name = "contracts"

CONTRACT = "trajects/<uuid:traject_id>/contracts/<uuid:contract_id>/"

urlpatterns = [
    path(
        "trajects/<uuid:traject_id>/contracts/", views.traject_contracts, name="traject_contracts"
    ),
    path(
        "trajects/<uuid:traject_id>/contracts/new/", views.contract_create, name="contract_create"
    ),
    path(CONTRACT, views.contract_detail, name="contract"),
    path(f"{CONTRACT}edit/", views.contract_edit, name="contract_edit"),
    path(f"{CONTRACT}send/", views.contract_send, name="contract_send"),
    path(f"{CONTRACT}register/", views.contract_register, name="contract_register"),
    path(f"{CONTRACT}suspend/", views.contract_suspend, name="contract_suspend"),
    path(f"{CONTRACT}resume/", views.contract_resume, name="contract_resume"),
    path(f"{CONTRACT}end/", views.contract_end, name="contract_end"),
    *signing.urlpatterns,
    *checklist.urlpatterns,
]
