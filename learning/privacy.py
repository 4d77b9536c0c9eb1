"""What learning holds about a person (plug-in of ``duaal.privacy``): a student's own
opleidingsplan, a staff member's comments on plans and the bedrijfsfiches they wrote."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from duaal.privacy import Person, Provider, Section, register_provider
from learning.models import BedrijfsficheVersion, Opleidingsplan, PlanComment


@register_provider
class LearningProvider(Provider):
    key = "learning.plans"
    order = 50

    def collect(self, person: Person, *, internal: bool) -> list[Section]:
        sections = []
        if person.student_id is not None:
            plans = [
                {
                    _("partnership"): plan.partnership.name,
                    _("leerfiche set version"): str(plan.set_version),
                    _("entries"): plan.entries.count(),
                    _("changed"): plan.updated_at,
                }
                for plan in Opleidingsplan.objects.filter(traject__student_id=person.student_id)
                .select_related("partnership", "set_version__leerfiche_set")
                .order_by("created_at")
            ]
            sections.append(Section("own_plans", _("Own opleidingsplan"), plans))
        if person.user_id is not None:
            comments = [
                {
                    _("partnership"): comment.plan.partnership.name,
                    _("date"): comment.created_at,
                    _("comment"): comment.text,
                }
                for comment in PlanComment.objects.filter(author_id=person.user_id)
                .select_related("plan__partnership")
                .order_by("created_at")
            ]
            sections.append(
                Section("plan_comments", _("Your comments on opleidingsplannen"), comments)
            )
            fiches = [
                {
                    _("title"): version.title,
                    _("version"): version.number,
                    _("status"): version.get_status_display(),
                    _("changed"): version.updated_at,
                }
                for version in BedrijfsficheVersion.objects.filter(
                    created_by_id=person.user_id
                ).order_by("created_at")
            ]
            sections.append(Section("bedrijfsfiches", _("Bedrijfsfiches you wrote"), fiches))
        return sections
