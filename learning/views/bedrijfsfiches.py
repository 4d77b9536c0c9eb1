"""Views of the learning app: bedrijfsfiches (see learning/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
