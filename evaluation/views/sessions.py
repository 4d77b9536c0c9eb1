"""Views of the evaluation app: sessions (see evaluation/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
