"""The catalogue pages: who reads which set and version, who edits, and what a page shows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duaal.models import AuditEntry
from learning.models import (
    Criterion,
    ItemKind,
    Leerfiche,
    LeerficheItem,
    LeerficheSet,
    Opleiding,
    SetEditor,
    SetVersion,
    VersionStatus,
)
from learning.services import versions
from organisations.models import Organisation
from tests.learning.factories import make_set_version

SECTOR = "Sectoraal Partnerschap Technologische Industrie"
SCHOOL_A = "Technisch Instituut Sint-Jozef"


@pytest.fixture
def lassen(db):
    return Opleiding.objects.get(code="lassen-constructie")


@pytest.fixture
def sector_set(demo_cast, lassen):
    """A published version of the sector body's set, a draft on top, consulent as editor."""
    sector = Organisation.objects.get(name=SECTOR)
    published = make_set_version(
        owner=sector, opleiding=lassen, name="Testset sector", themes=2, fiches_per_theme=2
    )
    SetEditor.objects.create(
        leerfiche_set=published.leerfiche_set, user=demo_cast["consulent@sector.demo"]
    )
    draft = versions.start_draft(leerfiche_set=published.leerfiche_set)
    return published, draft


def test_index_shows_standaardtraject_and_readable_versions(client, login, sector_set):
    published, draft = sector_set
    Opleiding.objects.filter(code="lassen-constructie").update(minimum_workplace_hours=None)
    login("coord@vandenberghe.demo")
    response = client.get(reverse("learning:catalogue_index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lassen-Constructie duaal" in html and "niet gekend" in html
    assert reverse("learning:version_detail", args=[published.public_id]) in html
    # Another organisation's draft is not listed.
    assert reverse("learning:version_detail", args=[draft.public_id]) not in html


def test_index_lists_the_draft_to_the_owner(client, login, sector_set):
    published, draft = sector_set
    login("consulent@sector.demo")
    html = client.get(reverse("learning:catalogue_index")).content.decode()
    assert reverse("learning:version_detail", args=[draft.public_id]) in html


def test_index_is_for_members_only(client, login, demo_cast):
    login("leerling1@sintjozef.demo")
    assert client.get(reverse("learning:catalogue_index")).status_code == 404


def test_set_page_lists_versions_and_offers_edit_to_editors(client, login, sector_set):
    published, draft = sector_set
    login("coord@vandenberghe.demo")
    response = client.get(reverse("learning:set_detail", args=[published.leerfiche_set.public_id]))
    assert response.status_code == 200
    assert b'data-testid="set-edit"' not in response.content
    assert response.content.decode().count('data-testid="version-row"') == 1
    client.logout()
    login("consulent@sector.demo")
    response = client.get(reverse("learning:set_detail", args=[published.leerfiche_set.public_id]))
    assert b'data-testid="set-edit"' in response.content
    assert response.content.decode().count('data-testid="version-row"') == 2


def test_a_draft_is_invisible_to_other_organisations(client, login, sector_set):
    published, draft = sector_set
    fiche = draft.leerfiches.first()
    login("coord@sintjozef.demo")
    assert client.get(reverse("learning:version_detail", args=[draft.public_id])).status_code == 404
    assert (
        client.get(reverse("learning:leerfiche_detail", args=[fiche.public_id])).status_code == 404
    )
    assert (
        client.get(reverse("learning:version_detail", args=[published.public_id])).status_code
        == 200
    )
    # Editing URLs of the draft: 404 too (not 403: the draft does not exist for them).
    assert client.get(reverse("learning:theme_add", args=[draft.public_id])).status_code == 404
    response = client.post(reverse("learning:leerfiche_edit", args=[fiche.public_id]), {})
    assert response.status_code == 404


def test_members_who_are_not_editors_get_403(client, login, demo_cast, lassen):
    school = Organisation.objects.get(name=SCHOOL_A)
    draft = make_set_version(owner=school, opleiding=lassen, name="Schoolset", published=False)
    fiche = draft.leerfiches.first()
    login("lk@sintjozef.demo")  # a member of the school, not an administrator nor an editor
    assert client.get(reverse("learning:version_detail", args=[draft.public_id])).status_code == 200
    assert client.get(reverse("learning:theme_add", args=[draft.public_id])).status_code == 403
    assert client.get(reverse("learning:leerfiche_edit", args=[fiche.public_id])).status_code == 403
    response = client.post(
        reverse("learning:version_publish", args=[draft.public_id]), {"confirm": "yes"}
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("learning:set_edit", args=[draft.leerfiche_set.public_id])).status_code
        == 403
    )
    client.logout()
    login("directie@sintjozef.demo")  # an administrator of the school
    assert client.get(reverse("learning:theme_add", args=[draft.public_id])).status_code == 200
    assert client.get(reverse("learning:leerfiche_edit", args=[fiche.public_id])).status_code == 200


def _authoring_urls(version, fiche, theme, item, criterion):
    v, f = version.public_id, fiche.public_id
    return [
        reverse("learning:version_publish", args=[v]),
        reverse("learning:version_discard", args=[v]),
        reverse("learning:theme_add", args=[v]),
        reverse("learning:theme_edit", args=[v, theme.pk]),
        reverse("learning:theme_move", args=[v, theme.pk]),
        reverse("learning:theme_delete", args=[v, theme.pk]),
        reverse("learning:leerfiche_add", args=[v]),
        reverse("learning:leerfiche_edit", args=[f]),
        reverse("learning:leerfiche_move", args=[f]),
        reverse("learning:leerfiche_delete", args=[f]),
        reverse("learning:item_add", args=[f, "leerdoel"]),
        reverse("learning:item_edit", args=[f, item.pk]),
        reverse("learning:item_move", args=[f, item.pk]),
        reverse("learning:item_delete", args=[f, item.pk]),
        reverse("learning:criterion_add", args=[f]),
        reverse("learning:criterion_edit", args=[f, criterion.public_id]),
        reverse("learning:criterion_move", args=[f, criterion.public_id]),
        reverse("learning:criterion_delete", args=[f, criterion.public_id]),
    ]


def _content(version):
    return (
        list(Leerfiche.objects.filter(version=version).order_by("pk").values()),
        list(LeerficheItem.objects.filter(leerfiche__version=version).order_by("pk").values()),
        list(Criterion.objects.filter(leerfiche__version=version).order_by("pk").values()),
        list(version.themes.order_by("pk").values()),
    )


def test_no_url_edits_a_published_version(client, login, sector_set):
    published, _draft = sector_set
    fiche = published.leerfiches.order_by("pk").last()
    theme, item, criterion = fiche.theme, fiche.items.first(), fiche.criteria.last()
    before = _content(published)
    login("consulent@sector.demo")
    data = {
        "confirm": "yes",
        "direction": "up",
        "title": "Overschreven",
        "text": "Overschreven",
        "theme": theme.pk,
        "change_note": "x",
    }
    for url in _authoring_urls(published, fiche, theme, item, criterion):
        for method in ("get", "post"):
            response = getattr(client, method)(url, data if method == "post" else None)
            assert response.status_code in {403, 405}, (method, url, response.status_code)
            if response.status_code == 403:
                assert "is gepubliceerd" in response.content.decode(), url
    assert _content(published) == before
    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED


def test_bewerken_opens_the_draft(client, login, sector_set):
    published, draft = sector_set
    login("consulent@sector.demo")
    response = client.post(reverse("learning:set_edit", args=[published.leerfiche_set.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:version_detail", args=[draft.public_id])


def test_publish_needs_confirmation_then_publishes_with_the_note(client, login, sector_set):
    published, draft = sector_set
    login("consulent@sector.demo")
    url = reverse("learning:version_publish", args=[draft.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "niet meer wijzigen" in page.content.decode()
    # A bare POST only shows the confirmation.
    assert client.post(url, {"change_note": "Nieuw"}).status_code == 200
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    response = client.post(url, {"confirm": "yes", "change_note": "Hoeklas toegevoegd"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.change_note) == (VersionStatus.PUBLISHED, "Hoeklas toegevoegd")
    # Now readable by another organisation.
    client.logout()
    login("coord@vandenberghe.demo")
    assert client.get(reverse("learning:version_detail", args=[draft.public_id])).status_code == 200


def test_publishing_an_empty_draft_is_refused_with_a_message(client, login, demo_cast, lassen):
    school = Organisation.objects.get(name=SCHOOL_A)
    draft = make_set_version(owner=school, opleiding=lassen, name="Leeg", themes=0, published=False)
    login("coord@sintjozef.demo")
    url = reverse("learning:version_publish", args=[draft.public_id])
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 200
    assert b"error-summary" in response.content
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_discard_removes_the_draft_only(client, login, sector_set):
    published, draft = sector_set
    login("consulent@sector.demo")
    url = reverse("learning:version_discard", args=[draft.public_id])
    assert client.post(url, {}).status_code == 200  # not confirmed: the page
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert list(published.leerfiche_set.versions.all()) == [published]


def test_discarding_the_draft_of_a_published_set_keeps_the_set(client, login, sector_set):
    published, draft = sector_set
    login("consulent@sector.demo")
    page = client.get(reverse("learning:version_detail", args=[draft.public_id])).content.decode()
    assert "de gepubliceerde versies blijven zoals ze zijn" in page
    assert "nooit gepubliceerd" not in page
    response = client.post(
        reverse("learning:version_discard", args=[draft.public_id]), {"confirm": "yes"}
    )
    assert response["Location"] == reverse(
        "learning:set_detail", args=[published.leerfiche_set.public_id]
    )
    assert LeerficheSet.objects.filter(pk=published.leerfiche_set_id).exists()


def test_discarding_the_only_draft_of_a_never_published_set_removes_the_set(
    client, login, demo_cast, lassen
):
    """The set was only its draft: it goes with it (a set without versions is readable by
    nobody, so it would linger unseen and keep its name taken)."""
    school = Organisation.objects.get(name=SCHOOL_A)
    draft = make_set_version(owner=school, opleiding=lassen, name="Schoolset", published=False)
    leerfiche_set = draft.leerfiche_set
    login("directie@sintjozef.demo")  # an administrator of the school
    url = reverse("learning:version_discard", args=[draft.public_id])
    # The dialog on the version page and the confirmation page both say the set goes.
    for page in (
        client.get(reverse("learning:version_detail", args=[draft.public_id])),
        client.get(url),
    ):
        text = page.content.decode()
        assert "De set “Schoolset” werd nooit gepubliceerd" in text
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("learning:catalogue_index")
    assert "De set “Schoolset” is verwijderd" in response.content.decode()
    assert not LeerficheSet.objects.filter(pk=leerfiche_set.pk).exists()
    assert not SetVersion.objects.filter(pk=draft.pk).exists()
    assert (
        client.get(reverse("learning:set_detail", args=[leerfiche_set.public_id])).status_code
        == 404
    )
    assert list(
        AuditEntry.objects.filter(organisation_id=school.pk, object_label__contains="Schoolset")
        .order_by("pk")
        .values_list("action", flat=True)
    )[-2:] == ["leerfiche_set.discard_draft", "leerfiche_set.delete"]
    # The name is free again: the school starts the set anew.
    response = client.post(
        reverse("learning:set_create"),
        {"owner": school.pk, "opleiding": lassen.pk, "name": "Schoolset"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert LeerficheSet.objects.filter(owner=school, name="Schoolset").count() == 1


def test_editing_a_leerfiche_in_the_draft(client, login, sector_set):
    _published, draft = sector_set
    fiche = draft.leerfiches.order_by("pk").first()
    other_theme = draft.themes.order_by("order").last()
    login("consulent@sector.demo")
    url = reverse("learning:leerfiche_edit", args=[fiche.public_id])
    assert client.get(url).status_code == 200
    # Bad input: the errors beside the field and on top, never a 500.
    response = client.post(url, {"title": "", "theme": "999999"})
    assert response.status_code == 400
    assert b"error-summary" in response.content and b"field__error" in response.content
    response = client.post(
        url,
        {
            "title": "Geïntegreerde lasopdracht",
            "theme": other_theme.pk,
            "intro_kennen": "De leerling kent de lasprocessen.",
            "has_opdracht": "on",
            "lasprocede": "Halfautomaat",
            "lasprocessen": "131, 135,136 , 138",
            "lasnaadvorm": "Hoeklas",
            "lasstand": "PA Onder de hand",
            "metals": "Staal, RVS, ALU",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # A NUL character (PostgreSQL refuses it) is a field error, not a 500.
    response = client.post(url, {"title": "X", "theme": other_theme.pk, "metals": "Staal\x00"})
    assert response.status_code == 400
    fiche.refresh_from_db()
    assert fiche.title == "Geïntegreerde lasopdracht" and fiche.theme == other_theme
    assert fiche.lasprocessen == ["131", "135", "136", "138"]
    assert fiche.metals == ["Staal", "RVS", "ALU"]
    assert fiche.key == "leerfiche-1-1"  # the key never changes


def test_items_and_criteria_add_edit_move_delete(client, login, sector_set):
    _published, draft = sector_set
    fiche = draft.leerfiches.order_by("pk").first()
    login("consulent@sector.demo")
    add = reverse("learning:criterion_add", args=[fiche.public_id])
    assert client.post(add, {"text": ""}).status_code == 400
    client.post(add, {"text": "Oppervlakteporiën", "norm_reference": "2017", "code": "S"})
    client.post(add, {"text": "Oppervlakteporiën", "norm_reference": "2017"})
    new = list(fiche.criteria.order_by("order"))[-2:]
    assert [c.key for c in new] == ["oppervlakteporien", "oppervlakteporien-2"]
    edit = reverse("learning:criterion_edit", args=[fiche.public_id, new[0].public_id])
    client.post(
        edit, {"text": "Oppervlakteporiën vlgs norm", "norm_reference": "2017", "code": "S"}
    )
    new[0].refresh_from_db()
    assert (new[0].key, new[0].text) == ("oppervlakteporien", "Oppervlakteporiën vlgs norm")
    move = reverse("learning:criterion_move", args=[fiche.public_id, new[1].public_id])
    client.post(move, {"direction": "up"})
    assert [c.key for c in fiche.criteria.order_by("order")][-2:] == [
        "oppervlakteporien-2",
        "oppervlakteporien",
    ]
    assert client.post(move, {"direction": "sideways"}).status_code == 404
    client.post(
        reverse("learning:criterion_delete", args=[fiche.public_id, new[1].public_id]),
        {"confirm": "yes"},
    )
    assert not fiche.criteria.filter(pk=new[1].pk).exists()

    item_add = reverse("learning:item_add", args=[fiche.public_id, "step"])
    for text in ("Plan bestuderen.", "Stukken nameten."):
        assert client.post(item_add, {"text": text}).status_code == 302
    steps = list(fiche.items.filter(kind=ItemKind.STEP).order_by("order"))
    client.post(
        reverse("learning:item_move", args=[fiche.public_id, steps[1].pk]), {"direction": "up"}
    )
    assert [i.text for i in fiche.items.filter(kind=ItemKind.STEP).order_by("order")] == [
        "Stukken nameten.",
        "Plan bestuderen.",
    ]
    client.post(
        reverse("learning:item_edit", args=[fiche.public_id, steps[0].pk]),
        {"text": "Plan/tekening bestuderen.", "note": "Vraag je mentor."},
    )
    steps[0].refresh_from_db()
    assert (steps[0].text, steps[0].note) == ("Plan/tekening bestuderen.", "Vraag je mentor.")
    client.post(
        reverse("learning:item_delete", args=[fiche.public_id, steps[1].pk]), {"confirm": "yes"}
    )
    assert fiche.items.filter(kind=ItemKind.STEP).count() == 1
    assert (
        client.get(reverse("learning:item_add", args=[fiche.public_id, "nonsense"])).status_code
        == 404
    )


def _dialog(html: str, dialog_id: str) -> str:
    start = html.index(f'<dialog class="dialog" id="{dialog_id}"')
    return html[start : html.index("</dialog>", start)]


def test_removing_a_line_or_a_criterion_asks_first_and_says_what_goes(client, login, sector_set):
    _published, draft = sector_set
    fiche = draft.leerfiches.order_by("pk").first()
    item = fiche.items.get(kind=ItemKind.LEERDOEL)
    item.text = "Een rechte las leggen"
    item.save()
    criterion = fiche.criteria.order_by("order").first()
    criterion.text, criterion.norm_reference, criterion.code = "Scheurvrij", "100", "S"
    criterion.save()
    login("consulent@sector.demo")
    item_url = reverse("learning:item_delete", args=[fiche.public_id, item.pk])
    criterion_url = reverse(
        "learning:criterion_delete", args=[fiche.public_id, criterion.public_id]
    )

    # The edit page: each "Remove" opens its dialog (data-confirm); without JavaScript the
    # same button is a GET form to the confirmation page.
    html = client.get(reverse("learning:leerfiche_edit", args=[fiche.public_id])).content.decode()
    for url, dialog_id, what in (
        (item_url, f"delete-item-{item.pk}", "Een rechte las leggen"),
        (criterion_url, f"delete-criterion-{criterion.public_id.hex}", "Scheurvrij 100 (S)"),
    ):
        button = re.search(
            rf'<form method="get" action="{re.escape(url)}" class="inline-form"><button '
            rf'[^>]*data-confirm="{dialog_id}"',
            html,
        )
        assert button, dialog_id
        dialog = _dialog(html, dialog_id)
        assert f"“{what}”" in dialog
        assert "Alleen dit concept verandert" in dialog
        assert f'<form method="post" action="{url}"' in dialog
        assert 'name="confirm" value="yes"' in dialog
        assert 'formmethod="dialog"' in dialog  # cancel closes the dialog

    # Without JavaScript: the confirmation page says the same; a POST without confirm removes
    # nothing; confirm=yes removes it.
    for url, what in (
        (item_url, "Een rechte las leggen"),
        (criterion_url, "Scheurvrij 100 (S)"),
    ):
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert 'data-testid="confirm-page"' in text and f"“{what}”" in text
        assert client.post(url).status_code == 200
    assert fiche.items.filter(pk=item.pk).exists()
    assert fiche.criteria.filter(pk=criterion.pk).exists()

    response = client.post(item_url, {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"].endswith("#section-leerdoel")
    response = client.post(criterion_url, {"confirm": "yes"})
    assert response["Location"].endswith("#section-criteria")
    assert not fiche.items.filter(pk=item.pk).exists()
    assert not fiche.criteria.filter(pk=criterion.pk).exists()


def test_themes_add_rename_reorder_remove(client, login, sector_set):
    _published, draft = sector_set
    login("consulent@sector.demo")
    assert (
        client.post(
            reverse("learning:theme_add", args=[draft.public_id]), {"title": ""}
        ).status_code
        == 400
    )
    client.post(reverse("learning:theme_add", args=[draft.public_id]), {"title": "Veiligheid"})
    theme = draft.themes.get(key="veiligheid")
    client.post(
        reverse("learning:theme_edit", args=[draft.public_id, theme.pk]),
        {"title": "Veiligheid en kwaliteit"},
    )
    client.post(
        reverse("learning:theme_move", args=[draft.public_id, theme.pk]), {"direction": "up"}
    )
    assert [t.key for t in draft.themes.order_by("order")] == ["thema-1", "veiligheid", "thema-2"]
    # A theme with leerfiches is not removed; an empty one is.
    full = draft.themes.get(key="thema-1")
    client.post(
        reverse("learning:theme_delete", args=[draft.public_id, full.pk]), {"confirm": "yes"}
    )
    assert draft.themes.filter(pk=full.pk).exists()
    client.post(
        reverse("learning:theme_delete", args=[draft.public_id, theme.pk]), {"confirm": "yes"}
    )
    assert not draft.themes.filter(pk=theme.pk).exists()


def test_add_and_remove_a_leerfiche(client, login, sector_set):
    _published, draft = sector_set
    theme = draft.themes.order_by("order").first()
    login("consulent@sector.demo")
    url = reverse("learning:leerfiche_add", args=[draft.public_id])
    assert client.post(url, {"title": "", "theme": ""}).status_code == 400
    response = client.post(url, {"title": "Hoeklas PB", "theme": theme.pk})
    fiche = draft.leerfiches.get(key="hoeklas-pb")
    assert response["Location"] == reverse("learning:leerfiche_edit", args=[fiche.public_id])
    delete = reverse("learning:leerfiche_delete", args=[fiche.public_id])
    assert client.get(delete).status_code == 200
    client.post(delete, {"confirm": "yes"})
    assert not draft.leerfiches.filter(pk=fiche.pk).exists()


def test_new_set_by_an_administrator_of_an_authoring_organisation(client, login, demo_cast, lassen):
    login("coord@vandenberghe.demo")  # a company administrator: companies write bedrijfsfiches
    assert client.get(reverse("learning:set_create")).status_code == 403
    client.logout()
    login("coord@sintjozef.demo")
    url = reverse("learning:set_create")
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400
    school = Organisation.objects.get(name=SCHOOL_A)
    response = client.post(url, {"owner": school.pk, "opleiding": lassen.pk, "name": "Onze set"})
    assert response.status_code == 302
    # The same name twice: an error beside the name.
    response = client.post(url, {"owner": school.pk, "opleiding": lassen.pk, "name": "onze set"})
    assert response.status_code == 400 and b"field__error" in response.content


def test_editors_are_named_by_the_owners_administrators(client, login, demo_cast, lassen):
    school = Organisation.objects.get(name=SCHOOL_A)
    version = make_set_version(owner=school, opleiding=lassen, name="Schoolset")
    leerfiche_set = version.leerfiche_set
    lk = demo_cast["lk@sintjozef.demo"]
    add = reverse("learning:editor_add", args=[leerfiche_set.public_id])
    login("lk@sintjozef.demo")
    assert client.post(add, {"user": lk.pk}).status_code == 403
    client.logout()
    login("coord@sintjozef.demo")
    outsider = demo_cast["mentor@vandenberghe.demo"]
    assert client.post(add, {"user": outsider.pk}).status_code == 400
    assert client.post(add, {"user": lk.pk}).status_code == 302
    editor = SetEditor.objects.get(leerfiche_set=leerfiche_set, user=lk)
    client.logout()
    login("lk@sintjozef.demo")  # now an editor: may start the draft
    response = client.post(reverse("learning:set_edit", args=[leerfiche_set.public_id]))
    assert response.status_code == 302
    remove = reverse("learning:editor_remove", args=[leerfiche_set.public_id, editor.pk])
    assert client.post(remove).status_code == 403  # an editor does not name editors
    client.logout()
    login("coord@sintjozef.demo")
    assert client.post(remove).status_code == 302
    assert not SetEditor.objects.filter(pk=editor.pk).exists()


def _fill_opdracht(fiche):
    Leerfiche.objects.filter(pk=fiche.pk).update(
        has_opdracht=True,
        lasprocede="Halfautomaat",
        lasprocessen=["131", "135", "136", "138"],
        lasnaadvorm="Hoeklas",
        lasstand="PA Onder de hand",
        doelstelling="Een rechte, gelijkmatige, liggende las kunnen leggen",
        opdracht_note="Nota: lasnaadvoorbereiding afhankelijk van de plaatdikte",
        metals=["Staal", "RVS", "ALU"],
        kennis_intro="Gezien de specifieke context van elk bedrijf",
        kennis_outro="Leraren bereiden leerlingen voor",
    )
    LeerficheItem.objects.bulk_create(
        [
            LeerficheItem(leerfiche=fiche, kind=ItemKind.STEP, order=1, text="Stukken nameten."),
            LeerficheItem(
                leerfiche=fiche, kind=ItemKind.STEP, order=0, text="Plan/tekening bestuderen."
            ),
            LeerficheItem(
                leerfiche=fiche, kind=ItemKind.BEHAVIOUR, order=0, text="Verwijdert bramen"
            ),
            LeerficheItem(leerfiche=fiche, kind=ItemKind.MEASUREMENT, order=0, text="beenhoogte"),
            LeerficheItem(
                leerfiche=fiche,
                kind=ItemKind.LEERDOEL,
                order=1,
                heading="Smeren en automatische smeersystemen",
                text="De leerling kent de soorten smeermiddelen",
                note="Het is belangrijk om leerlingen hiervan bewust te maken.",
            ),
            LeerficheItem(
                leerfiche=fiche, kind=ItemKind.KENNIS, order=0, text="Soorten smeermiddelen"
            ),
            LeerficheItem(
                leerfiche=fiche, kind=ItemKind.OEFENCONTEXT, order=0, text="Smeerplan lezen"
            ),
        ]
    )
    Criterion.objects.create(
        leerfiche=fiche, key="opp", order=10, text="Oppervlakteporiën", norm_reference="2017"
    )


def test_the_leerfiche_page_renders_the_appendix_layout(client, login, sector_set):
    published, _draft = sector_set
    fiche = published.leerfiches.order_by("pk").first()
    _fill_opdracht(fiche)
    login("mentor@vandenberghe.demo")
    response = client.get(reverse("learning:leerfiche_detail", args=[fiche.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Halfautomaat 131, 135, 136, 138",
        "Hoeklas",
        "PA Onder de hand",
        "Een rechte, gelijkmatige, liggende las kunnen leggen",
        "Staal / RVS / ALU",
        "beenhoogte",
        "Verwijdert bramen",
        "Smeren en automatische smeersystemen",
        "Het is belangrijk om leerlingen hiervan bewust te maken.",
        "Gezien de specifieke context van elk bedrijf",
        "Leraren bereiden leerlingen voor",
        "Smeerplan lezen",
        'Oppervlakteporiën <span class="leerfiche__norm" data-testid="criterion-norm">vlgs norm 2017</span>',
        '<span class="leerfiche__code" data-testid="criterion-code">(S)</span>',
        "LEERDOELEN".capitalize(),
    ):
        assert text in html, text
    # The stappenplan in its order.
    assert html.index("Plan/tekening bestuderen.") < html.index("Stukken nameten.")
    # Sections in the brochure's order.
    order = [
        "section-leerdoelen",
        "section-kennis",
        "section-oefencontexten",
        "section-stappenplan",
        "section-criteria",
    ]
    positions = [html.index(name) for name in order]
    assert positions == sorted(positions)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_version_and_leerfiche_pages_take_constant_queries(client, login, demo_cast, lassen):
    sector = Organisation.objects.get(name=SECTOR)
    small = make_set_version(
        owner=sector,
        opleiding=lassen,
        name="Klein",
        themes=2,
        fiches_per_theme=5,
        criteria_per_fiche=10,
    )
    large = make_set_version(
        owner=sector,
        opleiding=lassen,
        name="Groot",
        themes=4,
        fiches_per_theme=20,
        criteria_per_fiche=80,
    )
    login("coord@vandenberghe.demo")
    version_counts = [
        _queries(client, reverse("learning:version_detail", args=[v.public_id]))
        for v in (small, large)
    ]
    assert version_counts[0] == version_counts[1]
    fiche_counts = [
        _queries(
            client, reverse("learning:leerfiche_detail", args=[v.leerfiches.first().public_id])
        )
        for v in (small, large)
    ]
    assert fiche_counts[0] == fiche_counts[1]


def test_index_and_set_pages_take_constant_queries(client, login, demo_cast, lassen):
    sector = Organisation.objects.get(name=SECTOR)
    login("consulent@sector.demo")
    counts = []
    for names in (["Eén"], ["Twee", "Drie", "Vier", "Vijf"]):
        for name in names:
            version = make_set_version(owner=sector, opleiding=lassen, name=name, themes=1)
            versions.start_draft(leerfiche_set=version.leerfiche_set)
        set_url = reverse("learning:set_detail", args=[version.leerfiche_set.public_id])
        counts.append(
            (_queries(client, reverse("learning:catalogue_index")), _queries(client, set_url))
        )
    assert counts[0] == counts[1]


def test_the_seeded_appendix_leerfiches_read_as_the_brochure(client, login, demo_cast):
    """The demo's two appendix leerfiches (learning/seeds/) on their page."""
    login("mentor@vandenberghe.demo")
    welding = Leerfiche.objects.get(key="geintegreerde-lasopdracht", version__number=1)
    html = client.get(reverse("learning:leerfiche_detail", args=[welding.public_id])).content
    text = " ".join(html.decode().split())
    assert "Halfautomaat 131, 135, 136 en 138</dd>" in text  # the numbers not repeated
    assert "Staal / RVS / ALU" in text
    assert text.count('data-testid="step"') == 12
    assert text.count('data-testid="behaviour"') == 9
    assert text.count('data-testid="criterion"') == 10
    assert "Oppervlakteporiën" in text and "vlgs norm 2017" in text
    smeren = Leerfiche.objects.get(key="smeren", version__number=1)
    html = client.get(reverse("learning:leerfiche_detail", args=[smeren.public_id])).content
    text = " ".join(html.decode().split())
    assert text.count('data-testid="item-leerdoel"') == 7
    assert text.count('data-testid="item-note"') == 1
    assert text.count('<span class="leerfiche__code" data-testid="criterion-code">(S)</span>') == 2
