from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    # <kind> is a registered kind's slug (documents.registry): raci, traject, ...
    path("request/<slug:kind>/<uuid:subject_id>/", views.document_request, name="document_request"),
    path("<uuid:document_id>/", views.document_detail, name="document_detail"),
    path("<uuid:document_id>/download/", views.document_download, name="document_download"),
]
