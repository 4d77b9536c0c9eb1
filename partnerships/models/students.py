from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from duaal.validators import no_control_characters
from organisations.models import Organisation, Vestiging
from partnerships.codenames import TRAJECT_PERMISSIONS
from partnerships.models.partnerships import Partnership

if TYPE_CHECKING:
    from partnerships.models.accounts import AccountInvitation


class SchoolClass(models.Model):
    """A class (klas) of a school, e.g. '6 LAS'; students are imported into existing classes."""

    school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(_("class"), max_length=40, validators=[no_control_characters])

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="school_class_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Student(models.Model):
    """A student of a school. No national number here (see DOMAIN.md "Privacy")."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="students")
    first_name = models.CharField(
        _("first name"), max_length=100, validators=[no_control_characters]
    )
    last_name = models.CharField(_("last name"), max_length=100, validators=[no_control_characters])
    birth_date = models.DateField(_("birth date"))
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="students", verbose_name=_("class")
    )
    stamnummer = models.CharField(_("stamnummer"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "stamnummer"],
                condition=~Q(stamnummer=""),
                name="student_stamnummer_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class StudentContact(models.Model):
    """A parent or guardian of a student, optionally with an account (read-only view)."""

    class Relation(models.TextChoices):
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(_("full name"), max_length=150, validators=[no_control_characters])
    relation = models.CharField(
        _("relation"), max_length=20, choices=Relation.choices, default=Relation.PARENT
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )

    # Set by ``selectors.trajects.student_contacts``: the contact's open account invitation.
    open_invitation: AccountInvitation | None

    class Meta:
        verbose_name = _("parent or guardian")
        verbose_name_plural = _("parents and guardians")

    def __str__(self) -> str:
        return self.full_name


class TrajectStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped early")


# Statuses that end a traject: setting one asks for a confirmation and a reason.
ENDED_TRAJECT_STATUSES = frozenset({TrajectStatus.COMPLETED, TrajectStatus.STOPPED})
END_REASON_MAX_LENGTH = 2000


class KlassenraadAdvice(models.TextChoices):
    DUAAL_COMPETENT = "duaal_competent", _("Duaal competent")
    AANLOOPFASE = "aanloopfase", _("Aanloopfase")
    NOT_ADVISED = "not_advised", _("Not advised")


class Traject(models.Model):
    """A student in a partnership for its school year: the student's file."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="trajects")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="trajects")
    status = models.CharField(
        _("status"), max_length=20, choices=TrajectStatus.choices, default=TrajectStatus.INTAKE
    )
    intake_notes = models.TextField(_("intake conversation"), blank=True)
    beginsituatie = models.TextField(_("beginsituatie"), blank=True)
    end_reason = models.TextField(
        _("reason for ending"),
        blank=True,
        help_text=_("Why the traject was completed or stopped (required to end it)."),
    )
    ended_on = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("The day the traject ended; its running contract ends on the same day."),
    )
    klassenraad_advice = models.CharField(
        _("advice of the klassenraad"), max_length=20, choices=KlassenraadAdvice.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by ``partnerships.permissions`` and the selectors on the objects they return.
    user_perms: set[str]
    evaluator_roles: set[str]  # partnerships.permissions.get_traject_for_evaluation
    partnership_perms: set[str]
    current_placement: Placement | None

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajects")
        ordering = ["student__last_name", "student__first_name"]
        permissions = list(TRAJECT_PERMISSIONS.items())
        constraints = [
            models.UniqueConstraint(
                fields=["student", "partnership"], name="traject_unique_per_partnership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.partnership}"


class WeekdayPlace(models.TextChoices):
    SCHOOL = "school", _("School")
    COMPANY = "company", _("Company")
    TRAINING_CENTRE = "training_centre", _("Training centre")
    FREE = "free", _("Free")


class Weekday(models.TextChoices):
    MONDAY = "monday", _("Monday")
    TUESDAY = "tuesday", _("Tuesday")
    WEDNESDAY = "wednesday", _("Wednesday")
    THURSDAY = "thursday", _("Thursday")
    FRIDAY = "friday", _("Friday")


def _weekday_field(label: str) -> models.CharField:
    return models.CharField(
        label, max_length=20, choices=WeekdayPlace.choices, default=WeekdayPlace.SCHOOL
    )


class Placement(models.Model):
    """A period of a traject at one company vestiging, with its weekly pattern and mentors."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="placements")
    company = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="placements", verbose_name=_("company")
    )
    vestiging = models.ForeignKey(
        Vestiging,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("establishment"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    monday = _weekday_field(_("Monday"))
    tuesday = _weekday_field(_("Tuesday"))
    wednesday = _weekday_field(_("Wednesday"))
    thursday = _weekday_field(_("Thursday"))
    friday = _weekday_field(_("Friday"))
    workplace_hours_per_week = models.DecimalField(
        _("average workplace hours per week"), max_digits=4, decimal_places=1
    )
    # Set while the contract of this traject with this company is suspended (contracts app).
    suspended_on = models.DateField(_("suspended since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="placement_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(workplace_hours_per_week__gte=0, workplace_hours_per_week__lte=60),
                name="placement_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.traject.student} @ {self.company} ({self.start_date} – {self.end_date})"

    @property
    def weekly_pattern(self) -> list[tuple[str, str, str]]:
        """[(weekday value, weekday label, place value)] for Monday to Friday."""
        return [(day.value, day.label, getattr(self, day.value)) for day in Weekday]


class PlacementSupervisor(models.Model):
    """A mentor or begeleider assigned to a placement."""

    class Kind(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        BEGELEIDER = "begeleider", _("Begeleider")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="supervisors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions"
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices, default=Kind.MENTOR)

    class Meta:
        verbose_name = _("mentor or begeleider")
        verbose_name_plural = _("mentors and begeleiders")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "user", "kind"], name="placement_supervisor_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"
