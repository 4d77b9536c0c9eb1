"""Belgian public holidays (wettelijke feestdagen), computed, not stored.

Only the ten legal public holidays are known here. Flemish school holidays are not: during
holidays a student may work full weeks at the company (DOMAIN.md), so which days change is a
matter of each placement's agreement, not of the calendar.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def belgian_public_holidays(year: int) -> dict[date, Promise]:
    """The ten Belgian legal public holidays of ``year``, by date, with a translatable name."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1): _("New Year's Day"),
        easter + timedelta(days=1): _("Easter Monday"),
        date(year, 5, 1): _("Labour Day"),
        easter + timedelta(days=39): _("Ascension Day"),
        easter + timedelta(days=50): _("Whit Monday"),
        date(year, 7, 21): _("Belgian National Day"),
        date(year, 8, 15): _("Assumption Day"),
        date(year, 11, 1): _("All Saints' Day"),
        date(year, 11, 11): _("Armistice Day"),
        date(year, 12, 25): _("Christmas Day"),
    }


def is_public_holiday(day: date) -> bool:
    return day in belgian_public_holidays(day.year)
