"""Belgian postcodes with coordinates, and the distance between two of them.

The data ships with the code (``recognition/data/be_postcodes.csv``, ODbL v1.0 — source and
attribution in ``recognition/data/README.md``): one row per postcode with its coordinates and
province. Read once per process. The distance is the great-circle distance (haversine) between
the two postcodes' points: good enough to sort companies by how far they are, not a route.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data" / "be_postcodes.csv"
EARTH_RADIUS_KM = 6371.0088
POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}$")

PROVINCES = {
    "VAN": _("Antwerp"),
    "VLI": _("Limburg"),
    "VOV": _("East Flanders"),
    "VBR": _("Flemish Brabant"),
    "VWV": _("West Flanders"),
    "BRU": _("Brussels"),
    "WBR": _("Walloon Brabant"),
    "WHT": _("Hainaut"),
    "WLG": _("Liège"),
    "WLX": _("Luxembourg"),
    "WNA": _("Namur"),
}


@dataclass(frozen=True)
class Place:
    postcode: str
    latitude: float
    longitude: float
    province: str  # a key of PROVINCES
    locality: str

    @property
    def province_label(self) -> str:
        return str(PROVINCES.get(self.province, self.province))


@cache
def places() -> dict[str, Place]:
    """{postcode: Place} of every Belgian postcode in the dataset."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {
            row["postcode"]: Place(
                row["postcode"],
                float(row["latitude"]),
                float(row["longitude"]),
                row["province"],
                row["locality"],
            )
            for row in csv.DictReader(handle)
        }


def normalize(value: str | None) -> str:
    """The postcode as 4 digits ("B-3600 " → "3600"), or "" when it does not look like one."""
    text = (value or "").strip().upper().removeprefix("B-").removeprefix("BE-").strip()
    return text if POSTCODE_RE.match(text) else ""


def place(postcode: str | None) -> Place | None:
    return places().get(normalize(postcode))


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance in km between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(origin: str | None, destination: str | None) -> float | None:
    """The distance between two postcodes in km, or None when one of them is unknown."""
    start, end = place(origin), place(destination)
    if start is None or end is None:
        return None
    return haversine_km((start.latitude, start.longitude), (end.latitude, end.longitude))
