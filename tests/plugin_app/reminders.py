"""Reminder rule: every active account of the plug-in's domain is reminded today."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from accounts.models import User
from notifications.registry import Candidate, ReminderRule, register_rule


@register_rule
class PluginPing(ReminderRule):
    code = "plugin_ping"
    label = "Plugin ping"
    help_text = "A reminder of the test plug-in."
    subject_model = User

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        people = User.objects.filter(email__endswith="@plugin.invalid", is_active=True)
        if subject_ids is not None:
            people = people.filter(pk__in=list(subject_ids))
        content_type = self.content_type_id()
        today = timezone.localdate(now)
        return [
            Candidate(self.code, content_type, pk, pk, today, 0)
            for pk in people.values_list("pk", flat=True)
        ]

    def describe(self, subject: User) -> str:
        return f"ping for {subject.email}"

    def link(self, subject: User, *, partnership: object | None) -> str:
        return "/agenda/"
