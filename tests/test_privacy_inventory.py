"""docs/privacy.md lists every model that holds personal data: a new model must be added to the
inventory (with its purpose, basis, readers and retention) or named here as holding none."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps

INVENTORY = Path(__file__).resolve().parent.parent / "docs" / "privacy.md"
APPS = (
    "accounts",
    "organisations",
    "partnerships",
    "learning",
    "recognition",
    "contracts",
    "evaluation",
    "notifications",
    "documents",
    "agenda",
    "duaal",
    "dashboards",
)
# Models without personal data: catalogue content, configuration, the permission plumbing.
NOT_PERSONAL = {
    "organisations.Organisation",
    "organisations.Vestiging",
    "partnerships.Partnership",
    "partnerships.PartnershipCompany",
    "partnerships.PartnershipRoleGroup",
    "partnerships.RaciCell",
    "partnerships.SchoolClass",
    "dashboards.ClassYear",  # a class in a school year (the klassenraad report's subject)
    "partnerships.MentorLoadRule",
    "contracts.ChecklistOwnerOverride",  # which team role owns a checklist item, per partnership
    "partnerships.PartnershipUserObjectPermission",
    "partnerships.PartnershipGroupObjectPermission",
    "partnerships.TrajectUserObjectPermission",
    "partnerships.TrajectGroupObjectPermission",
    "learning.Opleiding",
    "learning.Beroepskwalificatie",
    "learning.LeerficheSet",
    "learning.Theme",
    "learning.Leerfiche",
    "learning.LeerficheItem",
    "learning.Criterion",
    "learning.ActiviteitenlijstEntry",
    "learning.Period",
    "learning.PlanEntry",
    "learning.Bedrijfsfiche",
    "recognition.RoutingRule",
    "recognition.VisitActivity",
    "recognition.CompanyInterest",  # which opleidingen interest a company (no person)
    "contracts.MinimumIncome",
    "contracts.LeervergoedingRate",
}


def test_every_model_is_in_the_inventory_or_holds_no_personal_data():
    text = INVENTORY.read_text(encoding="utf-8")
    missing = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            label = f"{app}.{model.__name__}"
            if label in NOT_PERSONAL:
                continue
            # Listed as `app.Model…` or, in a row of one app, as `Model`.
            name = model.__name__
            if not any(f"`{form}" in text for form in (label, f"{name}`", f"{name}.")):
                missing.append(label)
    assert not missing, f"Add to docs/privacy.md (or to NOT_PERSONAL): {missing}"


def test_the_not_personal_list_names_existing_models():
    for label in NOT_PERSONAL:
        apps.get_model(label)
