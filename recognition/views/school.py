"""Recognition screens: the school's side."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
