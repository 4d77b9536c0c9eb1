"""The soft skills of appendix 3 ("Evaluatie van soft skills"): three groups, their items and
each item's indicators, word for word as the brochure prints them.

This is reference data, not a table: every partnership evaluates the same sheet, and the keys
are what ratings, werkpunten and the weekly behaviour check store. The Dutch text is the
brochure's own (domain words, shown as printed); the group and item labels are not translated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skill:
    key: str
    label: str  # the item as the sheet's rating grid prints it
    name: str  # the item as the list above the grid prints it
    indicators: tuple[str, ...]
    # "Uitbreiding": the items marked * on the sheet go beyond the basic expectations.
    above_basic: bool = False


@dataclass(frozen=True)
class SkillGroup:
    key: str
    number: int
    title: str
    skills: tuple[Skill, ...]
    # Leerbereidheid splits its items into "Basis" and "Uitbreiding".
    split_basic: bool = False


GROUPS: tuple[SkillGroup, ...] = (
    SkillGroup(
        "respectvol-handelen",
        1,
        "Respectvol handelen",
        (
            Skill(
                "voorkomen",
                "Voorkomen (kleding, hygiëne, houding, …)",
                "Voorkomen",
                ("kleding", "houding", "hygiëne"),
            ),
            Skill(
                "stiptheid",
                "Stiptheid",
                "Stiptheid",
                (
                    "op tijd komen",
                    "administratie op tijd inleveren",
                    "deadlines respecteren",
                    "werkuren respecteren",
                ),
            ),
            Skill(
                "werken-in-teamverband",
                "Werken in teamverband",
                "Werken in teamverband",
                (
                    "anderen helpen",
                    "op een positieve manier samenwerken",
                    "informatie uitwisselen",
                    "efficiënt samenwerken",
                    "aanwijzingen opvolgen",
                    "geeft aandachtspunten mee aan de collega’s",
                    "rapporteren volgens afspraken",
                ),
            ),
            Skill(
                "afspraken-naleven",
                "Afspraken naleven (ziekte, afwezigheid, …)",
                "Afspraken naleven",
                (
                    "Rond ziekte en afwezigheid (bv. doktersbriefjes, verwittigen bij ziekte)",
                    "gemaakte afspraken in het team",
                ),
            ),
            Skill(
                "gepast-communiceren",
                "Gepast communiceren",
                "Gepast communiceren",
                (
                    "Reageert beleefd en respectvol, past taalgebruik aan situatie aan "
                    "(bv. t.o.v. mentor, meerdere, medeleerling, …)",
                    "Positief, niet aanvallend",
                    "Vraagt verduidelijking als hij of zij iets niet begrijpt "
                    "(durft vragen stellen!)",
                    "Toetst af of hij of zij de boodschap goed begrepen heeft",
                ),
            ),
        ),
    ),
    SkillGroup(
        "professioneel-handelen",
        2,
        "Professioneel handelen",
        (
            Skill(
                "resultaatsgericht-werken",
                "Resultaatsgericht werken",
                "Resultaatsgericht werken",
                (
                    "Denkt na vooraleer hij of zij aan een taak begint",
                    "Weet wat het resultaat moet zijn en wat er verwacht wordt",
                    "Blijft werken tot de taak afgewerkt is",
                    "Heeft een goed werktempo (aangepast aan zijn of haar niveau)",
                ),
            ),
            Skill(
                "doorzettingsvermogen",
                "Doorzettingsvermogen",
                "Doorzettingsvermogen",
                ("Werkt ook opdrachten af die hij of zij niet leuk vindt",),
            ),
            Skill(
                "respect-voor-materiaal",
                "Respect voor materiaal",
                "Respect voor materiaal",
                (
                    "Ordelijk werken",
                    "Beschermt de ondergrond waarop wordt gewerkt",
                    "Opruimen, reinigen",
                ),
            ),
            Skill(
                "veiligheid-milieu",
                "Veiligheid & milieu",
                "Veiligheid & milieu",
                (
                    "Verspilt geen materiaal",
                    "Gebruikt PBM’s en CBM’s correct",
                    "Komt afspraken in verband met veiligheid na",
                    "Sorteert afval",
                    "Werkt ergonomisch",
                ),
            ),
            Skill(
                "zelfstandig-werken",
                "Kan zelfstandig werken/zelfredzaamheid",
                "Kan zelfstandig werken/zelfredzaamheid",
                (
                    "Kan zelfstandig reeds aangeleerde taken correct uitvoeren",
                    "Bepaalt de eigen werkvolgorde en stuurt bij na overleg",
                ),
            ),
        ),
    ),
    SkillGroup(
        "leerbereidheid",
        3,
        "Leerbereidheid",
        (
            Skill(
                "inzet-tonen",
                "Inzet tonen",
                "Inzet tonen",
                ("Toont motivatie en leergierigheid",),
            ),
            Skill(
                "initiatief-nemen",
                "Initiatief nemen",
                "Initiatief nemen",
                (
                    "Gaat spontaan op zoek naar nieuwe opdrachten, ‘ziet’ leermogelijkheden",
                    "Vraagt spontaan feedback, tips, raad, …",
                ),
            ),
            Skill(
                "zelfreflectie",
                "Zelfreflectie (waarom is mijn werk niet ok?)",
                "Zelfreflectie",
                (
                    "Controleert zijn werk kritisch",
                    "Denkt na over oorzaken waarom zijn/haar opdracht wel/niet ok is en over "
                    "wat en hoe het beter kan in de toekomst",
                ),
            ),
            Skill(
                "omgaan-met-feedback",
                "Positief omgaan met feedback",
                "Positief omgaan met feedback",
                (
                    "Aanvaardt feedback",
                    "Reageert positief op feedback, feedback als leerkans zien, …",
                ),
            ),
            Skill(
                "aanpassingsvermogen",
                "Aanpassingsvermogen & flexibiliteit",
                "Aanpassingsvermogen & flexibiliteit",
                ("Stelt zich flexibel op naar uren, opdrachten, situaties, locaties, …",),
            ),
            Skill(
                "probleemoplossend-vermogen",
                "Probleemoplossend vermogen*",
                "Probleemoplossend vermogen",
                (
                    "Stelt andere opties (alternatieven) voor wanneer plan A niet werkt",
                    "Doet creatieve voorstellen",
                ),
                above_basic=True,
            ),
        ),
        split_basic=True,
    ),
)

SKILLS: dict[str, Skill] = {skill.key: skill for group in GROUPS for skill in group.skills}
GROUP_OF: dict[str, SkillGroup] = {skill.key: group for group in GROUPS for skill in group.skills}
GROUPS_BY_KEY: dict[str, SkillGroup] = {group.key: group for group in GROUPS}

# The short behaviour check of the mentor's weekly check-in (not the full sheet, which is
# rated once per evaluation period): the items a mentor sees every day on the floor.
WEEKLY_SKILLS: tuple[str, ...] = ("stiptheid", "veiligheid-milieu", "inzet-tonen")

# The rating grid of the sheet as printed: its three columns (each split LL / M / LK), the
# line that ends each group, the note of the * items and Leerbereidheid's two headings. The
# first of each rating pair is the stored ``evaluation.models.Rating`` value.
SHEET_RATINGS: tuple[tuple[str, str], ...] = (
    ("not_yet", "VOLDOET NOG NIET"),
    ("meets", "VOLDOET"),
    ("above", "BOVEN VERWACHTING"),
)
RATING_COLUMNS: tuple[str, ...] = tuple(label for _value, label in SHEET_RATINGS)
SHEET_EVALUATORS: tuple[str, ...] = ("LL", "M", "LK")
AGREEMENTS_LINE = "Maak afspraken om werkpunten te verbeteren:"
ABOVE_BASIC_NOTE = "* Deze items overstijgen de basisverwachtingen"
BASIC_HEADING = "Basis"
ABOVE_BASIC_HEADING = "Uitbreiding"
