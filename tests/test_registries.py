"""The registries of the engines: ordered, duplicate keys refused, demo order by ``after``."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from agenda.registry import audiences, providers
from documents.registry import DocumentKind, kinds, register_kind
from duaal import demo, homes
from duaal.registry import AlreadyRegistered, Registry
from notifications.registry import ReminderRule, register_rule, rules


def test_a_registry_keeps_registration_order_and_refuses_a_taken_key():
    registry: Registry[int] = Registry("number")
    for key, value in (("b", 2), ("a", 1), ("c", 3)):
        registry.register(key, value)
    assert list(registry.items()) == [("b", 2), ("a", 1), ("c", 3)]
    with pytest.raises(AlreadyRegistered, match="'a'"):
        registry.register("a", 10)
    assert registry["a"] == 1 and len(registry) == 3
    with pytest.raises(ImproperlyConfigured):
        registry.register("", 0)


def test_restored_undoes_what_was_registered_inside():
    registry: Registry[int] = Registry("number")
    registry.register("kept", 1)
    with registry.restored():
        registry.register("temporary", 2)
        assert "temporary" in registry
    assert list(registry) == ["kept"]


def test_the_apps_plugins_are_registered_at_start_up():
    assert list(rules) == [
        "placement_without_mentor",
        "raci_gap",
        "mentor_overload",
        "placement_ineligible",
        "invitation_pending",
        "recognition_expiring",
        "recognition_decision_overdue",
        "mentor_training_due",
        "programmatie_deadline",
        "programmatie_no_student",
        "contract_unsigned",
        "contract_suspended_long",
        "checklist_item_due",
        "risicoanalyse_renewal",
        "self_evaluation_missing",
        "weekly_checkin_missing",
        "soft_skills_due",
        "open_werkpunten",
    ]
    assert {code: kind.slug for code, kind in kinds.items()} == {
        "raci_matrix": "raci",
        "traject_sheet": "traject",
        "coverage": "coverage",
        "bedrijfsfiche": "bedrijfsfiches",
        "leerfiche": "leerfiche",
        "opdracht_sheets": "opdracht",
        "soft_skills": "soft-skills",
        "evaluation_report": "evaluation-report",
        "contract": "contract",
        "recognition_letter": "recognition-letter",
        "klassenraad": "klassenraad",
    }
    assert [c.key for c in demo.ordered()] == [
        "organisations.cast",
        "partnerships.partnerships",
        "partnerships.reminder_cases",
        "recognition.recognitions",
        "recognition.reminder_cases",
        "recognition.school_side",
        "learning.catalogue",
        "learning.plans",
        "learning.bedrijfsfiches",
        "contracts.contracts",
        "contracts.noor",
        "contracts.reminder_cases",
        "evaluation.school_year",
        "evaluation.reminder_cases",
    ]
    assert [c.key for c in demo.ordered(include_extra=False)] == [
        "organisations.cast",
        "partnerships.partnerships",
        "recognition.recognitions",
        "recognition.school_side",
        "learning.catalogue",
        "learning.plans",
        "learning.bedrijfsfiches",
        "contracts.contracts",
        "contracts.noor",
        "evaluation.school_year",
    ]
    assert list(providers) == ["partnerships.placement_days", "partnerships.placement_deadlines"]
    assert list(audiences) == ["partnerships.trajects"]


def test_the_homes_plugins_are_registered_at_start_up():
    """Each app's homes.py (discovered by DuaalConfig.ready), in app order."""
    assert list(homes.panels) == [
        "organisations.mine",
        "partnerships.family",
        "partnerships.mentor_week",
        "partnerships.coordinator",
        "partnerships.students",
        "partnerships.director",
        "recognition.consultant",
        "recognition.programmatie",
        "recognition.company",
        "learning.family",
        "contracts.starts",
        "evaluation.day",
        "notifications.waiting",
        "dashboards.sector",
        "dashboards.actions",  # the coordinator's action list (issue 14 item 3)
        "dashboards.company",
        "dashboards.school",
        "dashboards.klassenraad",  # the teachers' way to the klassenraad report (item 6)
    ]
    assert [panel.key for panel in sorted(homes.panels.values(), key=lambda p: p.order)] == [
        "notifications.waiting",
        "partnerships.family",
        "learning.family",
        "evaluation.day",
        "partnerships.mentor_week",
        "dashboards.actions",  # the coordinator's action list (issue 14 item 3)
        "partnerships.coordinator",
        "contracts.starts",
        "recognition.consultant",
        "dashboards.sector",
        "recognition.programmatie",
        "recognition.company",
        "partnerships.students",
        "dashboards.klassenraad",
        "dashboards.school",
        "partnerships.director",
        "dashboards.company",
        "organisations.mine",
    ]
    assert list(homes.nav_items) == [
        "partnerships.students",
        "partnerships.my_traject",
        "partnerships.partnerships",
        "recognition.inbox",
        "learning.catalogue",
        "evaluation.review",
        "evaluation.progress",
        "agenda.calendar",
    ]
    # The weekly check-in beside each student of the mentor's week (evaluation/homes/mentor.py).
    assert list(homes.actions) == ["evaluation.weekly_checkin"]


def test_a_second_panel_with_a_taken_key_is_refused():
    with homes.panels.restored(), pytest.raises(AlreadyRegistered):

        @homes.register_panel
        class Again(homes.Panel):
            key = "partnerships.students"


def test_a_second_rule_with_a_taken_code_is_refused():
    with rules.restored(), pytest.raises(AlreadyRegistered):

        @register_rule
        class Again(ReminderRule):
            code = "raci_gap"

    assert type(rules["raci_gap"]).__name__ == "RaciGap"


def test_a_kind_needs_a_free_slug_and_a_scope_column():
    with kinds.restored():
        with pytest.raises(AlreadyRegistered, match="slug 'raci'"):

            @register_kind
            class SameSlug(DocumentKind):
                code = "other_matrix"
                slug = "raci"
                subject_field = "partnership"

        with pytest.raises(ImproperlyConfigured, match="subject_field"):

            @register_kind
            class NoScope(DocumentKind):
                code = "loose_sheet"
                slug = "loose"
                subject_field = "student"

        assert set(kinds) == {
            "raci_matrix",
            "traject_sheet",
            "coverage",
            "bedrijfsfiche",
            "leerfiche",
            "opdracht_sheets",
            "soft_skills",
            "evaluation_report",
            "contract",
            "recognition_letter",
            "klassenraad",
        }


def _contribution(key: str, *, after=(), extra=False) -> None:
    demo.register(key, after=after, extra=extra)(lambda *, password: None)


def test_demo_order_follows_after_then_registration():
    with demo.contributions.restored():
        demo.contributions._entries = {}
        _contribution("late", after=["base"])
        _contribution("base")
        _contribution("also")
        _contribution("extra", after=["base"], extra=True)
        _contribution("needs_extra", after=["extra"])
        assert [c.key for c in demo.ordered()] == ["base", "late", "also", "extra", "needs_extra"]
        # Without extras, whatever runs after one is left out too.
        assert [c.key for c in demo.ordered(include_extra=False)] == ["base", "late", "also"]


def test_demo_order_refuses_unknown_and_circular_after():
    with demo.contributions.restored():
        demo.contributions._entries = {}
        _contribution("orphan", after=["nobody"])
        with pytest.raises(ImproperlyConfigured, match="nobody"):
            demo.ordered()
    with demo.contributions.restored():
        demo.contributions._entries = {}
        _contribution("egg", after=["chicken"])
        _contribution("chicken", after=["egg"])
        with pytest.raises(ImproperlyConfigured, match="wait for each other"):
            demo.ordered()
