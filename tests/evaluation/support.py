"""Helpers for the evaluation tests: the demo's trajects and leerfiches by name and key."""

from __future__ import annotations

from learning.models import Leerfiche
from learning.selectors.traject_leerfiches import adopted_version
from partnerships import permissions
from partnerships.models import Traject


def traject_of(first_name: str) -> Traject:
    return Traject.objects.select_related("student", "partnership").get(
        student__first_name=first_name
    )


def leerfiche(traject: Traject, key: str) -> Leerfiche:
    return Leerfiche.objects.get(version=adopted_version(traject=traject), key=key)


def as_seen_by(user, traject: Traject) -> Traject:
    """The traject as ``user``'s request would have it (permissions and evaluator roles)."""
    return permissions.get_traject_for_evaluation(user=user, public_id=traject.public_id)
