"""Appendix 3 "Evaluatie van soft skills", item by item, against ``evaluation.skills``.

The brochure's text is transcribed here (CI runs in a clean clone, without the brochure): the
list of the three groups with their items and indicators ("o.a.:" lists; the closing comma or
full stop of each indicator is the list's punctuation, not part of the text) and the rating
grid that follows it, where some items carry a longer label ("Voorkomen (kleding, hygiëne,
houding, …)"). Leerbereidheid splits its items into "Basis" and "Uitbreiding"; the grid marks
the one item of "Uitbreiding" with a * and the note "* Deze items overstijgen de
basisverwachtingen". Only PDF extraction artefacts are repaired (lines broken inside an
indicator, "wel/ niet").
"""

from __future__ import annotations

from evaluation.skills import GROUP_OF, GROUPS, GROUPS_BY_KEY, SKILLS, WEEKLY_SKILLS

# (group title as the grid's heading prints it, [(item as the list prints it, [indicators])])
APPENDIX_3_LIST = [
    (
        "RESPECTVOL HANDELEN",
        [
            ("Voorkomen", ["kleding", "houding", "hygiëne"]),
            (
                "Stiptheid",
                [
                    "op tijd komen",
                    "administratie op tijd inleveren",
                    "deadlines respecteren",
                    "werkuren respecteren",
                ],
            ),
            (
                "Werken in teamverband",
                [
                    "anderen helpen",
                    "op een positieve manier samenwerken",
                    "informatie uitwisselen",
                    "efficiënt samenwerken",
                    "aanwijzingen opvolgen",
                    "geeft aandachtspunten mee aan de collega’s",
                    "rapporteren volgens afspraken",
                ],
            ),
            (
                "Afspraken naleven",
                [
                    "Rond ziekte en afwezigheid (bv. doktersbriefjes, verwittigen bij ziekte)",
                    "gemaakte afspraken in het team",
                ],
            ),
            (
                "Gepast communiceren",
                [
                    "Reageert beleefd en respectvol, past taalgebruik aan situatie aan (bv. "
                    "t.o.v. mentor, meerdere, medeleerling, …)",
                    "Positief, niet aanvallend",
                    "Vraagt verduidelijking als hij of zij iets niet begrijpt (durft vragen "
                    "stellen!)",
                    "Toetst af of hij of zij de boodschap goed begrepen heeft",
                ],
            ),
        ],
    ),
    (
        "PROFESSIONEEL HANDELEN",
        [
            (
                "Resultaatsgericht werken",
                [
                    "Denkt na vooraleer hij of zij aan een taak begint",
                    "Weet wat het resultaat moet zijn en wat er verwacht wordt",
                    "Blijft werken tot de taak afgewerkt is",
                    "Heeft een goed werktempo (aangepast aan zijn of haar niveau)",
                ],
            ),
            ("Doorzettingsvermogen", ["Werkt ook opdrachten af die hij of zij niet leuk vindt"]),
            (
                "Respect voor materiaal",
                [
                    "Ordelijk werken",
                    "Beschermt de ondergrond waarop wordt gewerkt",
                    "Opruimen, reinigen",
                ],
            ),
            (
                "Veiligheid & milieu",
                [
                    "Verspilt geen materiaal",
                    "Gebruikt PBM’s en CBM’s correct",
                    "Komt afspraken in verband met veiligheid na",
                    "Sorteert afval",
                    "Werkt ergonomisch",
                ],
            ),
            (
                "Kan zelfstandig werken/zelfredzaamheid",
                [
                    "Kan zelfstandig reeds aangeleerde taken correct uitvoeren",
                    "Bepaalt de eigen werkvolgorde en stuurt bij na overleg",
                ],
            ),
        ],
    ),
    (
        "LEERBEREIDHEID",
        [
            ("Inzet tonen", ["Toont motivatie en leergierigheid"]),
            (
                "Initiatief nemen",
                [
                    "Gaat spontaan op zoek naar nieuwe opdrachten, ‘ziet’ leermogelijkheden",
                    "Vraagt spontaan feedback, tips, raad, …",
                ],
            ),
            (
                "Zelfreflectie",
                [
                    "Controleert zijn werk kritisch",
                    "Denkt na over oorzaken waarom zijn/haar opdracht wel/niet ok is en over "
                    "wat en hoe het beter kan in de toekomst",
                ],
            ),
            (
                "Positief omgaan met feedback",
                [
                    "Aanvaardt feedback",
                    "Reageert positief op feedback, feedback als leerkans zien, …",
                ],
            ),
            (
                "Aanpassingsvermogen & flexibiliteit",
                ["Stelt zich flexibel op naar uren, opdrachten, situaties, locaties, …"],
            ),
            (
                "Probleemoplossend vermogen",
                [
                    "Stelt andere opties (alternatieven) voor wanneer plan A niet werkt",
                    "Doet creatieve voorstellen",
                ],
            ),
        ],
    ),
]

# The rating grid: the rows of each group's table as printed (the list's order).
APPENDIX_3_GRID = {
    "RESPECTVOL HANDELEN": [
        "Voorkomen (kleding, hygiëne, houding, …)",
        "Stiptheid",
        "Werken in teamverband",
        "Afspraken naleven (ziekte, afwezigheid, …)",
        "Gepast communiceren",
    ],
    "PROFESSIONEEL HANDELEN": [
        "Resultaatsgericht werken",
        "Doorzettingsvermogen",
        "Respect voor materiaal",
        "Veiligheid & milieu",
        "Kan zelfstandig werken/zelfredzaamheid",
    ],
    "LEERBEREIDHEID": [
        "Inzet tonen",
        "Initiatief nemen",
        "Zelfreflectie (waarom is mijn werk niet ok?)",
        "Positief omgaan met feedback",
        "Aanpassingsvermogen & flexibiliteit",
        "Probleemoplossend vermogen*",
    ],
}
# The grid's columns, each split LL / M / LK, and the sheet's fixed lines.
APPENDIX_3_COLUMNS = ["VOLDOET NOG NIET", "VOLDOET", "BOVEN VERWACHTING"]
APPENDIX_3_EVALUATORS = ["LL", "M", "LK"]
APPENDIX_3_AGREEMENTS = "Maak afspraken om werkpunten te verbeteren:"
APPENDIX_3_NOTE = "* Deze items overstijgen de basisverwachtingen"
LEERBEREIDHEID_BASIS = [
    "Inzet tonen",
    "Initiatief nemen",
    "Zelfreflectie",
    "Positief omgaan met feedback",
    "Aanpassingsvermogen & flexibiliteit",
]
LEERBEREIDHEID_UITBREIDING = ["Probleemoplossend vermogen"]


def test_three_groups_in_the_brochures_order():
    assert [(g.number, g.title.upper()) for g in GROUPS] == [
        (1, "RESPECTVOL HANDELEN"),
        (2, "PROFESSIONEEL HANDELEN"),
        (3, "LEERBEREIDHEID"),
    ]
    assert [title for title, _items in APPENDIX_3_LIST] == list(APPENDIX_3_GRID)


def test_every_group_has_exactly_its_items_and_indicators_as_printed():
    for group, (title, items) in zip(GROUPS, APPENDIX_3_LIST, strict=True):
        assert group.title.upper() == title
        assert [(s.name, list(s.indicators)) for s in group.skills] == items, title


def test_the_grid_labels_are_the_printed_rows():
    for group in GROUPS:
        assert [s.label for s in group.skills] == APPENDIX_3_GRID[group.title.upper()]


def test_leerbereidheid_splits_basis_and_uitbreiding_and_marks_the_star():
    leerbereidheid = GROUPS_BY_KEY["leerbereidheid"]
    assert leerbereidheid.split_basic
    assert [s.name for s in leerbereidheid.skills if not s.above_basic] == LEERBEREIDHEID_BASIS
    assert [s.name for s in leerbereidheid.skills if s.above_basic] == LEERBEREIDHEID_UITBREIDING
    starred = [s for s in SKILLS.values() if s.label.endswith("*")]
    assert [s.label for s in starred] == ["Probleemoplossend vermogen*"]
    assert [s.key for s in SKILLS.values() if s.above_basic] == [s.key for s in starred]
    # Only Leerbereidheid has the split; no other group has an item above the basics.
    assert [g.key for g in GROUPS if g.split_basic] == ["leerbereidheid"]


def test_keys_are_unique_and_point_back_to_their_group():
    assert len(SKILLS) == sum(len(items) for _title, items in APPENDIX_3_LIST) == 16
    assert all(GROUP_OF[key].skills.count(skill) == 1 for key, skill in SKILLS.items())
    assert set(WEEKLY_SKILLS) <= set(SKILLS)


def test_the_sheet_layout_constants_as_printed():
    from evaluation import skills

    assert list(skills.RATING_COLUMNS) == APPENDIX_3_COLUMNS
    assert list(skills.SHEET_EVALUATORS) == APPENDIX_3_EVALUATORS
    assert skills.AGREEMENTS_LINE == APPENDIX_3_AGREEMENTS
    assert skills.ABOVE_BASIC_NOTE == APPENDIX_3_NOTE
