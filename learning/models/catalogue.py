"""The learning catalogue: opleidingen, leerfiche sets in versions, activiteitenlijsten.

Layering (docs/ARCHITECTURE.md): this module imports no domain app but ``organisations``. The
plans (opleidingsplan, bedrijfsfiches) live in ``learning.models.plans`` and may use
``partnerships``.

A leerfiche set belongs to an organisation (sector body, training centre or school). Its
content lives in **versions**: a draft is edited, a published version is immutable (the
services refuse to change it; editing makes a new draft, a copy of the latest version). A
leerfiche and a criterion keep their ``key`` from version to version, so an evaluation of
"scheurvrij" in version 1 still reads as "scheurvrij" in version 2.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duaal.validators import no_control_characters
from organisations.models import Organisation, Vestiging


class ContractType(models.TextChoices):
    OAO = "OAO", _("OAO (overeenkomst alternerende opleiding)")
    SOAO = "SOAO", _("SOAO (stageovereenkomst alternerende opleiding)")


class Opleiding(models.Model):
    """A duale opleiding and its standaardtraject (DOMAIN.md, brochure 3.6 and 310).

    The contract type is not fixed per opleiding: it follows from the hours a student works at
    the workplace (the contracts app derives it per student). ``workplace_hours_per_week`` is
    the opleiding's usual number, a default.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(
        _("name"), max_length=200, unique=True, validators=[no_control_characters]
    )
    level = models.CharField(_("level"), max_length=100, blank=True)
    workplace_hours_per_week = models.PositiveSmallIntegerField(_("usual workplace hours per week"))
    learning_network = models.CharField(_("learning network"), max_length=20, blank=True)
    standaardtraject = models.CharField(_("standaardtraject"), max_length=200, blank=True)
    # Each standaardtraject sets a minimum number of hours at the workplace (brochure 310);
    # empty where we do not know it — nothing checks an empty value.
    minimum_workplace_hours = models.PositiveIntegerField(
        _("minimum workplace hours"),
        null=True,
        blank=True,
        help_text=_("Set by the standaardtraject; leave empty when unknown."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("opleiding")
        verbose_name_plural = _("opleidingen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Beroepskwalificatie(models.Model):
    """A beroepskwalificatie the standaardtraject of an opleiding leads to."""

    opleiding = models.ForeignKey(
        Opleiding, on_delete=models.CASCADE, related_name="beroepskwalificaties"
    )
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    code = models.CharField(_("code"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("beroepskwalificatie")
        verbose_name_plural = _("beroepskwalificaties")
        ordering = ["opleiding", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["opleiding", "name"], name="bk_unique_per_opleiding")
        ]

    def __str__(self) -> str:
        return self.name


class LeerficheSet(models.Model):
    """The leerfiches of one opleiding as written by one organisation, in versions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="leerfiche_sets",
        verbose_name=_("owner"),
    )
    opleiding = models.ForeignKey(
        Opleiding,
        on_delete=models.PROTECT,
        related_name="leerfiche_sets",
        verbose_name=_("opleiding"),
    )
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("leerfiche set")
        verbose_name_plural = _("leerfiche sets")
        ordering = ["opleiding__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="leerficheset_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SetEditor(models.Model):
    """A member of the owning organisation who may author drafts and publish versions.

    The organisation's administrators may always; they name the other editors.
    """

    leerfiche_set = models.ForeignKey(
        LeerficheSet, on_delete=models.CASCADE, related_name="editors"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["leerfiche_set", "user"], name="seteditor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.leerfiche_set}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class SetVersion(models.Model):
    """One version of a leerfiche set. Published: immutable and readable by every organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    leerfiche_set = models.ForeignKey(
        LeerficheSet, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Not personal data in the published content: only who pressed "publish", kept on the
    # owner's side (a published version's export leaves it out).
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("leerfiche set version")
        verbose_name_plural = _("leerfiche set versions")
        ordering = ["leerfiche_set", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["leerfiche_set", "number"], name="setversion_unique"),
            # At most one draft per set: edits go to the one draft.
            models.UniqueConstraint(
                fields=["leerfiche_set"],
                condition=Q(status="draft"),
                name="setversion_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="setversion_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leerfiche_set} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class Theme(models.Model):
    """A thema of the standaardtraject, e.g. "Preventief onderhoud", grouping leerfiches."""

    version = models.ForeignKey(SetVersion, on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="theme_unique_key"),
        ]

    def __str__(self) -> str:
        return self.title


class Leerfiche(models.Model):
    """One leerfiche in one version (brochure 3.8, appendices 1 and 2).

    The sections are items (``LeerficheItem``) in order, each optionally under a heading, so
    the brochure's layout is reproduced item by item. The optional **opdracht** part is what
    appendix 2 shows for a welding task: lasprocédé, lasnaadvorm, lasstand, doelstelling, the
    numbered stappenplan (items of kind STEP), a WPS reference, and the session fields the
    evaluation asks for (metals, measurements, the yes/no behaviour list).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(SetVersion, on_delete=models.CASCADE, related_name="leerfiches")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="leerfiches")
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    intro_kennen = models.TextField(_("introduction: kennen"), blank=True)
    intro_kunnen = models.TextField(_("introduction: kunnen"), blank=True)
    kennis_intro = models.TextField(_("kennis & vaardigheden op school: introduction"), blank=True)
    kennis_outro = models.TextField(_("kennis & vaardigheden op school: closing"), blank=True)
    oefencontexten_intro = models.TextField(_("oefencontexten: introduction"), blank=True)
    # The opdracht (appendix 2); empty when the leerfiche has none.
    has_opdracht = models.BooleanField(_("has an opdracht"), default=False)
    lasprocede = models.CharField(_("lasprocédé"), max_length=200, blank=True)
    lasprocessen = models.JSONField(_("lasprocessen (ISO 4063 numbers)"), default=list, blank=True)
    lasnaadvorm = models.CharField(_("lasnaadvorm"), max_length=100, blank=True)
    lasstand = models.CharField(_("lasstand"), max_length=100, blank=True)
    doelstelling = models.TextField(_("doelstelling"), blank=True)
    wps_reference = models.CharField(_("WPS reference"), max_length=200, blank=True)
    opdracht_note = models.TextField(_("note on the opdracht"), blank=True)
    # Session fields: which metals the student picks from (staal, RVS, alu).
    metals = models.JSONField(_("metals"), default=list, blank=True)

    class Meta:
        verbose_name = _("leerfiche")
        verbose_name_plural = _("leerfiches")
        ordering = ["version", "theme__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="leerfiche_unique_key"),
        ]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    LEERDOEL = "leerdoel", _("Leerdoel")
    KENNIS = "kennis", _("Kennis & vaardigheden op school")
    OEFENCONTEXT = "oefencontext", _("Oefencontext bedrijf & gesimuleerd leren")
    STEP = "step", _("Stap (stappenplan)")
    BEHAVIOUR = "behaviour", _("Gedrag (ja/nee)")
    MEASUREMENT = "measurement", _("Meting")


class LeerficheItem(models.Model):
    """One line of a leerfiche section, in order, optionally under a heading, with a note."""

    leerfiche = models.ForeignKey(Leerfiche, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["leerfiche", "kind", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Criterion(models.Model):
    """An evaluatiecriterium: what the student, the mentor and the leerkracht score.

    ``key`` is stable across versions (the evaluation follows a criterion by it); ``code`` is
    the brochure's marker such as "S"; ``norm_reference`` an ISO 6520-1 imperfection number.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    leerfiche = models.ForeignKey(Leerfiche, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("key"), max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    code = models.CharField(_("code"), max_length=10, blank=True)
    norm_reference = models.CharField(_("norm reference"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["leerfiche", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["leerfiche", "key"], name="criterion_unique_key"),
        ]

    def __str__(self) -> str:
        return self.text


class Offer(models.TextChoices):
    YES = "yes", _("Can offer it")
    PARTLY = "partly", _("Partly")
    NO = "no", _("Cannot offer it")


class Activiteitenlijst(models.Model):
    """What a company vestiging can offer of an opleiding's leerfiches (brochure 3.9).

    Filled by the company, later by the recognition visit through ``learning.services``. The
    entries name leerfiches by their stable key, so the list survives a new set version.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    vestiging = models.ForeignKey(
        Vestiging, on_delete=models.CASCADE, related_name="activiteitenlijsten"
    )
    opleiding = models.ForeignKey(Opleiding, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("activiteitenlijst")
        verbose_name_plural = _("activiteitenlijsten")
        constraints = [
            models.UniqueConstraint(
                fields=["vestiging", "opleiding"], name="activiteitenlijst_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vestiging} – {self.opleiding}"


class ActiviteitenlijstEntry(models.Model):
    activiteitenlijst = models.ForeignKey(
        Activiteitenlijst, on_delete=models.CASCADE, related_name="entries"
    )
    leerfiche_key = models.SlugField(max_length=80)
    offer = models.CharField(_("can offer"), max_length=10, choices=Offer.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activiteitenlijst", "leerfiche_key"], name="activiteit_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.leerfiche_key}: {self.offer}"
