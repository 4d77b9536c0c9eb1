"""Recognition screens: the company's side."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
