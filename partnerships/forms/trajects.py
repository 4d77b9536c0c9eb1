"""Forms of the student, traject, placement and import screens.

Forms check the shape of the input; the domain rules (school year, overlaps, mentor load,
unique stamnummer) live in the services, whose errors ``add_service_errors`` puts back on the
form.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from duaal.forms import ModelChoiceField, ModelMultipleChoiceField, QuickSelect
from duaal.validators import no_control_characters
from partnerships import sharing
from partnerships.codenames import CHANGE_INTAKE, CHANGE_STATUS
from partnerships.models import (
    ENDED_TRAJECT_STATUSES,
    KlassenraadAdvice,
    Partnership,
    PartnershipCompany,
    SchoolClass,
    Student,
    StudentContact,
    TrajectStatus,
    Weekday,
    WeekdayPlace,
)
from partnerships.models.students import END_REASON_MAX_LENGTH
from partnerships.selectors.trajects import (
    SEARCH_MAX_LENGTH,
    TrajectFilterOptions,
    TrajectFilters,
    clean_search,
)
from recognition.selectors import CONDITION_LABELS, Unmet, mentor_eligibilities

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(
    form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on ``form``: per field where the form has that field,
    else above the form."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = field_map.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def _check_birth_date(value: date | None) -> date | None:
    if value is None:
        return value
    if value > timezone.localdate():
        raise ValidationError(_("The birth date lies in the future."))
    if value.year < 1900:
        raise ValidationError(_("Enter a plausible birth date."))
    return value


class SearchField(forms.CharField):
    """Free text for a search: NUL characters dropped and cut at ``SEARCH_MAX_LENGTH`` before
    validation, so an odd query string searches instead of failing."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(**kwargs)

    def to_python(self, value: object) -> str:
        return clean_search(super().to_python(value))


class PersonChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class MentorChoiceField(PersonChoiceField):
    """Mentors with their load beside their name ("Tom Peeters — 2 of 3 students"), from the
    ``mentor_load`` and ``mentor_limit`` annotations of ``selectors.mentors.with_mentor_load``,
    and what keeps a mentor from being eligible ("· not eligible: mentor training")."""

    statuses: dict[int, list[Unmet]] | None = None

    def label_from_instance(self, obj: User) -> str:
        person = super().label_from_instance(obj)
        load, limit = getattr(obj, "mentor_load", None), getattr(obj, "mentor_limit", None)
        if load is None or limit is None:
            return person
        text = ngettext(
            "%(person)s — %(load)d of %(limit)d student",
            "%(person)s — %(load)d of %(limit)d students",
            limit,
        ) % {"person": person, "load": load, "limit": limit}
        if load >= limit:
            text += " " + str(_("(full)"))
        # The recognition rules (issue 12): each unmet condition in short, for all the
        # candidates at once (a constant number of queries).
        if self.statuses is None:
            self.statuses = mentor_eligibilities(self.queryset, on=timezone.localdate())
        unmet = self.statuses.get(obj.pk, [])
        if unmet:
            text += " · " + _("not eligible: %(conditions)s") % {
                "conditions": ", ".join(str(CONDITION_LABELS[u.code]) for u in unmet)
            }
        return text


# --- trajects list ---------------------------------------------------------------------------


class TrajectFilterForm(forms.Form):
    """Search and filters of the trajects list; choices are the values the user can see."""

    q = SearchField(label=_("Search"))
    # QuickSelects: the list is one of the most asked pages (decision 0022).
    opleiding = forms.ChoiceField(label=_("Opleiding"), required=False, widget=QuickSelect)
    year = forms.TypedChoiceField(
        label=_("School year"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    company = forms.ChoiceField(label=_("Company"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, options: TrajectFilterOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        # The input type, not an attribute: an attribute would render a second type="…".
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"placeholder": _("Name or stamnummer")})
        self.fields["opleiding"].choices = everything + options.opleidingen
        self.fields["year"].choices = everything + [
            (str(year), f"{year}-{year + 1}") for year in options.years
        ]
        self.fields["company"].choices = everything + options.companies
        labels = dict(TrajectStatus.choices)
        self.fields["status"].choices = everything + [
            (value, labels.get(value, value)) for value in options.statuses
        ]

    FILTERS = ("opleiding", "year", "company", "status")

    def filter_fields(self) -> list[forms.BoundField]:
        """The filters (everything but the search box), shown behind one button on a phone."""
        return [self[name] for name in self.FILTERS]

    def active_filter_count(self) -> int:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return sum(1 for name in self.FILTERS if data.get(name) not in (None, ""))

    def filters(self) -> TrajectFilters:
        """The valid filters only: a value that is not one of the choices is ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        company = data.get("company") or ""
        return TrajectFilters(
            q=(data.get("q") or "").strip(),
            opleiding=data.get("opleiding") or "",
            year=data.get("year"),
            company=uuid.UUID(company) if company else None,
            status=data.get("status") or "",
        )


# --- traject ---------------------------------------------------------------------------------


class TrajectEditForm(forms.Form):
    intake_notes = forms.CharField(
        label=_("Intake conversation"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    beginsituatie = forms.CharField(
        label=_("Beginsituatie"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the student already knows and can do at the start."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=TrajectStatus.choices)
    end_reason = forms.CharField(
        label=_("Reason for ending"),
        required=False,
        max_length=END_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you set the traject to completed or stopped early."),
    )
    ended_on = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "When the traject is completed or stopped early: the last day (today when empty). "
            "Its running contract ends on the same day."
        ),
    )

    # Which permission opens which field: the intake for Screening's R and A, the status (and
    # the reason for ending) for its A only (partnerships.raci).
    FIELD_PERMISSIONS = {
        "intake_notes": CHANGE_INTAKE,
        "beginsituatie": CHANGE_INTAKE,
        "status": CHANGE_STATUS,
        "end_reason": CHANGE_STATUS,
        "ended_on": CHANGE_STATUS,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sharing.label_form(self, "partnerships.traject")

    def clean(self) -> dict:
        data = super().clean()
        status = data.get("status")
        if (
            status in ENDED_TRAJECT_STATUSES
            and status != self.initial.get("status")
            and not (data.get("end_reason") or "").strip()
            and "end_reason" in self.fields
        ):
            self.add_error(
                "end_reason",
                _("Give the reason why the traject ends: the team reads it in the history."),
            )
        return data


class KlassenraadForm(forms.Form):
    klassenraad_advice = forms.ChoiceField(
        label=_("Advice of the klassenraad"),
        required=False,
        choices=[("", _("Not yet decided")), *KlassenraadAdvice.choices],
        widget=forms.RadioSelect,
    )


class TrajectCreateForm(forms.Form):
    student = ModelChoiceField(label=_("Student"), queryset=Student.objects.none())
    intake_notes = forms.CharField(
        label=_("Intake conversation"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args,  # noqa: ANN002
        students: QuerySet[Student],
        shown: list[Student] | None = None,
        **kwargs,  # noqa: ANN003
    ) -> None:
        """``students`` are the valid choices; ``shown`` (a search's matches) the options the
        select lists, so a school with thousands of students is never listed whole."""
        super().__init__(*args, **kwargs)
        sharing.label_form(self, "partnerships.traject")
        field = self.fields["student"]
        field.queryset = students
        field.label_from_instance = lambda s: (
            f"{s.last_name} {s.first_name} – {s.school_class}"
            + (f" ({s.stamnummer})" if s.stamnummer else "")
        )
        if shown is not None:
            field.widget.choices = [
                ("", field.empty_label),
                *((s.pk, field.label_from_instance(s)) for s in shown),
            ]


# --- placement -------------------------------------------------------------------------------


class PlacementForm(forms.Form):
    company_vestiging = ModelChoiceField(
        label=_("Company and establishment"), queryset=PartnershipCompany.objects.none()
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("End date"), widget=DATE_WIDGET)
    monday = forms.ChoiceField(label=_("Monday"), choices=WeekdayPlace.choices)
    tuesday = forms.ChoiceField(label=_("Tuesday"), choices=WeekdayPlace.choices)
    wednesday = forms.ChoiceField(label=_("Wednesday"), choices=WeekdayPlace.choices)
    thursday = forms.ChoiceField(label=_("Thursday"), choices=WeekdayPlace.choices)
    friday = forms.ChoiceField(label=_("Friday"), choices=WeekdayPlace.choices)
    workplace_hours_per_week = forms.DecimalField(
        label=_("Average workplace hours per week"),
        min_value=Decimal(0),
        max_value=Decimal(60),
        max_digits=4,
        decimal_places=1,
    )
    mentors = MentorChoiceField(
        label=_("Mentor(s)"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The mentors of this duaal team, with the students each guides today and their "
            "limit; invite a new mentor into the team first."
        ),
    )
    begeleiders = PersonChoiceField(
        label=_("Begeleider(s)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The mentors and begeleiders of this duaal team."),
    )

    def __init__(
        self,
        *args,  # noqa: ANN002
        partnership: Partnership,
        mentor_candidates: QuerySet[User],
        begeleider_candidates: QuerySet[User],
        **kwargs,  # noqa: ANN003
    ) -> None:
        super().__init__(*args, **kwargs)
        entries = partnership.companies.select_related("company", "vestiging").order_by(
            "company__name", "vestiging__name"
        )
        self.fields["company_vestiging"].queryset = entries
        self.fields["mentors"].queryset = mentor_candidates
        self.fields["begeleiders"].queryset = begeleider_candidates
        if not self.is_bound:
            only = list(entries[:2])
            if len(only) == 1:
                self.initial.setdefault("company_vestiging", only[0].pk)
            first, last = partnership.school_year_bounds
            self.initial.setdefault("start_date", max(first, min(timezone.localdate(), last)))
            self.initial.setdefault("end_date", date(partnership.school_year + 1, 6, 30))

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date comes before the start date."))
        return data

    def weekly_pattern(self) -> dict[str, str]:
        return {day.value: self.cleaned_data[day.value] for day in Weekday}

    def weekday_fields(self) -> list[forms.BoundField]:
        return [self[day.value] for day in Weekday]

    def period_fields(self) -> list[forms.BoundField]:
        names = ["company_vestiging", "start_date", "end_date", "workplace_hours_per_week"]
        return [self[name] for name in names]

    def people_fields(self) -> list[forms.BoundField]:
        return [self["mentors"], self["begeleiders"]]

    def mentor_options(self) -> list[tuple[forms.BoundField, list[str]]]:
        """Each mentor checkbox with the reasons (in full) that keep the mentor from being
        eligible, so a phone shows them under the name instead of a long label."""
        field = self.fields["mentors"]
        assert isinstance(field, MentorChoiceField)
        if field.statuses is None:
            field.statuses = mentor_eligibilities(field.queryset, on=timezone.localdate())
        options = []
        for option in self["mentors"].subwidgets:
            value = option.data["value"]
            pk = getattr(value, "value", value)
            options.append((option, [u.reason for u in field.statuses.get(pk, [])]))
        return options


# --- students --------------------------------------------------------------------------------


class StudentForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[no_control_characters]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, validators=[no_control_characters]
    )
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE_WIDGET)
    school_class = ModelChoiceField(label=_("Class"), queryset=SchoolClass.objects.none())
    stamnummer = forms.CharField(label=_("Stamnummer"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254, required=False)
    partnership = ModelChoiceField(
        label=_("Start a traject in"),
        queryset=Partnership.objects.none(),
        required=False,
        empty_label=_("No traject yet"),
    )
    parent_name = forms.CharField(label=_("Parent or guardian"), max_length=150, required=False)
    parent_relation = forms.ChoiceField(
        label=_("Relation"),
        choices=StudentContact.Relation.choices,
        initial=StudentContact.Relation.PARENT,
    )
    parent_email = forms.EmailField(
        label=_("E-mail address of the parent"), max_length=254, required=False
    )
    parent_phone = forms.CharField(
        label=_("Phone number of the parent"), max_length=30, required=False
    )

    def __init__(
        self,
        *args,  # noqa: ANN002
        classes: QuerySet[SchoolClass],
        partnerships: QuerySet[Partnership],
        **kwargs,  # noqa: ANN003
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes
        self.fields["partnership"].queryset = partnerships

    def clean_birth_date(self) -> date | None:
        return _check_birth_date(self.cleaned_data.get("birth_date"))

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("parent_email") or data.get("parent_phone")) and not data.get("parent_name"):
            self.add_error("parent_name", _("Enter the name of the parent or guardian."))
        return data


class StudentContactForm(forms.Form):
    """A parent or guardian added to an existing student."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, validators=[no_control_characters]
    )
    relation = forms.ChoiceField(
        label=_("Relation"),
        choices=StudentContact.Relation.choices,
        initial=StudentContact.Relation.PARENT,
    )
    email = forms.EmailField(label=_("E-mail address"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    prefix = "contact"


class StudentImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: voornaam; achternaam; geboortedatum (dd/mm/jjjj); klas; stamnummer "
            "(optional); e-mail (optional). At most 2 MB and 5000 students."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    partnership = ModelChoiceField(
        label=_("Start trajects in"),
        queryset=Partnership.objects.none(),
        required=False,
        empty_label=_("No traject yet"),
    )

    def __init__(self, *args: Any, partnerships: QuerySet[Partnership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
