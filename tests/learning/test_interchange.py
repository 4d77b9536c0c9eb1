"""The leerfiche JSON format: round trip, every kind of bad input in Dutch, the views, the
management commands. Bad input saves nothing (rows counted before and after)."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from duaal.models import AuditEntry
from learning import interchange
from learning.demo.catalogue import SECTOR_BODY, seed_data
from learning.models import (
    Criterion,
    Leerfiche,
    LeerficheItem,
    LeerficheSet,
    Opleiding,
    SetEditor,
    SetVersion,
    Theme,
)
from learning.services import versions
from organisations.models import Organisation
from tests.learning.factories import make_set_version

pytestmark = pytest.mark.django_db

LASSEN = "lassen-constructie.json"


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl-be"):
        yield


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (LeerficheSet, SetVersion, Theme, Leerfiche, LeerficheItem, Criterion)
    )


def _school_a() -> Organisation:
    return Organisation.objects.get(name="Technisch Instituut Sint-Jozef")


def _sector() -> Organisation:
    return Organisation.objects.get(name=SECTOR_BODY)


def _sector_version(opleiding: str = "lassen-constructie") -> SetVersion:
    return SetVersion.objects.get(
        leerfiche_set__owner__name=SECTOR_BODY, leerfiche_set__opleiding__code=opleiding
    )


def _renamed(name: str = "Leerfiches lassen van Sint-Jozef") -> dict:
    data = seed_data(LASSEN)
    data["set"]["name"] = name
    return data


# --- round trip ---------------------------------------------------------------------------


def test_export_import_export_gives_identical_json(demo_cast):
    first = interchange.export_version(_sector_version())
    version = interchange.import_version(copy.deepcopy(first), owner=_school_a())
    second = interchange.export_version(version)
    assert second == first
    assert interchange.dumps(version) == interchange.dumps(first)


def test_round_trip_keeps_headings_and_notes_of_steps(demo_cast):
    data = _renamed()
    opdracht = data["themes"][1]["leerfiches"][0]["opdracht"]
    opdracht["stappenplan"][0] = {"text": "Stap met nota", "heading": "Voorbereiden", "note": "n"}
    version = interchange.import_version(data, owner=_school_a())
    exported = interchange.export_version(version)
    assert exported["themes"][1]["leerfiches"][0]["opdracht"]["stappenplan"][0] == {
        "text": "Stap met nota",
        "heading": "Voorbereiden",
        "note": "n",
    }
    exported["version"]["number"] = 1
    assert exported == data


def test_a_factory_version_round_trips(demo_cast):
    version = make_set_version(
        owner=_school_a(), opleiding=Opleiding.objects.get(code="onderhoudsmechanica")
    )
    first = interchange.export_version(version)
    first["set"]["name"] = "Kopie"
    again = interchange.export_version(interchange.import_version(first, owner=_school_a()))
    assert again == first


def test_import_is_a_draft_with_an_audit_trail_and_no_personal_data(demo_cast):
    coord = demo_cast["coord@sintjozef.demo"]
    version = interchange.import_version(_renamed(), owner=_school_a(), actor=coord)
    assert not version.is_published and version.number == 1
    assert version.leerfiche_set.owner == _school_a()
    assert version.change_note == seed_data(LASSEN)["version"]["change_note"]
    actions = set(AuditEntry.objects.filter(actor_id=coord.pk).values_list("action", flat=True))
    assert {"leerfiche_set.create", "leerfiche_set.import"} <= actions
    exported = interchange.dumps(_sector_version())
    assert "published_by" not in exported and "@" not in exported


def test_import_uses_a_constant_number_of_queries(demo_cast):
    small = make_set_version(
        owner=_school_a(),
        opleiding=Opleiding.objects.get(code="onderhoudsmechanica"),
        name="Klein",
        themes=1,
        fiches_per_theme=2,
    )
    large = make_set_version(
        owner=_school_a(),
        opleiding=Opleiding.objects.get(code="onderhoudsmechanica"),
        name="Groot",
        themes=6,
        fiches_per_theme=10,
    )
    queries = []
    for version, name in ((small, "Klein 2"), (large, "Groot 2")):
        data = interchange.export_version(version)
        data["set"]["name"] = name
        with CaptureQueriesContext(connection) as captured:
            interchange.import_version(data, owner=_school_a())
        queries.append(len(captured))
    assert queries[0] == queries[1]


def test_export_uses_a_constant_number_of_queries(demo_cast):
    opleiding = Opleiding.objects.get(code="onderhoudsmechanica")
    counts = []
    for name, fiches in (("Klein", 2), ("Groot", 40)):
        version = make_set_version(
            owner=_school_a(), opleiding=opleiding, name=name, fiches_per_theme=fiches
        )
        with CaptureQueriesContext(connection) as captured:
            interchange.export_version(version)
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 5


# --- into an existing set -------------------------------------------------------------------


def test_import_into_a_set_makes_its_next_draft(demo_cast):
    published = _sector_version()
    data = seed_data(LASSEN)
    data["themes"][0]["leerfiches"][0]["title"] = "Plan en tekening lezen (herwerkt)"
    data["version"]["change_note"] = "Titel herwerkt"
    draft = interchange.import_version(data, owner=_sector(), into=published.leerfiche_set)
    assert (draft.number, draft.status, draft.change_note) == (2, "draft", "Titel herwerkt")
    assert draft.leerfiches.get(key="plan-en-tekening-lezen").title.endswith("(herwerkt)")
    assert published.leerfiches.get(key="plan-en-tekening-lezen").title == "Plan en tekening lezen"
    assert interchange.export_version(published) == seed_data(LASSEN)


def test_import_into_a_set_with_a_draft_is_refused_and_says_so(demo_cast):
    leerfiche_set = _sector_version().leerfiche_set
    versions.start_draft(leerfiche_set=leerfiche_set)
    before = _counts()
    with pytest.raises(interchange.InterchangeError) as raised:
        interchange.import_version(seed_data(LASSEN), owner=_sector(), into=leerfiche_set)
    assert raised.value.messages == [
        "De set 'Leerfiches Lassen-Constructie duaal' heeft al een concept (versie 2). "
        "Publiceer of verwijder dat concept voor je een nieuwe versie importeert."
    ]
    assert _counts() == before


def test_import_into_a_set_of_another_opleiding_is_refused(demo_cast):
    leerfiche_set = _sector_version("elektromechanische-technieken").leerfiche_set
    before = _counts()
    with pytest.raises(interchange.InterchangeError) as raised:
        interchange.import_version(seed_data(LASSEN), owner=_sector(), into=leerfiche_set)
    assert "Lassen-Constructie duaal" in raised.value.messages[0]
    assert _counts() == before


def test_a_name_the_owner_already_uses_is_refused(demo_cast):
    before = _counts()
    with pytest.raises(interchange.InterchangeError) as raised:
        interchange.import_version(seed_data(LASSEN), owner=_sector())
    assert raised.value.messages[0].startswith(
        f"{SECTOR_BODY} heeft al een set met de naam 'Leerfiches Lassen-Constructie duaal'"
    )
    assert _counts() == before


# --- bad input ----------------------------------------------------------------------------


def _bad(mutate) -> dict:
    data = _renamed()
    mutate(data)
    return data


def _criterion(data, theme=1, fiche=1, index=2):
    return data["themes"][theme]["leerfiches"][fiche]["criteria"][index]


BAD_DOCUMENTS = {
    "missing criterion text": (
        lambda d: _criterion(d).pop("text"),
        "Thema 2 › leerfiche 'hoeklas-pb' › criterium 3: de tekst ontbreekt",
    ),
    "empty criterion text": (
        lambda d: _criterion(d).update(text=""),
        "Thema 2 › leerfiche 'hoeklas-pb' › criterium 3: de tekst ontbreekt",
    ),
    "missing set name": (
        lambda d: d["set"].pop("name"),
        "De set: de naam ontbreekt",
    ),
    "wrong type of themes": (
        lambda d: d.update(themes={"a": 1}),
        "De thema's: moet een lijst [ … ] zijn",
    ),
    "wrong type of a leerdoel": (
        lambda d: d["themes"][0]["leerfiches"][0]["leerdoelen"].__setitem__(0, 5),
        "Thema 1 › leerfiche 'plan-en-tekening-lezen' › leerdoel 1: moet een object { … } zijn",
    ),
    "unknown field": (
        lambda d: d["themes"][0].update(kleur="rood"),
        "Thema 1: onbekend veld 'kleur'",
    ),
    "bad key": (
        lambda d: d["themes"][0].update(key="Voor bereiden"),
        "Thema 1 › de sleutel: 'Voor bereiden' is geen geldige sleutel: gebruik kleine "
        "letters, cijfers en koppeltekens",
    ),
    "unknown metal": (
        lambda d: d["themes"][1]["leerfiches"][0]["opdracht"]["metals"].append("goud"),
        "Thema 2 › leerfiche 'geintegreerde-lasopdracht' › de opdracht › metaal 4: 'goud' is "
        "niet toegelaten (kies uit: staal, rvs, alu)",
    ),
    "duplicate theme key": (
        lambda d: d["themes"][1].update(key="voorbereiden"),
        "Thema 2: de sleutel 'voorbereiden' wordt al door een ander thema gebruikt",
    ),
    "duplicate leerfiche key": (
        lambda d: d["themes"][2]["leerfiches"][0].update(key="tig-lassen"),
        "Thema 3 › leerfiche 'tig-lassen': de sleutel 'tig-lassen' wordt al door een andere "
        "leerfiche van deze versie gebruikt",
    ),
    "duplicate criterion key": (
        lambda d: _criterion(d, index=1).update(key="testlas"),
        "Thema 2 › leerfiche 'hoeklas-pb' › criterium 2: de sleutel 'testlas' wordt al door "
        "een ander criterium van deze leerfiche gebruikt",
    ),
    "unknown opleiding": (
        lambda d: d["set"].update(opleiding="bakkerij"),
        "De set › de opleiding: onbekende opleiding 'bakkerij'",
    ),
    "not a leerfiche file": (
        lambda d: d.update(format="iets-anders"),
        'Dit is geen leerfichebestand: "format" moet "duaal-leerfiches" zijn.',
    ),
    "future format version": (
        lambda d: d.update(format_version=2),
        "Formaatversie 2 wordt niet ondersteund; deze installatie leest versie 1.",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_documents_are_refused_in_dutch_and_save_nothing(demo_cast, case):
    mutate, message = BAD_DOCUMENTS[case]
    data = _bad(mutate)
    assert message in interchange.validate(data), interchange.validate(data)
    before = (_counts(), AuditEntry.objects.count())
    with pytest.raises(interchange.InterchangeError) as raised:
        interchange.import_version(data, owner=_school_a())
    assert message in raised.value.messages
    assert (_counts(), AuditEntry.objects.count()) == before


BAD_BYTES = {
    "syntax": (b'{"format": "duaal-leerfiches",', "Het bestand is geen geldige JSON"),
    "invalid utf-8": (b'{"set": "\xff\xfe"}', "Het bestand is geen UTF-8-tekst"),
    "not an object": (b"[1, 2, 3]", "Het bestand moet één JSON-object { … } bevatten"),
    "oversized": (
        b'{"x": "' + b"a" * (2 * 1024 * 1024) + b'"}',
        "Het bestand is te groot (2,0 MB); maximaal 2 MB is toegelaten.",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_BYTES))
def test_unreadable_files_are_refused_in_dutch(case):
    raw, message = BAD_BYTES[case]
    with pytest.raises(interchange.InterchangeError) as raised:
        interchange.parse(raw)
    assert raised.value.messages[0].startswith(message), raised.value.messages


def test_parse_reads_utf8_with_a_bom_and_text():
    assert interchange.parse('\ufeff{"a": "é"}'.encode()) == {"a": "é"}
    assert interchange.parse('{"a": "é"}') == {"a": "é"}


def test_messages_never_show_a_huge_value(demo_cast):
    data = _renamed()
    data["themes"][0]["key"] = "X" * 5000
    messages = interchange.validate(data)
    assert messages and all(len(m) < 300 for m in messages)


# --- the views ------------------------------------------------------------------------------


def _upload(data: bytes | dict, name: str = "set.json") -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def test_export_view_downloads_the_json_of_a_published_version(demo_cast, client, login):
    login("mentor@daems.demo")  # a published version: readable by every organisation
    version = _sector_version()
    response = client.get(f"/leerfiches/versions/{version.public_id}/export.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="leerfiches-lassen-constructie-v1.json"'
    )
    assert json.loads(response.content) == seed_data(LASSEN)


def test_export_view_404s_for_a_draft_of_another_organisation(demo_cast, client, login):
    draft = versions.start_draft(leerfiche_set=_sector_version().leerfiche_set)
    url = f"/leerfiches/versions/{draft.public_id}/export.json"
    login("coord@sintjozef.demo")
    assert client.get(url).status_code == 404
    client.logout()
    login("consulent@sector.demo")  # a member of the owner
    assert client.get(url).status_code == 200


def test_students_read_no_version_through_the_export(demo_cast, client, login):
    login("leerling1@sintjozef.demo")
    url = f"/leerfiches/versions/{_sector_version().public_id}/export.json"
    assert client.get(url).status_code == 404


def test_upload_form_imports_a_new_set(demo_cast, client, login):
    login("coord@sintjozef.demo")
    response = client.get("/leerfiches/import/")
    assert response.status_code == 200
    assert "Leerfiches importeren" in response.content.decode()
    response = client.post(
        "/leerfiches/import/", {"owner": _school_a().pk, "file": _upload(_renamed())}
    )
    assert response.status_code == 302
    version = SetVersion.objects.get(leerfiche_set__owner=_school_a())
    assert (version.number, version.status, version.leerfiches.count()) == (1, "draft", 11)
    page = client.get(response["Location"]).content.decode()
    assert "als concept geïmporteerd" in page


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{niet json", "Het bestand is geen geldige JSON: regel 1, kolom 2."),
        (b"\xff\xfe\x00", "Het bestand is geen UTF-8-tekst"),
        (
            b"{}",  # not a leerfiche file
            "Dit is geen leerfichebestand",
        ),
    ],
)
def test_upload_form_lists_the_problems_and_saves_nothing(demo_cast, client, login, raw, message):
    login("coord@sintjozef.demo")
    before = _counts()
    response = client.post("/leerfiches/import/", {"owner": _school_a().pk, "file": _upload(raw)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page and "Het bestand werd niet geïmporteerd" in page
    assert message in page
    assert _counts() == before


def test_upload_form_lists_every_schema_problem(demo_cast, client, login):
    login("coord@sintjozef.demo")
    data = _renamed()
    _criterion(data).pop("text")
    data["set"]["opleiding"] = 7
    before = _counts()
    response = client.post("/leerfiches/import/", {"owner": _school_a().pk, "file": _upload(data)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "criterium 3: de tekst ontbreekt" in page
    assert "De set › de opleiding: moet een tekst zijn" in page
    assert _counts() == before


def test_upload_form_refuses_an_oversized_file_before_reading_it(demo_cast, client, login):
    login("coord@sintjozef.demo")
    raw = b" " * (interchange.MAX_BYTES + 1)
    response = client.post("/leerfiches/import/", {"owner": _school_a().pk, "file": _upload(raw)})
    assert response.status_code == 400
    assert "te groot" in response.content.decode()


def test_upload_form_offers_only_the_organisations_one_authors_for(demo_cast, client, login):
    login("coord@sintjozef.demo")
    before = _counts()
    response = client.post(
        "/leerfiches/import/", {"owner": _sector().pk, "file": _upload(_renamed())}
    )
    assert response.status_code == 400
    assert _counts() == before


@pytest.mark.parametrize(
    "email", ["lk@sintjozef.demo", "consulent@sector.demo", "coord@vandenberghe.demo"]
)
def test_upload_form_is_403_without_an_authoring_role(demo_cast, client, login, email):
    login(email)
    assert client.get("/leerfiches/import/").status_code == 403
    assert client.post("/leerfiches/import/", {}).status_code == 403


def test_upload_of_a_new_version_by_a_set_editor(demo_cast, client, login):
    leerfiche_set = _sector_version().leerfiche_set
    url = f"/leerfiches/sets/{leerfiche_set.public_id}/import/"
    login("consulent@sector.demo")
    assert client.get(url).status_code == 403  # a member, not an editor
    SetEditor.objects.create(leerfiche_set=leerfiche_set, user=demo_cast["consulent@sector.demo"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": _upload(seed_data(LASSEN))})
    assert response.status_code == 302
    assert versions.current_draft(leerfiche_set).number == 2
    # A second upload while that draft exists: refused, and said.
    before = _counts()
    response = client.post(url, {"file": _upload(seed_data(LASSEN))})
    assert response.status_code == 400
    assert "heeft al een concept (versie 2)" in response.content.decode()
    assert _counts() == before


def test_upload_of_a_new_version_is_404_for_who_cannot_read_the_set(demo_cast, client, login):
    leerfiche_set = _sector_version().leerfiche_set
    login("leerling1@sintjozef.demo")
    assert client.get(f"/leerfiches/sets/{leerfiche_set.public_id}/import/").status_code == 404


# --- the management commands ----------------------------------------------------------------


def test_commands_export_and_import(demo_cast, tmp_path):
    out = io.StringIO()
    call_command("export_leerfiches", str(_sector_version().public_id), stdout=out)
    assert json.loads(out.getvalue()) == seed_data(LASSEN)
    data = json.loads(out.getvalue())
    data["set"]["name"] = "Gedeelde set"
    path = tmp_path / "set.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command(
        "import_leerfiches",
        str(path),
        "--owner",
        str(_school_a().public_id),
        "--publish",
        stdout=io.StringIO(),
    )
    version = SetVersion.objects.get(leerfiche_set__name="Gedeelde set")
    assert version.is_published and version.leerfiche_set.owner == _school_a()


def test_import_command_prints_the_problems_and_saves_nothing(demo_cast, tmp_path):
    path = tmp_path / "set.json"
    data = _renamed()
    data["set"]["opleiding"] = "bakkerij"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = _counts()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_leerfiches", str(path), "--owner", _school_a().name, stderr=err)
    assert "onbekende opleiding 'bakkerij'" in err.getvalue()
    assert _counts() == before
