from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path(
        "request/raci/<uuid:partnership_id>/",
        views.request_raci_matrix,
        name="request_raci_matrix",
    ),
    path(
        "request/traject/<uuid:traject_id>/",
        views.request_traject_sheet,
        name="request_traject_sheet",
    ),
    path("<uuid:document_id>/", views.document_detail, name="document_detail"),
    path("<uuid:document_id>/download/", views.document_download, name="document_download"),
]
