"""The two appendices of the brochure, item by item, in the seed files and in the seeded demo.

The brochure's text is transcribed here (CI runs in a clean clone, without the brochure):
appendix 1 "Leerfiche Smeren & Automatische smeersystemen" (Elektromechanische technieken
duaal) and appendix 2 "Leerfiche Geïntegreerde lasopdracht" (Lassen-Constructie duaal). Only
the PDF's extraction artefacts are repaired (broken hyphenation "detec-teren", glued words
"meettechniekendie", "op de te sporen", a missing space after a comma).
"""

from __future__ import annotations

import pytest

from learning import interchange
from learning.demo.catalogue import SECTOR_BODY, seed_data
from learning.models import Criterion, ItemKind, Leerfiche, LeerficheItem, SetVersion

HEADING_1 = "Smeren en automatische smeersystemen"

APPENDIX_1 = {
    "title": "Smeren & automatische smeersystemen",
    "intro_kennen": [
        "De leerling kent de werking van bedrijfsspecifieke machines en installaties, kent de "
        "machineonderdelen en beheerst materialenleer op voldoende wijze. Hij kan mechanisch "
        "tekeninglezen en kent de hersteltechnieken voor mechanisch onderhoud.",
        "Hij kent de hulpmiddelen en meetgereedschappen die gebruikt worden voor mechanisch "
        "onderhoud. Hij kent de meettechnieken die worden gebruikt in het kader van "
        "onderhoudswerkzaamheden.",
        "Hij kent de visuele en auditieve kenmerken van slijtage en defecten. Hij kan deze "
        "kennis toepassen in zijn vakgebied.",
        "Kennen = het verwerven van basiskennis al moet de focus liggen op toepassingsgerichte "
        "kennis. Het is belangrijk dat de leraar beschikt over de juiste didactische omkadering "
        "om deze kennis over te brengen.",
    ],
    "intro_kunnen": (
        "De leerling voert preventieve onderhoudsacties uit van mechanische installaties en "
        "machines. Hij gebruikt daarbij zijn zintuigen om afwijkingen op te sporen en "
        "meetinstrumenten om slijtage te detecteren. Hij houdt zich aan het onderhoudsplan en "
        "-richtlijnen. Hij stelt de machine of installatie veilig en beveiligt ze tegen "
        "ongecontroleerd herinschakelen. Hij maakt correct en veilig gebruik van handgereedschap "
        "en draagbaar elektrisch gereedschap."
    ),
    "leerdoelen": [
        "De leerling kent de soorten smeermiddelen (giftig, chemisch,…) en -methodes",
        "De leerling kan het doel van smeren duiden",
        "De leerling herkent de smeernippels en gebruikt ze om te smeren",
        "De leerling kan smeren aan de hand van een smeerplan",
        "De leerling kent de werking en het onderhoud van automatische smeersystemen",
        "De leerling voert de gebruikte smeermiddelen correct af",
        "De leerling vult smeermiddelen bij",
    ],
    "leerdoel_note": (
        "De soorten smeermiddelen kunnen sterk variëren per toepassing (bv. Voedingsindustrie). "
        "Het is belangrijk om leerlingen hiervan bewust te maken."
    ),
    "kennis_intro": (
        "Gezien de specifieke context van elk bedrijf, is het belangrijk dat de leraar op "
        "voorhand afstemt welke kennis en vaardigheden toegepast kunnen worden in het bedrijf "
        "waarmee de school samenwerkt. Dergelijke toepassingen kunnen dan (ook) op de werkvloer "
        "aangeleerd en/of gedemonstreerd worden."
    ),
    "kennis": [
        "Doel van smeren in functie van de toepassing en te smeren installatie(deel)",
        "Soorten smeermiddelen en -methodes",
        "Smeernippels herkennen en gebruiken",
        "Afvoeren van gebruikte smeermiddelen (indien van toepassing)",
        "Bijvullen van smeermiddelen",
        "De leerling smeert machines en installaties op school. Hij maakt daarbij gebruik van "
        "een smeerplan",
    ],
    "kennis_outro": (
        "Leraren bereiden leerlingen voor op het smeertechnisch onderhoud in een bedrijf. Ze "
        "informeren zich op voorhand over de gebruikte smeermiddelen, duiden het nut/doel van "
        "smeren."
    ),
    "oefen_intro": (
        "Leerlingen lopen mee met een aantal smeerders in het bedrijf en oefenen in de mate van "
        "het mogelijke volgende vaardigheden:"
    ),
    "oefen": [
        "Smeerplan lezen",
        "Smeernippels herkennen en gebruiken",
        "Afvoeren gebruikte smeermiddelen (indien van toepassing)",
        "Bijvullen van smeermiddelen",
    ],
    "criteria": [
        ("De leerling voert de smering uit volgens het smeerplan", "S"),
        ("De leerling voert de gebruikte smeermiddelen correct af", "S"),
    ],
}

APPENDIX_2 = {
    "title": "Geïntegreerde lasopdracht",
    "lasprocede": "Halfautomaat 131, 135, 136 en 138",
    "lasprocessen": ["131", "135", "136", "138"],
    "lasnaadvorm": "Hoeklas",
    "lasstand": "PA onder de hand",
    "doelstelling": "Een rechte, gelijkmatige, liggende las kunnen leggen",
    "stappenplan": [
        "Plan/tekening bestuderen, bij vragen informeer bij je mentor.",
        "Lasmethodebeschrijving (WPS) bestuderen, bij vragen informeer bij je mentor.",
        "Stukken nameten.",
        "Stukken ontbramen, ontvetten en proper maken.",
        "Maak indien nodig een lasnaadvoorbereiding.",
        "Aftekenen volgens tekening/plan.",
        "Lastoestel instellen en testlas uitvoeren.",
        "Onderdelen hechten volgens plan.",
        "Las zo constant mogelijk, constante voorloopbeweging en de juiste hoek aanhouden.",
        "Verwijder spatten.",
        "Controleer de las op fouten en gelijkmatigheid.",
        "Lasnaad vlakslijpen en of schuren zoals opgegeven.",
    ],
    "note": (
        "Nota: lasnaadvoorbereiding afhankelijk van de plaatdikte. Meer info: zie fiche "
        "voorbereiding en lasmethodebeschrijving (WPS)."
    ),
    "metals": ["staal", "rvs", "alu"],
    "measurements": ["beenhoogte", "keelhoogte"],
    "behaviours": [
        "Wisselt info uit met collega’s",
        "Leest en begrijpt het lasplan",
        "Verwijdert bramen",
        "Maakt de massa kabel vast",
        "Stelt de lasparameters in volgens lasmethode",
        "Bepaalt welke lasparameters bijgeregeld moeten worden",
        "Regelt lasparameters",
        "Bewerkt lasnaad na",
        "Herstelt fouten",
    ],
    # The brochure's "Oppervlakteporiën vlgs norm 2017": the words, and the ISO 6520-1 number.
    "criteria": [
        ("Voert een testlas uit", ""),
        ("Scheurvrij", "100"),
        ("Oppervlakteporiën", "2017"),
        ("Herstart", "517"),
        ("Volkomen vorm", "500"),
        ("Inkarteling", "5011 5012"),
        ("Keelhoogte", "5213"),
        ("Bolle hoeklas", "503"),
        ("Spatvrij", "602"),
        ("Slijpen", "606"),
    ],
}

SETS = {
    "lassen-constructie.json": {
        "name": "Leerfiches Lassen-Constructie duaal",
        "opleiding": "lassen-constructie",
        "themes": {
            "voorbereiden": ["plan-en-tekening-lezen", "lasnaadvoorbereiding"],
            "lassen": [
                "geintegreerde-lasopdracht",
                "hoeklas-pb",
                "stompe-las-pa",
                "elektrodelassen",
                "tig-lassen",
            ],
            "constructie": [
                "thermisch-snijden",
                "samenstellen-en-hechten",
                "visuele-lascontrole",
            ],
            "veiligheid": ["veilig-lassen"],
        },
    },
    "elektromechanische-technieken.json": {
        "name": "Leerfiches Elektromechanische technieken duaal",
        "opleiding": "elektromechanische-technieken",
        "themes": {
            "preventief-onderhoud": ["smeren", "conditiebewaking", "lagers", "aandrijvingen"],
            "elektrische-installaties": ["schemas-lezen", "motorsturingen", "elektrische-metingen"],
            "automatisatie": ["plc-basis", "pneumatiek-hydrauliek"],
            "veiligheid": ["veilig-stellen"],
        },
    },
}


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _fiche_json(filename: str, key: str) -> dict:
    data = seed_data(filename)
    return next(f for t in data["themes"] for f in t["leerfiches"] if f["key"] == key)


def _texts(entries: list) -> list[str]:
    return [e if isinstance(e, str) else e["text"] for e in entries]


# --- the seed files -------------------------------------------------------------------------


def test_appendix_1_in_the_seed_file_item_by_item():
    fiche = _fiche_json("elektromechanische-technieken.json", "smeren")
    expected = APPENDIX_1
    assert fiche["title"] == expected["title"]
    assert _paragraphs(fiche["intro_kennen"]) == expected["intro_kennen"]
    assert fiche["intro_kunnen"] == expected["intro_kunnen"]
    for index, (item, text) in enumerate(
        zip(fiche["leerdoelen"], expected["leerdoelen"], strict=True)
    ):
        assert item["text"] == text
        assert item["heading"] == HEADING_1
        assert item.get("note", "") == (expected["leerdoel_note"] if index == 0 else "")
    assert fiche["kennis_school"]["intro"] == expected["kennis_intro"]
    assert _texts(fiche["kennis_school"]["items"]) == expected["kennis"]
    assert fiche["kennis_school"]["outro"] == expected["kennis_outro"]
    assert fiche["oefencontexten"]["intro"] == expected["oefen_intro"]
    assert _texts(fiche["oefencontexten"]["items"]) == expected["oefen"]
    assert [(c["text"], c["code"]) for c in fiche["criteria"]] == expected["criteria"]
    assert {c["heading"] for c in fiche["criteria"]} == {HEADING_1}
    assert "opdracht" not in fiche


def test_appendix_2_in_the_seed_file_item_by_item():
    fiche = _fiche_json("lassen-constructie.json", "geintegreerde-lasopdracht")
    expected = APPENDIX_2
    opdracht = fiche["opdracht"]
    assert fiche["title"] == expected["title"]
    for field in ("lasprocede", "lasprocessen", "lasnaadvorm", "lasstand", "doelstelling"):
        assert opdracht[field] == expected[field], field
    assert opdracht["note"] == expected["note"]
    assert _texts(opdracht["stappenplan"]) == expected["stappenplan"]
    assert opdracht["metals"] == expected["metals"]
    assert _texts(opdracht["measurements"]) == expected["measurements"]
    assert _texts(opdracht["behaviours"]) == expected["behaviours"]
    assert [(c["text"], c["norm_reference"]) for c in fiche["criteria"]] == expected["criteria"]
    assert all(c["code"] == "" for c in fiche["criteria"])
    # The brochure has no leerdoelen list on this fiche: its doelstelling is the one leerdoel.
    assert _texts(fiche["leerdoelen"]) == [expected["doelstelling"]]


@pytest.mark.django_db
@pytest.mark.parametrize("filename", sorted(SETS))
def test_the_seed_files_validate_and_have_the_fixed_themes_and_keys(filename):
    data = seed_data(filename)
    assert interchange.validate(data) == []
    expected = SETS[filename]
    assert data["set"] == {"name": expected["name"], "opleiding": expected["opleiding"]}
    found = {t["key"]: [f["key"] for f in t["leerfiches"]] for t in data["themes"]}
    assert found == expected["themes"]
    assert list(found) == list(expected["themes"])  # in this order


@pytest.mark.parametrize("filename", sorted(SETS))
def test_every_seeded_leerfiche_is_complete_enough_to_evaluate(filename):
    for theme in seed_data(filename)["themes"]:
        for fiche in theme["leerfiches"]:
            assert len(fiche["criteria"]) >= 3 or fiche["key"] == "smeren", fiche["key"]
            assert len(fiche["leerdoelen"]) >= 1, fiche["key"]
            if fiche["key"] in {"smeren", "geintegreerde-lasopdracht"}:
                continue  # the brochure's, as they are
            assert fiche["intro_kennen"] and fiche["intro_kunnen"], fiche["key"]
            assert len(fiche["leerdoelen"]) >= 4, fiche["key"]
            assert fiche["kennis_school"]["items"] and fiche["oefencontexten"]["items"]
            texts = [c["text"] for c in fiche["criteria"]]
            assert len(set(texts)) == len(texts), fiche["key"]


def test_the_welding_fiches_carry_an_opdracht_with_iso_numbers():
    positions = {"PA", "PB", "PC", "PD", "PE", "PF", "PG"}
    processes = {"111", "131", "135", "136", "138", "141"}
    for key in ("hoeklas-pb", "stompe-las-pa", "elektrodelassen", "tig-lassen"):
        fiche = _fiche_json("lassen-constructie.json", key)
        opdracht = fiche["opdracht"]
        assert set(opdracht["lasprocessen"]) <= processes and opdracht["lasprocessen"], key
        assert set(opdracht["lasstand"].replace(",", " ").split()) & positions, key
        assert opdracht["lasnaadvorm"] and len(opdracht["stappenplan"]) >= 5, key
        assert opdracht["behaviours"], key
        assert sum(1 for c in fiche["criteria"] if c["norm_reference"]) >= 4, key
        assert any(c["code"] == "S" for c in fiche["criteria"]), key


def test_safety_criteria_are_marked():
    for filename in SETS:
        marked = [
            c
            for t in seed_data(filename)["themes"]
            for f in t["leerfiches"]
            for c in f["criteria"]
            if c["code"] == "S"
        ]
        assert len(marked) >= 10, filename


# --- the seeded demo ------------------------------------------------------------------------


def _demo_fiche(opleiding: str, key: str) -> Leerfiche:
    return Leerfiche.objects.get(
        key=key,
        version__leerfiche_set__owner__name=SECTOR_BODY,
        version__leerfiche_set__opleiding__code=opleiding,
        version__number=1,
    )


def _items(fiche: Leerfiche, kind: str) -> list[LeerficheItem]:
    return list(fiche.items.filter(kind=kind).order_by("order"))


def test_appendix_1_in_the_demo_item_by_item(demo_cast):
    fiche = _demo_fiche("elektromechanische-technieken", "smeren")
    expected = APPENDIX_1
    assert fiche.title == expected["title"]
    assert fiche.theme.key == "preventief-onderhoud"
    assert _paragraphs(fiche.intro_kennen) == expected["intro_kennen"]
    assert fiche.intro_kunnen == expected["intro_kunnen"]
    leerdoelen = _items(fiche, ItemKind.LEERDOEL)
    assert [i.text for i in leerdoelen] == expected["leerdoelen"]
    assert [i.note for i in leerdoelen] == [expected["leerdoel_note"]] + [""] * 6
    assert {i.heading for i in leerdoelen} == {HEADING_1}
    assert fiche.kennis_intro == expected["kennis_intro"]
    assert [i.text for i in _items(fiche, ItemKind.KENNIS)] == expected["kennis"]
    assert fiche.kennis_outro == expected["kennis_outro"]
    assert fiche.oefencontexten_intro == expected["oefen_intro"]
    assert [i.text for i in _items(fiche, ItemKind.OEFENCONTEXT)] == expected["oefen"]
    criteria = list(fiche.criteria.order_by("order"))
    assert [(c.text, c.code) for c in criteria] == expected["criteria"]
    assert not fiche.has_opdracht
    assert not fiche.items.filter(
        kind__in=[ItemKind.STEP, ItemKind.BEHAVIOUR, ItemKind.MEASUREMENT]
    ).exists()


def test_appendix_2_in_the_demo_item_by_item(demo_cast):
    fiche = _demo_fiche("lassen-constructie", "geintegreerde-lasopdracht")
    expected = APPENDIX_2
    assert fiche.title == expected["title"]
    assert fiche.theme.key == "lassen"
    assert fiche.has_opdracht
    assert fiche.lasprocede == expected["lasprocede"]
    assert fiche.lasprocessen == expected["lasprocessen"]
    assert fiche.lasnaadvorm == expected["lasnaadvorm"]
    assert fiche.lasstand == expected["lasstand"]
    assert fiche.doelstelling == expected["doelstelling"]
    assert fiche.opdracht_note == expected["note"]
    assert fiche.metals == expected["metals"]
    assert [i.text for i in _items(fiche, ItemKind.STEP)] == expected["stappenplan"]
    assert [i.order for i in _items(fiche, ItemKind.STEP)] == list(range(1, 13))
    assert [i.text for i in _items(fiche, ItemKind.MEASUREMENT)] == expected["measurements"]
    assert [i.text for i in _items(fiche, ItemKind.BEHAVIOUR)] == expected["behaviours"]
    criteria = list(fiche.criteria.order_by("order"))
    assert [(c.text, c.norm_reference) for c in criteria] == expected["criteria"]
    # A renderer shows "Oppervlakteporiën vlgs norm 2017".
    assert f"{criteria[2].text} vlgs norm {criteria[2].norm_reference}" == (
        "Oppervlakteporiën vlgs norm 2017"
    )


def test_the_demo_sets_are_published_with_the_counts_of_the_toc(demo_cast):
    versions = SetVersion.objects.filter(leerfiche_set__owner__name=SECTOR_BODY)
    assert {(v.leerfiche_set.opleiding.code, v.number, v.status) for v in versions} == {
        ("lassen-constructie", 1, "published"),
        ("elektromechanische-technieken", 1, "published"),
    }
    counts = {v.leerfiche_set.opleiding.code: v.leerfiches.count() for v in versions}
    assert counts == {"lassen-constructie": 11, "elektromechanische-technieken": 10}
    for version in versions:
        assert version.published_by is None  # no personal data in the demo's versions
        fiches = version.leerfiches.all()
        assert all(f.criteria.count() >= 2 for f in fiches)
        assert not Criterion.objects.filter(leerfiche__version=version, text="").exists()


def test_the_demo_equals_its_seed_files(demo_cast):
    for filename, expected in SETS.items():
        version = SetVersion.objects.get(
            leerfiche_set__owner__name=SECTOR_BODY,
            leerfiche_set__opleiding__code=expected["opleiding"],
        )
        assert interchange.export_version(version) == seed_data(filename)


# How appendix 2 prints its evaluation criteria, line by line: "vlgs norm" before most numbers,
# not after the "…vrij" criteria.
APPENDIX_2_PRINTED = [
    "Voert een testlas uit",
    "Scheurvrij 100",
    "Oppervlakteporiën vlgs norm 2017",
    "Herstart vlgs norm 517",
    "Volkomen vorm vlgs norm 500",
    "Inkarteling vlgs norm 5011 5012",
    "Keelhoogte vlgs norm 5213",
    "Bolle hoeklas vlgs norm 503",
    "Spatvrij 602",
    "Slijpen vlgs norm 606",
]


def _criterion_lines(html: str, marker: str = 'data-testid="criterion"') -> list[str]:
    """The text of every ``<li … data-testid="criterion">`` of a page, tags removed."""
    import re
    from html import unescape

    items = re.findall(rf"<li[^>]*{marker}[^>]*>(.*?)</li>", html, flags=re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in items]


def test_appendix_2_criteria_print_as_the_brochure(client, login, demo_cast):
    login("mentor@vandenberghe.demo")
    fiche = _demo_fiche("lassen-constructie", "geintegreerde-lasopdracht")
    html = client.get(f"/leerfiches/fiches/{fiche.public_id}/").content.decode()
    assert _criterion_lines(html) == APPENDIX_2_PRINTED
    # The traject's page of the same leerfiche (the student's), and the PDF's markup.
    from django.template.loader import render_to_string

    from learning.selectors.catalogue import with_content

    with_content([fiche])
    pdf_html = render_to_string(
        "pdf/leerfiche.html", {"leerfiche": fiche, "version": fiche.version}
    )
    assert _criterion_lines(pdf_html) == APPENDIX_2_PRINTED


def test_the_bedrijfsfiche_carries_the_criteria_as_the_brochure_prints_them(
    client, login, demo_cast
):
    """Vandenberghe's published bedrijfsfiche is the lasopdracht of appendix 2."""
    from learning.models import BedrijfsficheVersion

    version = BedrijfsficheVersion.objects.get(
        bedrijfsfiche__leerfiche_key="geintegreerde-lasopdracht", status="published"
    )
    login("mentor@vandenberghe.demo")
    html = client.get(f"/bedrijfsfiches/{version.public_id}/").content.decode()
    assert _criterion_lines(html) == APPENDIX_2_PRINTED


@pytest.mark.parametrize(
    "text, reference, printed",
    [
        ("Oppervlakteporiën", "2017", "vlgs norm 2017"),
        ("Oppervlakteporiën vlgs norm", "2017", "2017"),  # the editor wrote the words
        ("Scheurvrij", "100", "100"),
        ("De hechtlassen zijn kort, vlak en scheurvrij.", "100", "100"),
        ("Geen oppervlakteporiën", "2017", "vlgs norm 2017"),
        ("Vrij van spatten", "602", "vlgs norm 602"),  # "vrij" alone is no "…vrij" adjective
        ("Voert een testlas uit", "", ""),
    ],
)
def test_the_norm_label(text, reference, printed):
    from django.utils import translation

    from learning.templatetags.leerfiches import norm_label

    with translation.override("nl-be"):
        assert norm_label(Criterion(text=text, norm_reference=reference)) == printed


def test_the_norm_words_are_translated():
    from django.utils import translation

    from learning.templatetags.leerfiches import norm_label

    criterion = Criterion(text="Oppervlakteporiën", norm_reference="2017")
    with translation.override("en"):
        assert norm_label(criterion) == "as per standard 2017"
