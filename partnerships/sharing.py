"""What the student and the parents may read: the one declaration of every free-text field.

Every free-text field of the domain (a ``TextField``, or a ``CharField`` holding notes) is
either **internal** (the duaal team only) or **shared** (the team, the student and the
parents). ``TEXT_FIELDS`` says which; a test fails when a domain model gains a ``TextField``
that is not declared here.

Who reads what is an access question: ``permissions.VIEW_INTERNAL`` is held by every team role
that sees the traject and never by the student or the parents (``partnerships.raci``). Pages,
PDFs and the history ask ``permissions.may_see_internal_text`` and leave internal fields out
otherwise; forms label each field (``label_form``) with a badge and a help text.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

INTERNAL = "internal"
SHARED = "shared"

# {model label: {field name: INTERNAL | SHARED}}
TEXT_FIELDS: dict[str, dict[str, str]] = {
    "partnerships.traject": {
        "intake_notes": INTERNAL,  # the intake conversation: the team's notes
        "beginsituatie": INTERNAL,  # the team's assessment at the start
        "end_reason": INTERNAL,  # why the traject ended (may hold personal circumstances)
    },
    # The catalogue: published leerfiches are read by everyone, students included.
    "learning.leerfiche": {
        "intro_kennen": SHARED,
        "intro_kunnen": SHARED,
        "kennis_intro": SHARED,
        "kennis_outro": SHARED,
        "oefencontexten_intro": SHARED,
        "doelstelling": SHARED,
        "opdracht_note": SHARED,
    },
    "learning.leerficheitem": {"text": SHARED, "note": SHARED},
    "learning.criterion": {"text": SHARED},
    # The opleidingsplan: the team's comments on it stay internal.
    "learning.plancomment": {"text": INTERNAL},
    # A bedrijfsfiche is written for the student who learns with it.
    "learning.bedrijfsficheversion": {
        "timing": SHARED,
        "materiaal": SHARED,
        "instructies": SHARED,
        "veiligheid": SHARED,
        "werkvorm_steps": SHARED,
    },
    # Evaluation: written with and for the student (brochure ch. 7): all shared.
    "evaluation.session": {"student_note": SHARED, "sterke_punten": SHARED},
    "evaluation.werkpunt": {"example": SHARED, "afspraak": SHARED, "outcome_note": SHARED},
    "evaluation.softskillagreement": {"text": SHARED},
    # Recognition: between the company (or its mandated school) and the sector body; no
    # student is involved, none ever reads these.
    "recognition.recognition": {
        "refusal_reason": INTERNAL,
        "appeal_reason": INTERNAL,
        "end_reason": INTERNAL,
    },
    "recognition.workplacevisit": {"notes": INTERNAL},
    # Programmatie: the school's own request to the administration; no student is involved.
    "recognition.programmatie": {"refusal_reason": INTERNAL, "end_reason": INTERNAL},
    # Contracts (decision 0018): why a contract was suspended or ended may hold personal
    # circumstances, like the traject's end reason (which a contract ended with its traject
    # repeats); why a signature was voided is for every party, who must sign again.
    "contracts.contract": {"suspension_reason": INTERNAL, "end_reason": INTERNAL},
    "contracts.signature": {"void_reason": SHARED},
}

BADGES = {
    INTERNAL: _("Internal — team only"),
    SHARED: _("Shared with the student and parents"),
}
HELP_TEXTS = {
    INTERNAL: _("Only the duaal team reads this; the student and the parents do not."),
    SHARED: _("The student and the parents read this too."),
}


def audience(model_label: str, field: str) -> str | None:
    """INTERNAL, SHARED, or None when ``field`` is not a declared free-text field."""
    return TEXT_FIELDS.get(model_label, {}).get(field)


def internal_fields(model_label: str) -> frozenset[str]:
    """The internal fields of a model (by its label, e.g. ``partnerships.traject``)."""
    return frozenset(
        name for name, kind in TEXT_FIELDS.get(model_label, {}).items() if kind == INTERNAL
    )


def label_form(form: forms.BaseForm, model_label: str, fields: Iterable[str] | None = None) -> None:
    """Mark the form's free-text fields with their audience: ``field.audience`` (the badge in
    ``includes/form_fields.html``) and a help text saying who reads it.

    ``fields`` maps only part of the form (default: every form field named like a declared
    model field).
    """
    names = list(fields) if fields is not None else list(form.fields)
    for name in names:
        kind = audience(model_label, name)
        field = form.fields.get(name)
        if kind is None or field is None:
            continue
        field.audience = kind  # type: ignore[attr-defined]
        field.audience_label = BADGES[kind]  # type: ignore[attr-defined]
        help_text = str(HELP_TEXTS[kind])
        field.help_text = f"{field.help_text} {help_text}" if field.help_text else help_text
