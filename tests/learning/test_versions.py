"""Versions of a leerfiche set: a published version is immutable; editing makes a new draft."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from duaal.models import AuditEntry
from learning.models import (
    Criterion,
    Leerfiche,
    LeerficheSet,
    Opleiding,
    SetVersion,
    VersionStatus,
)
from learning.services import versions
from organisations.models import Organisation, OrganisationKind
from tests.learning.factories import make_set_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    owner = Organisation.objects.create(kind=OrganisationKind.SECTOR_BODY, name="Sector test")
    opleiding = Opleiding.objects.get(code="lassen-constructie")
    return make_set_version(owner=owner, opleiding=opleiding, themes=2, fiches_per_theme=3)


def test_a_published_version_refuses_every_change(published):
    with pytest.raises(versions.VersionLocked):
        versions.editable(published)
    with pytest.raises(versions.VersionLocked):
        versions.publish(version=published)
    with pytest.raises(versions.VersionLocked):
        versions.discard_draft(version=published)
    assert SetVersion.objects.filter(pk=published.pk, status=VersionStatus.PUBLISHED).exists()


def test_a_stale_instance_cannot_edit_a_version_published_meanwhile(published):
    stale = SetVersion.objects.get(pk=published.pk)
    stale.status = VersionStatus.DRAFT  # what an instance read before publishing would hold
    with pytest.raises(versions.VersionLocked):
        versions.editable(stale)


def test_start_draft_copies_the_latest_version_with_its_keys(published):
    draft = versions.start_draft(leerfiche_set=published.leerfiche_set)
    assert (draft.number, draft.status) == (published.number + 1, VersionStatus.DRAFT)
    assert versions.editable(draft) == draft

    def content(version):
        return sorted(
            (c.leerfiche.theme.key, c.leerfiche.key, c.leerfiche.title, c.key, c.text, c.code)
            for c in Criterion.objects.filter(leerfiche__version=version).select_related(
                "leerfiche__theme"
            )
        )

    assert content(draft) == content(published)
    assert len(content(draft)) == 2 * 3 * 3
    # Copies, not shared rows: editing the draft leaves the published version as it was.
    Leerfiche.objects.filter(version=draft).update(title="Gewijzigd")
    assert not Leerfiche.objects.filter(version=published, title="Gewijzigd").exists()
    # Asking again gives the same draft, not a second one.
    assert versions.start_draft(leerfiche_set=published.leerfiche_set) == draft


def test_publish_makes_the_draft_immutable_and_records_it(published):
    draft = versions.start_draft(leerfiche_set=published.leerfiche_set)
    versions.publish(version=draft, change_note="Criteria herschreven")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.published_at is not None
    assert draft.change_note == "Criteria herschreven"
    with pytest.raises(versions.VersionLocked):
        versions.editable(draft)
    assert AuditEntry.objects.filter(action="leerfiche_set.publish", object_id=str(draft.pk))


def test_an_empty_draft_cannot_be_published():
    owner = Organisation.objects.create(kind=OrganisationKind.SECTOR_BODY, name="Sector leeg")
    draft = versions.create_set(
        owner=owner, opleiding=Opleiding.objects.get(code="lassen-constructie"), name="Leeg"
    )
    with pytest.raises(ValidationError):
        versions.publish(version=draft)


def test_discarding_a_draft_leaves_the_published_versions(published):
    draft = versions.start_draft(leerfiche_set=published.leerfiche_set)
    assert versions.discard_draft(version=draft) is False
    assert list(published.leerfiche_set.versions.all()) == [published]


def test_discarding_the_only_draft_of_a_new_set_removes_the_set():
    owner = Organisation.objects.create(kind=OrganisationKind.SECTOR_BODY, name="Sector nieuw")
    lassen = Opleiding.objects.get(code="lassen-constructie")
    draft = versions.create_set(owner=owner, opleiding=lassen, name="Nieuw")
    leerfiche_set = draft.leerfiche_set
    assert versions.discard_removes_the_set(draft)
    assert versions.discard_draft(version=draft) is True
    assert not LeerficheSet.objects.filter(pk=leerfiche_set.pk).exists()
    entry = AuditEntry.objects.get(action="leerfiche_set.delete", object_id=str(leerfiche_set.pk))
    assert entry.changes["name"] == ["Nieuw", None]
    # The name is free again.
    again = versions.create_set(owner=owner, opleiding=lassen, name="Nieuw")
    assert again.number == 1
