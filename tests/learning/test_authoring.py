"""The authoring services: every write refuses a published version, keys are generated once
and never change, the audit trail records each change; the leerfiche PDF kind."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from duaal.models import AuditEntry
from learning.models import ItemKind, Opleiding, SetEditor
from learning.services import authoring, versions
from organisations.models import Organisation, OrganisationKind
from tests.learning.factories import make_set_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    owner = Organisation.objects.create(kind=OrganisationKind.SECTOR_BODY, name="Sector test")
    opleiding = Opleiding.objects.get(code="lassen-constructie")
    return make_set_version(owner=owner, opleiding=opleiding, themes=2, fiches_per_theme=2)


def test_every_authoring_service_refuses_a_published_version(published):
    fiche = published.leerfiches.first()
    theme, item, criterion = fiche.theme, fiche.items.first(), fiche.criteria.first()
    calls = [
        lambda: authoring.theme_add(actor=None, version=published, title="X"),
        lambda: authoring.theme_update(actor=None, theme=theme, title="X"),
        lambda: authoring.theme_move(actor=None, theme=theme, direction="down"),
        lambda: authoring.theme_delete(actor=None, theme=theme),
        lambda: authoring.leerfiche_add(actor=None, version=published, theme=theme, title="X"),
        lambda: authoring.leerfiche_update(actor=None, leerfiche=fiche, title="X", theme=theme),
        lambda: authoring.leerfiche_move(actor=None, leerfiche=fiche, direction="down"),
        lambda: authoring.leerfiche_delete(actor=None, leerfiche=fiche),
        lambda: authoring.item_add(actor=None, leerfiche=fiche, kind=ItemKind.LEERDOEL, text="X"),
        lambda: authoring.item_update(actor=None, item=item, text="X"),
        lambda: authoring.item_move(actor=None, item=item, direction="down"),
        lambda: authoring.item_delete(actor=None, item=item),
        lambda: authoring.criterion_add(actor=None, leerfiche=fiche, text="X"),
        lambda: authoring.criterion_update(actor=None, criterion=criterion, text="X"),
        lambda: authoring.criterion_move(actor=None, criterion=criterion, direction="down"),
        lambda: authoring.criterion_delete(actor=None, criterion=criterion),
    ]
    for call in calls:
        with pytest.raises(versions.VersionLocked):
            call()
    fiche.refresh_from_db()
    assert fiche.title == "Leerfiche 1.1"
    assert published.themes.count() == 2 and fiche.criteria.count() == 3


def test_keys_are_made_once_from_the_text_and_kept(published):
    draft = versions.start_draft(leerfiche_set=published.leerfiche_set)
    theme = authoring.theme_add(actor=None, version=draft, title="Veiligheid & kwaliteit")
    assert theme.key == "veiligheid-kwaliteit"
    again = authoring.theme_add(actor=None, version=draft, title="Veiligheid & Kwaliteit")
    assert again.key == "veiligheid-kwaliteit-2"
    fiche = authoring.leerfiche_add(actor=None, version=draft, theme=theme, title="Hoeklas PB")
    renamed = authoring.leerfiche_update(
        actor=None, leerfiche=fiche, title="Hoeklas PB (horizontaal-verticaal)", theme=theme
    )
    assert renamed.key == "hoeklas-pb"
    criterion = authoring.criterion_add(
        actor=None, leerfiche=fiche, text="Scheurvrij", norm_reference="100"
    )
    authoring.criterion_update(actor=None, criterion=criterion, text="Scheurvrij (geen scheuren)")
    criterion.refresh_from_db()
    assert criterion.key == "scheurvrij"
    long = authoring.criterion_add(actor=None, leerfiche=fiche, text="x" * 300)
    assert len(long.key) <= 80
    assert authoring.unique_key("!!!", taken=[], fallback="criterium") == "criterium"


def test_changes_are_audited(published):
    draft = versions.start_draft(leerfiche_set=published.leerfiche_set)
    fiche = draft.leerfiches.first()
    authoring.leerfiche_update(
        actor=None, leerfiche=fiche, title="Nieuw", theme=fiche.theme, intro_kennen="Kennen"
    )
    entry = AuditEntry.objects.get(action="leerfiche.update", object_id=str(fiche.pk))
    assert set(entry.changes) == {"title", "intro_kennen"}


def _trail(version, since: int):
    return list(
        AuditEntry.objects.filter(organisation_id=version.leerfiche_set.owner_id, pk__gt=since)
        .order_by("pk")
        .values_list("action", "object_id", "changes")
    )


def test_update_move_and_delete_are_recorded_alike(published):
    """The shared helpers of the theme, leerfiche, item and criterion services: the change, the
    new order (0, 1, 2 …), one entry with what changed, and none when nothing moved."""
    draft = versions.start_draft(leerfiche_set=published.leerfiche_set)
    fiche = draft.leerfiches.get(key="leerfiche-1-1")
    first = fiche.items.get(kind=ItemKind.LEERDOEL)  # "Een leerdoel", order 0
    second = authoring.item_add(actor=None, leerfiche=fiche, kind=ItemKind.LEERDOEL, text="Twee")
    c1, c2, c3 = fiche.criteria.order_by("order")
    theme = fiche.theme
    since = AuditEntry.objects.order_by("pk").last().pk

    authoring.theme_update(actor=None, theme=theme, title="Hernoemd")
    authoring.item_update(actor=None, item=first, text="Nieuw", note="Let op")
    authoring.criterion_update(
        actor=None, criterion=c1, text="Scheurvrij", code="S", norm_reference="100"
    )
    assert authoring.item_move(actor=None, item=first, direction="up") is False
    assert authoring.item_move(actor=None, item=first, direction="down") is True
    assert authoring.criterion_move(actor=None, criterion=c3, direction="down") is False
    assert authoring.criterion_move(actor=None, criterion=c3, direction="up") is True
    assert authoring.leerfiche_move(actor=None, leerfiche=fiche, direction="down") is True
    assert list(fiche.items.order_by("order").values_list("pk", "order")) == [
        (second.pk, 0),
        (first.pk, 1),
    ]
    assert list(fiche.criteria.order_by("order").values_list("pk", "order")) == [
        (c1.pk, 0),
        (c3.pk, 1),
        (c2.pk, 2),
    ]
    second_id, c2_id = second.pk, c2.pk
    authoring.item_delete(actor=None, item=second)
    authoring.criterion_delete(actor=None, criterion=c2)
    assert list(fiche.items.values_list("pk", flat=True)) == [first.pk]
    assert not fiche.criteria.filter(pk=c2_id).exists()
    theme.refresh_from_db()
    first.refresh_from_db()
    c1.refresh_from_db()
    assert (theme.title, first.text, first.note) == ("Hernoemd", "Nieuw", "Let op")
    assert (c1.text, c1.norm_reference, c1.key) == ("Scheurvrij", "100", "criterium-1")
    assert _trail(draft, since) == [
        ("theme.update", str(theme.pk), {"title": ["Thema 1", "Hernoemd"]}),
        (
            "leerfiche_item.update",
            str(first.pk),
            {"text": ["Een leerdoel", "Nieuw"], "note": ["", "Let op"]},
        ),
        (
            "criterion.update",
            str(c1.pk),
            {"text": ["Criterium 1", "Scheurvrij"], "norm_reference": ["", "100"]},
        ),
        ("leerfiche_item.move", str(first.pk), {}),
        ("criterion.move", str(c3.pk), {}),
        ("leerfiche.move", str(fiche.pk), {}),
        (
            "leerfiche_item.delete",
            str(second_id),
            {"kind": ["leerdoel", None], "text": ["Twee", None]},
        ),
        (
            "criterion.delete",
            str(c2_id),
            {"key": ["criterium-2", None], "text": ["Criterium 2", None]},
        ),
    ]


def test_a_leerfiche_cannot_move_to_a_theme_of_another_version(published):
    draft = versions.start_draft(leerfiche_set=published.leerfiche_set)
    with pytest.raises(ValidationError):
        authoring.leerfiche_update(
            actor=None,
            leerfiche=draft.leerfiches.first(),
            title="X",
            theme=published.themes.first(),
        )


def test_editors_must_be_members_of_the_owner(published, demo_cast):
    with pytest.raises(ValidationError):
        authoring.editor_add(
            actor=None,
            leerfiche_set=published.leerfiche_set,
            user=demo_cast["coord@sintjozef.demo"],
        )
    assert not SetEditor.objects.exists()
