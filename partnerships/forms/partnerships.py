"""Forms of the partnership screens: they shape input; the services hold the rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from duaal.forms import ModelChoiceField, ModelMultipleChoiceField, QuickSelect
from duaal.validators import no_control_characters
from learning.models import Opleiding
from organisations.models import Organisation, Vestiging
from partnerships.models import Partnership, Placement, TeamRole
from partnerships.models.invitations import INVITATION_LANGUAGES
from partnerships.models.partnerships import TEAM_ROLES, current_school_year
from partnerships.selectors import partnerships as selectors
from partnerships.selectors.removals import RemovalPlan

TEAM_ROLE_CHOICES = [(value, label) for value, label in TeamRole.choices if value in TEAM_ROLES]
RACI_LETTER_CHOICES = [
    ("", "—"),
    ("R", "R"),
    ("A", "A"),
    ("RA", "R + A"),
    ("C", "C"),
    ("I", "I"),
]


def vestiging_label(vestiging: Vestiging) -> str:
    """'Company – establishment (city)', without repeating a company name the vestiging has."""
    company = vestiging.organisation.name
    return str(vestiging) if company in vestiging.name else f"{company} – {vestiging}"


class VestigingChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Vestiging) -> str:
        return vestiging_label(obj)


class VestigingMultipleChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Vestiging) -> str:
        return vestiging_label(obj)


class UserChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


class _ListedChoices(ModelChoiceIterator):
    """The choices of a field whose users are already loaded (``field.listed``): rendering
    them asks the database nothing (a page with a dialog per team member would otherwise run
    one query per field). Validation still goes through the field's queryset."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for user in self.field.listed:
            yield self.choice(user)

    def __len__(self) -> int:
        return len(self.field.listed) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.listed)


class ListedUserChoiceField(UserChoiceField):
    """A ``UserChoiceField`` that renders the users it is given (in their order) without a
    query; the queryset (the same users) validates the posted choice."""

    iterator = _ListedChoices

    def __init__(self, *, users: list[User], **kwargs: Any) -> None:
        self.listed = users
        super().__init__(queryset=User.objects.filter(pk__in=[user.pk for user in users]), **kwargs)


class PartnershipCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[no_control_characters])
    school = ModelChoiceField(label=_("School"), queryset=Organisation.objects.none())
    opleiding = ModelChoiceField(
        label=_("Opleiding"), queryset=Opleiding.objects.filter(active=True).order_by("name")
    )
    school_year = forms.IntegerField(
        label=_("School year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year in which the school year starts, e.g. 2026 for 2026-2027."),
    )
    vestigingen = VestigingMultipleChoiceField(
        label=_("Companies and establishments"),
        queryset=Vestiging.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The establishments where the students learn."),
    )
    training_centre = ModelChoiceField(
        label=_("Training centre"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        schools = selectors.schools_administered_by(user=user)
        self.fields["school"].queryset = schools
        # The companies the user's schools work with and those that opted in to be found;
        # clean() narrows that to the chosen school.
        self.fields["vestigingen"].queryset = selectors.company_vestigingen(schools=schools)
        self.fields["training_centre"].queryset = selectors.training_centres()
        if not self.is_bound:
            self.initial.setdefault("school_year", current_school_year())
            only_school = list(schools[:2])
            if len(only_school) == 1:
                self.initial.setdefault("school", only_school[0].pk)

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        school, chosen = cleaned.get("school"), cleaned.get("vestigingen")
        if school is not None and chosen:
            allowed = set(
                selectors.company_vestigingen(schools=[school])
                .filter(pk__in=[v.pk for v in chosen])
                .values_list("pk", flat=True)
            )
            if any(v.pk not in allowed for v in chosen):
                self.add_error(
                    "vestigingen",
                    forms.ValidationError(
                        self.fields["vestigingen"].error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": ""},
                    ),
                )
        return cleaned

    @property
    def companies(self) -> list[tuple[Organisation, Vestiging]]:
        return [(v.organisation, v) for v in self.cleaned_data["vestigingen"]]


class TeamMemberForm(forms.Form):
    """An existing member of one of the actor's organisations of the partnership, in a role."""

    # The selects of the partnership page's add forms are QuickSelects (decision 0022).
    user = UserChoiceField(label=_("Person"), queryset=User.objects.none(), widget=QuickSelect)
    role = forms.ChoiceField(label=_("Role"), choices=TEAM_ROLE_CHOICES, widget=QuickSelect)
    organisation = ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), widget=QuickSelect
    )

    prefix = "member"

    def __init__(self, *args, partnership: Partnership, actor: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.team_candidate_users(
            partnership=partnership, user=actor
        )
        self.fields["organisation"].queryset = selectors.team_candidate_organisations(
            partnership=partnership, user=actor
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, validators=[no_control_characters]
    )
    role = forms.ChoiceField(label=_("Role"), choices=TEAM_ROLE_CHOICES, widget=QuickSelect)
    organisation = ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), widget=QuickSelect
    )
    # Empty (not posted): the inviter's own language. Someone with an account gets the mail
    # in their account's language whatever is chosen here.
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=INVITATION_LANGUAGES,
        required=False,
        widget=QuickSelect,
        help_text=_("Someone who already has an account gets it in their own language."),
    )

    prefix = "invite"

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.partnership_organisations(
            partnership=partnership
        )

    def clean_language(self) -> str | None:
        return self.cleaned_data["language"] or None


class CompanyAddForm(forms.Form):
    vestiging = VestigingChoiceField(
        label=_("Company and establishment"),
        queryset=Vestiging.objects.none(),
        widget=QuickSelect,
    )

    prefix = "company"

    def __init__(self, *args, school: Organisation, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        # The school's own partners and the companies that opted in to be found.
        self.fields["vestiging"].queryset = selectors.company_vestigingen(schools=[school])


class RaciCellForm(forms.Form):
    letter = forms.ChoiceField(label=_("Letter"), choices=RACI_LETTER_CHOICES, required=False)


class InvitationSignupForm(forms.Form):
    """A new account for the invited address: name and a password typed twice."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, validators=[no_control_characters]
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                validate_password(password1, user=candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class TeamMemberRemoveForm(forms.Form):
    """The confirmation of removing a team member: for each placement that would lose its only
    mentor, who takes over (``selectors.removals``). Prefixed per member, so the dialogs of a
    whole team fit on one page."""

    def __init__(self, *args, plan: RemovalPlan, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("prefix", plan.dialog_id)
        super().__init__(*args, **kwargs)
        self.plan = plan
        for takeover in plan.takeovers:
            loads = {c.pk: (c.load, c.limit) for c in takeover.candidates}
            field = ListedUserChoiceField(
                label=_("New mentor for %(placement)s") % {"placement": takeover.label},
                users=takeover.candidates,
                empty_label=_("Choose a mentor"),
                help_text=_("Mentors of the company in this team with room for one more student."),
            )
            field.label_from_instance = lambda user, loads=loads: (
                _("%(person)s (guides %(load)d of at most %(max)d)")
                % {
                    "person": user.full_name or user.email,
                    "load": loads[user.pk][0],
                    "max": loads[user.pk][1],
                }
            )
            self.fields[self.field_name(takeover.placement)] = field

    @staticmethod
    def field_name(placement: Placement) -> str:
        return f"replacement_{placement.public_id.hex}"

    def replacements(self) -> dict[int, User]:
        """{placement pk: the chosen mentor} (after ``is_valid``)."""
        return {
            takeover.placement.pk: self.cleaned_data[self.field_name(takeover.placement)]
            for takeover in self.plan.takeovers
            if self.cleaned_data.get(self.field_name(takeover.placement))
        }
