"""``duaal.forms.QuickSelect`` writes the HTML of Django's ``Select`` templates in Python: the
same HTML, whatever the choices, the value and the attributes."""

from __future__ import annotations

import pytest
from django import forms

from duaal.forms import QuickSelect

CHOICES = [
    ("", "---------"),
    (1, "Ann <ann@example.be>"),
    ("2", 'Bert & "Co"'),
    (None, "nothing"),
    ("Groep", [("3", "drie"), (4, "vier")]),
    ("", [("5", "ungrouped five")]),
    ("6", "zes"),
]


@pytest.mark.parametrize("value", [None, "", "1", 2, "4", "5", ["6"], "x"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"id": "id_member-user", "required": True},
        {"id": "a", "aria-invalid": "true", "aria-describedby": 'x_error "y"', "disabled": False},
    ],
)
def test_the_same_html_as_djangos_select(value, attrs):
    quick, django = QuickSelect(choices=CHOICES), forms.Select(choices=CHOICES)
    assert quick.render("member-user", value, attrs) == django.render("member-user", value, attrs)


def test_the_same_html_in_a_bound_form_with_errors():
    class Form(forms.Form):
        quick = forms.ChoiceField(choices=CHOICES[:3], widget=QuickSelect, help_text="Help")
        plain = forms.ChoiceField(choices=CHOICES[:3], help_text="Help")

    for form in (
        Form(),
        Form({"quick": "nope", "plain": "nope"}),
        Form({"quick": "2", "plain": "2"}),
    ):
        form.is_valid()
        assert str(form["quick"]).replace("quick", "field") == str(form["plain"]).replace(
            "plain", "field"
        )
