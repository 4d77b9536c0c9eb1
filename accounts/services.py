from __future__ import annotations

from django.conf import settings

from accounts.models import User


def user_set_language(*, user: User, language: str) -> None:
    """Store ``language`` (one of settings.LANGUAGES) as the user's preferred language."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
