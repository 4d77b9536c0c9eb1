"""Demo data of learning: bedrijfsfiches (registered with ``duaal.demo``; see
learning/demo/__init__.py).

Metaalbouw Vandenberghe translates two leerfiches of the set A1 adopted into bedrijfsfiches,
written by its mentor and the leerkracht duaal: ``geintegreerde-lasopdracht`` (published,
with a photo drawn here with Pillow) and ``veilig-lassen`` (a draft). Without an adopted plan
for A1 (the plans' part of the demo has not run) this part does nothing.
"""

from __future__ import annotations

import io

from duaal import demo
from learning.demo import catalogue as _catalogue  # noqa: F401 - registered before this part
from learning.demo import plans as _plans  # noqa: F401 - registered before this part

A1 = ("Lassen-Constructie duaal", "Technisch Instituut Sint-Jozef")
COMPANY = "Metaalbouw Vandenberghe"
MENTOR = "mentor@vandenberghe.demo"
TEACHER = "lk@sintjozef.demo"

LASOPDRACHT = {
    "timing": "Trimester 1, weken 4–8: elke bedrijfsdag een sessie van 2 uur aan de laspost.",
    "materiaal": (
        "Halfautomaat (MAG 135) op laspost 3\n"
        "Plaatstaal S235, 8 mm, stukken 150 × 50 mm\n"
        "Massieve draad G3Si1 Ø 1,0 mm, beschermgas M21 (Ar/CO₂)\n"
        "Lasmeter voor beenhoogte en keelhoogte, staalborstel, bikhamer"
    ),
    "instructies": (
        "Lees eerst de WPS aan de laspost en stel de machine in zoals ze aangeeft.\n"
        "Leg een testlas op een afvalstuk en laat ze nakijken door je mentor voor je aan het "
        "werkstuk begint.\n"
        "Las de hoeklas PA onder de hand in één rups; meet daarna beenhoogte en keelhoogte en "
        "noteer ze op je fiche."
    ),
    "veiligheid": (
        "Lashelm met automatisch filter (DIN 9–13), lashandschoenen, vlamvertragende "
        "werkkleding en veiligheidsschoenen.\n"
        "Afzuiging aan de laspost aanzetten vóór je begint.\n"
        "Lasgordijn dicht; niemand zonder bescherming in de zone."
    ),
    "werkvorm": "stappenplan",
    "werkvorm_steps": (
        "WPS lezen en machine instellen\n"
        "Werkstukken reinigen en aftekenen\n"
        "Hechten en haaksheid controleren\n"
        "Testlas leggen en laten nakijken\n"
        "Hoeklas lassen in positie PA\n"
        "Slak en spatten verwijderen\n"
        "Beenhoogte en keelhoogte meten\n"
        "Visuele controle samen met de mentor"
    ),
}
VEILIG_LASSEN = {
    "timing": "Eerste bedrijfsdag, bij het onthaal (1 uur), en herhaald na elke vakantie.",
    "materiaal": "Persoonlijke beschermingsmiddelen uit de kast bij het magazijn; brandblusser.",
    "instructies": "Rondgang langs de lasposten met de preventieadviseur.",
    "veiligheid": "",
    "werkvorm": "kijkwijzer",
    "werkvorm_steps": (
        "Staat de afzuiging aan en boven de lasplaats?\n"
        "Liggen er brandbare materialen binnen 10 meter?\n"
        "Draag ik alle PBM die op de werkpostfiche staan?"
    ),
}


def demo_photo() -> bytes:
    """A simple drawing of a fillet weld on two plates (PNG), made here: no external file."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 800), (226, 232, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((150, 500, 1050, 600), fill=(120, 128, 140), outline=(60, 64, 70), width=4)
    draw.rectangle((560, 180, 640, 500), fill=(140, 148, 160), outline=(60, 64, 70), width=4)
    # The weld bead in the corner, and the blue arrow of the welding direction.
    draw.polygon([(520, 500), (560, 460), (560, 500)], fill=(180, 110, 40))
    draw.polygon([(640, 460), (680, 500), (640, 500)], fill=(180, 110, 40))
    draw.line((200, 700, 1000, 700), fill=(29, 78, 216), width=10)
    draw.polygon([(1000, 680), (1040, 700), (1000, 720)], fill=(29, 78, 216))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _after() -> tuple[str, ...]:
    """After the plans' part of the demo when it is registered (it adopts the sets)."""
    keys = ("learning.plans", "learning.catalogue")
    return ("partnerships.partnerships", *(k for k in keys if k in demo.contributions))


@demo.register("learning.bedrijfsfiches", after=_after())
def bedrijfsfiches(*, password: str) -> demo.DemoReport | None:
    return seed_bedrijfsfiches()


def seed_bedrijfsfiches() -> demo.DemoReport | None:
    """Vandenberghe's two bedrijfsfiches in A1 (idempotent); None when A1 adopted no plan."""
    from accounts.models import User
    from learning.models import Bedrijfsfiche, Leerfiche
    from learning.services import bedrijfsfiches as services
    from partnerships.models import Partnership, PartnershipCompany

    partnership = Partnership.objects.filter(name=A1[0], school__name=A1[1]).first()
    if partnership is None:
        return None
    set_version = services.adopted_version(partnership=partnership)
    if set_version is None:
        return None
    link = (
        PartnershipCompany.objects.filter(partnership=partnership, company__name=COMPANY)
        .select_related("vestiging")
        .first()
    )
    if link is None:
        return None
    mentor = User.objects.get(email=MENTOR)
    teacher = User.objects.get(email=TEACHER)
    made = 0
    for key, content, publish in (
        ("geintegreerde-lasopdracht", LASOPDRACHT, True),
        ("veilig-lassen", VEILIG_LASSEN, False),
    ):
        if Bedrijfsfiche.objects.filter(
            partnership=partnership, vestiging=link.vestiging, leerfiche_key=key
        ).exists():
            continue
        leerfiche = Leerfiche.objects.filter(version=set_version, key=key).first()
        if leerfiche is None:
            continue
        # The leerkracht starts it, the mentor writes the workplace's part (and publishes).
        version = services.create(
            actor=teacher, partnership=partnership, vestiging=link.vestiging, leerfiche=leerfiche
        )
        version = services.update(actor=mentor, version=version, **content)
        if publish:
            services.photo_add(
                actor=mentor,
                version=version,
                upload=demo_photo(),
                caption="Hoeklas PA: de rups ligt in de hoek van beide platen.",
            )
            services.publish(actor=mentor, version=version)
        made += 1
    return demo.DemoReport(summary=f"{made} bedrijfsfiche(s) for {COMPANY} in A1")
