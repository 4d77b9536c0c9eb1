from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duaal.validators import no_control_characters
from organisations.models import Organisation, Vestiging
from partnerships.codenames import PARTNERSHIP_PERMISSIONS
from partnerships.models.invitations import InvitationBase, InvitationKind


class TeamRole(models.TextChoices):
    """Roles of the duaal team (brochure 3.9); leerling and ouder come from the traject."""

    TRAJECTBEGELEIDER = "trajectbegeleider", _("Trajectbegeleider duaal")
    LEERKRACHT = "leerkracht", _("Leerkracht duaal")
    COORDINATOR_SCHOOL = "coordinator_school", _("Coördinator duaal school")
    DIRECTIE_SCHOOL = "directie_school", _("Directie school")
    MENTOR = "mentor", _("Mentor")
    BEGELEIDER = "begeleider", _("Begeleider")
    COORDINATOR_BEDRIJF = "coordinator_bedrijf", _("Coördinator duaal bedrijf")
    DIRECTIE_BEDRIJF = "directie_bedrijf", _("Directie bedrijf")
    OPLEIDINGSCENTRUM = "opleidingscentrum", _("Opleidingscentrum")
    PREVENTIEADVISEUR = "preventieadviseur", _("Preventieadviseur")
    # Not team roles: bound to one traject. They have a column in the RACI matrix.
    LEERLING = "leerling", _("Leerling")
    OUDER = "ouder", _("Ouders")


SCHOOL_ROLES = frozenset(
    {
        TeamRole.TRAJECTBEGELEIDER,
        TeamRole.LEERKRACHT,
        TeamRole.COORDINATOR_SCHOOL,
        TeamRole.DIRECTIE_SCHOOL,
    }
)
COMPANY_ROLES = frozenset(
    {
        TeamRole.MENTOR,
        TeamRole.BEGELEIDER,
        TeamRole.COORDINATOR_BEDRIJF,
        TeamRole.DIRECTIE_BEDRIJF,
        TeamRole.PREVENTIEADVISEUR,
    }
)
TRAINING_CENTRE_ROLES = frozenset({TeamRole.OPLEIDINGSCENTRUM})
TEAM_ROLES = SCHOOL_ROLES | COMPANY_ROLES | TRAINING_CENTRE_ROLES
TRAJECT_ROLES = frozenset({TeamRole.LEERLING, TeamRole.OUDER})


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


def school_year_bounds(start_year: int) -> tuple[date, date]:
    """1 September to 31 August (the administrative end of the school year)."""
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def current_school_year(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


class PartnershipStatus(models.TextChoices):
    PREPARATION = "preparation", _("In preparation")
    RUNNING = "running", _("Running")
    ENDED = "ended", _("Ended")


class Partnership(models.Model):
    """A duaal team: one school, companies, optionally a training centre; one opleiding, one year."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="school_partnerships",
        verbose_name=_("school"),
    )
    training_centre = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="training_centre_partnerships",
        null=True,
        blank=True,
        verbose_name=_("training centre"),
    )
    opleiding = models.ForeignKey(
        "learning.Opleiding",
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("opleiding"),
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year"),
        help_text=_("The year in which the school year starts, e.g. 2026 for 2026-2027."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.RUNNING,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Set by ``partnerships.permissions`` on the partnership it returns.
    user_perms: set[str]

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-school_year", "name"]
        permissions = list(PARTNERSHIP_PERMISSIONS.items())
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name", "school_year"], name="partnership_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(school_year__gte=2000, school_year__lte=2100),
                name="partnership_school_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year_label})"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def school_year_bounds(self) -> tuple[date, date]:
        return school_year_bounds(self.school_year)


class PartnershipCompany(models.Model):
    """A company in a partnership, with the vestiging where its students learn."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="companies")
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="company_partnerships",
        verbose_name=_("company"),
    )
    vestiging = models.ForeignKey(
        Vestiging, on_delete=models.PROTECT, related_name="+", verbose_name=_("establishment")
    )

    class Meta:
        verbose_name = _("company in partnership")
        verbose_name_plural = _("companies in partnership")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "company", "vestiging"], name="partnership_company_unique"
            )
        ]

    def __str__(self) -> str:
        # Vestiging names usually start with the company's name: do not repeat it.
        name = self.company.name
        return str(self.vestiging) if name in self.vestiging.name else f"{name} – {self.vestiging}"


class TeamMember(models.Model):
    """A person in a role of a partnership's duaal team, on behalf of one organisation."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=TeamRole.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Set by ``selectors.trajects.team_with_role_labels`` (the traject page).
    role_label: str

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "role"], name="team_member_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=sorted(r.value for r in TEAM_ROLES)),
                name="team_member_role_is_team_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class PartnershipRoleGroup(models.Model):
    """The auth group that holds the grants of one partnership-wide role in one partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="role_groups"
    )
    role = models.CharField(max_length=30, choices=TeamRole.choices)
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "role"], name="partnership_role_group_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} – {self.role}"


class RaciLetter(models.TextChoices):
    R = "R", "R"
    A = "A", "A"
    RA = "RA", "R + A"
    C = "C", "C"
    I = "I", "I"  # noqa: E741 - the matrix's own letter


class RaciCell(models.Model):
    """One cell of a partnership's RACI matrix: a role's letter for a task (appendix 4)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="raci_cells"
    )
    task = models.CharField(max_length=40)
    role = models.CharField(max_length=30, choices=TeamRole.choices)
    letter = models.CharField(max_length=2, choices=RaciLetter.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "task", "role"], name="raci_cell_unique"
            ),
            models.CheckConstraint(
                condition=Q(letter__in=RaciLetter.values), name="raci_cell_letter_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}/{self.role}: {self.letter}"


class Invitation(InvitationBase):
    """An invitation by e-mail into a team role; the link is single use and expires."""

    kind = InvitationKind.TEAM

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    full_name = models.CharField(_("full name"), max_length=150, validators=[no_control_characters])
    role = models.CharField(_("role"), max_length=30, choices=TeamRole.choices)

    class Meta(InvitationBase.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "email", "role"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.get_role_display()}"

    @property
    def invitee_name(self) -> str:
        return self.full_name
