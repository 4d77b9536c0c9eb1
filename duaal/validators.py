"""Validators shared by the apps."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters (line breaks and tabs included), DEL, and the Unicode line and
# paragraph separators: none belongs in a name, and in a mail header or subject a line break
# is header injection (Django refuses to send such a mail).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(value: object) -> bool:
    return bool(CONTROL_CHARACTERS.search(str(value)))


@deconstructible
class NoControlCharactersValidator:
    """For names and other one-line texts (a person's, an organisation's, a class's …)."""

    message = _("Use no line breaks, tabs or other control characters.")
    code = "control_characters"

    def __call__(self, value: object) -> None:
        if has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharactersValidator)

    def __hash__(self) -> int:
        return hash(self.code)


no_control_characters = NoControlCharactersValidator()
