from __future__ import annotations

from datetime import date

import pytest

from agenda.holidays import belgian_public_holidays, easter_sunday, is_public_holiday


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2000, date(2000, 4, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),  # earliest possible
        (1943, date(1943, 4, 25)),  # latest possible
    ],
)
def test_easter_sunday(year, expected):
    assert easter_sunday(year) == expected


def test_belgian_public_holidays_2026():
    assert sorted(belgian_public_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),
        date(2026, 5, 14),  # Ascension
        date(2026, 5, 25),  # Whit Monday
        date(2026, 7, 21),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]


def test_is_public_holiday():
    assert is_public_holiday(date(2025, 11, 11))
    assert is_public_holiday(date(2025, 6, 9))  # Whit Monday 2025
    assert not is_public_holiday(date(2025, 11, 12))
