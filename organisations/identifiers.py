"""Belgian identifiers: normalise, validate and format (DOMAIN.md "Identifiers").

Each ``normalize_*`` function takes what a person typed (dots, spaces, dashes allowed) and returns
the bare digits, or raises ``ValidationError`` with a message that names the problem.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-/]")


def _digits(value: str, *, label: str) -> str:
    cleaned = _SEPARATORS.sub("", value or "")
    if cleaned.upper().startswith("BE"):
        cleaned = cleaned[2:]
    if not cleaned:
        raise ValidationError(_("Enter the %(label)s.") % {"label": label}, code="required")
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise ValidationError(
            _("The %(label)s may only contain digits (dots and spaces are allowed).")
            % {"label": label},
            code="not_digits",
        )
    return cleaned


def _mod97_ok(digits: str) -> bool:
    return 97 - (int(digits[:8]) % 97) == int(digits[8:])


def normalize_ondernemingsnummer(value: str) -> str:
    """KBO enterprise number → 10 digits; a 9-digit legacy number gets a leading 0."""
    label = _("enterprise number")
    digits = _digits(value, label=label)
    if len(digits) == 9:
        digits = "0" + digits
    if len(digits) != 10:
        raise ValidationError(
            _("An enterprise number has 10 digits; this one has %(count)d.")
            % {"count": len(digits)},
            code="length",
        )
    if digits[0] not in "01":
        raise ValidationError(_("An enterprise number starts with 0 or 1."), code="first_digit")
    if not _mod97_ok(digits):
        raise ValidationError(
            _(
                "The check digits of enterprise number %(number)s are wrong: check for a typing error."
            )
            % {"number": format_ondernemingsnummer(digits)},
            code="checksum",
        )
    return digits


def format_ondernemingsnummer(digits: str) -> str:
    """``0566988259`` → ``0566.988.259``."""
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else digits


def normalize_vestigingsnummer(value: str) -> str:
    """Establishment unit number → 10 digits starting with 2–8, with a valid mod-97 check."""
    label = _("establishment number")
    digits = _digits(value, label=label)
    if len(digits) != 10:
        raise ValidationError(
            _("An establishment number has 10 digits; this one has %(count)d.")
            % {"count": len(digits)},
            code="length",
        )
    if digits[0] not in "2345678":
        raise ValidationError(
            _("An establishment number starts with a digit from 2 to 8."), code="first_digit"
        )
    if not _mod97_ok(digits):
        raise ValidationError(
            _(
                "The check digits of establishment number %(number)s are wrong: check for a typing error."
            )
            % {"number": format_vestigingsnummer(digits)},
            code="checksum",
        )
    return digits


def format_vestigingsnummer(digits: str) -> str:
    """``2147812701`` → ``2.147.812.701``."""
    return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else digits


def normalize_instellingsnummer(value: str) -> str:
    """School institution number: digits only (the Flemish numbers have 5 or 6 digits)."""
    label = _("institution number")
    digits = _digits(value, label=label)
    if not 3 <= len(digits) <= 8:
        raise ValidationError(
            _("An institution number has 3 to 8 digits; this one has %(count)d.")
            % {"count": len(digits)},
            code="length",
        )
    return digits


def normalize_insz(value: str) -> str:
    """INSZ / national register number (incl. BIS) → 11 digits, check digits verified."""
    label = _("national number")
    digits = _digits(value, label=label)
    if len(digits) != 11:
        raise ValidationError(
            _("A national number has 11 digits; this one has %(count)d.") % {"count": len(digits)},
            code="length",
        )
    body, check = int(digits[:9]), int(digits[9:])
    # Born before 2000: check on the 9 digits; from 2000: on "2" followed by the 9 digits.
    if 97 - (body % 97) != check and 97 - ((2_000_000_000 + body) % 97) != check:
        raise ValidationError(
            _("The check digits of this national number are wrong: check for a typing error."),
            code="checksum",
        )
    return digits


def format_insz(digits: str) -> str:
    """``93051822361`` → ``93.05.18-223.61``."""
    if len(digits) != 11:
        return digits
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:]}"
