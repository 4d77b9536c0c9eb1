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
