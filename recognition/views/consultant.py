"""Recognition screens: the consultant's side."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
