"""Every URL pattern is classified, and every tenant-scoped URL is closed to the other side.

Adding a view means adding its name here: public, authenticated (the user's own data only),
tenant-scoped (with a builder from the demo cast and the set of demo accounts that may reach
it) or platform-admin (Django admin, staff only). An unclassified pattern fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from organisations import demo as people
from organisations.models import Organisation
from partnerships.models import Partnership, Traject

PUBLIC = {
    "healthz",
    "set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    # Every kind of invitation: the signed token in the URL is the authentication.
    "partnerships:invitation_accept",
    # Links mailed before the kinds shared one page: redirects to invitation_accept.
    "partnerships:invitation_accept_legacy",
    "partnerships:account_invitation_accept_legacy",
    "agenda:feed",  # the secret in the URL is the authentication
}
AUTHENTICATED = {
    "home",
    "accounts:password_change",
    "accounts:password_change_done",
    "organisations:organisation_switch",
    "partnerships:partnership_list",
    "partnerships:partnership_create",
    "partnerships:traject_list",
    "agenda:calendar",
    "notifications:notification_list",
    "notifications:unread_counter",
    "notifications:notification_read_all",
    "notifications:preferences",
    "notifications:reminder_list",
    "agenda:feed_create",
    "agenda:feed_revoke",
    # Subject access: one's own data (partnerships/views/privacy.py).
    "partnerships:my_data",
    "partnerships:my_data_json",
    "partnerships:my_data_pdf",
    # The catalogue: opleidingen and the leerfiche sets the user may read (learning.access);
    # a new set for an organisation the user administers (403 for anyone else).
    "learning:catalogue_index",
    "learning:set_create",
    # Offered for the organisations the user authors for (learning.access); 403 for others.
    "learning:set_import",
    # The team's overview of evaluations: only the students the user sees (empty otherwise).
    "evaluation:review_overview",
    # The coordinator's starts in the next 30 days: the contracts they coordinate (403 for
    # anyone without a coördinator seat).
    "contracts:starts",
    # The sector consultant's inbox: the requests routed to their sector body (403 for anyone
    # who is no member of a sector body).
    "recognition:consultant_inbox",
    # Recognition, the school's side: the schools the user administers (403 for anyone who
    # administers no school); programmatie: the requests of the user's own schools.
    "recognition:partner_search",
    "recognition:programmatie_list",
    "recognition:programmatie_create",
    # The sector consultant's dashboard: the figures of the requests routed to their sector
    # body, no student (403 for anyone who is no member of a sector body).
    "dashboards:sector",
    # --- The coordinator's action list (issue 14 item 3): only what the coördinator's own
    # seats follow (403 for anyone without a coördinator seat; tests/dashboards/test_actions.py).
    "dashboards:actions",
    # The school director's dashboard (dashboards/views/school.py): the partnerships where the
    # user is the school's directie or coördinator duaal; 404 for anyone who is neither
    # (tests/dashboards/test_school.py tests each wrong viewer).
    "dashboards:school",
    # The klassenraad report form (dashboards/views/klassenraad.py): the classes whose report the
    # user may ask for (directie, coördinator, trajectbegeleider, leerkracht of the class's
    # school); 404 for anyone with none (tests/dashboards/test_klassenraad.py).
    "dashboards:klassenraad",
}
PLATFORM_ADMIN_PREFIX = "admin/"

ALL = {p.email for p in people.PEOPLE}
SCHOOL_A_MEMBERS = {
    "tb@sintjozef.demo",
    "coord@sintjozef.demo",
    "lk@sintjozef.demo",
    "directie@sintjozef.demo",
}
COMPANY_X_MEMBERS = {
    "mentor@vandenberghe.demo",
    "mentor2@vandenberghe.demo",
    "coord@vandenberghe.demo",
    "directie@vandenberghe.demo",
}
# Who may see Lotte's traject (A1, company X) and partnership A1 (ARCHITECTURE.md access model).
SEE_LOTTE = {
    "tb@sintjozef.demo",
    "coord@sintjozef.demo",
    "lk@sintjozef.demo",
    "directie@sintjozef.demo",
    "mentor@vandenberghe.demo",
    "coord@vandenberghe.demo",
    "directie@vandenberghe.demo",
    "oc@octl.demo",
    "leerling1@sintjozef.demo",
    "ouder1@sintjozef.demo",
}
# Who reads Lotte's contract (tests/isolation/test_contracts_access.py): those who see her
# traject but the training centre, which is no party to a contract.
READ_LOTTE_CONTRACT = SEE_LOTTE - {"oc@octl.demo"}
SEE_A1 = {
    "tb@sintjozef.demo",
    "coord@sintjozef.demo",
    "lk@sintjozef.demo",
    "directie@sintjozef.demo",
    "mentor@vandenberghe.demo",
    "mentor2@vandenberghe.demo",
    "coord@vandenberghe.demo",
    "directie@vandenberghe.demo",
    "oc@octl.demo",
}

# Who reads A1's published bedrijfsfiches of Metaalbouw Vandenberghe: the team, and the
# students placed there with their parents (drafts: the team only).
SEE_A1_PUBLISHED_BEDRIJFSFICHE = SEE_A1 | {
    "leerling1@sintjozef.demo",
    "leerling2@sintjozef.demo",
    "ouder1@sintjozef.demo",
    "leerling4@sintjozef.demo",
    "ouder2@sintjozef.demo",
}
# Anyone with a membership reads a published leerfiche set (learning.access); a student or a
# parent has no membership (they read the leerfiches of their own traject).
MEMBERS = {email for email in ALL if not email.startswith(("leerling", "ouder"))}
# The sector body owns the isolation set (tests/isolation/conftest.py); its draft is theirs.
SECTOR_MEMBERS = {"consulent@sector.demo"}
ISOLATION_SET = "Isolatieset"


@dataclass(frozen=True)
class Scoped:
    build: Callable[[], str]
    insiders: frozenset[str]  # demo accounts that may reach the object (any status but 404)


def _this_monday() -> str:
    from django.utils import timezone

    today = timezone.localdate()
    return (today - timedelta(days=today.weekday())).isoformat()


def _company_x() -> Organisation:
    return Organisation.objects.get(name="Metaalbouw Vandenberghe")


def _school_a() -> Organisation:
    return Organisation.objects.get(name="Technisch Instituut Sint-Jozef")


def _programmatie_of_school_a():
    from recognition.models import Programmatie

    return Programmatie.objects.filter(school=_school_a()).order_by("pk").first()


def _a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school=_school_a())


def _lotte() -> Traject:
    return Traject.objects.get(student__first_name="Lotte")


def _isolation_published():
    from learning.models import SetVersion

    return SetVersion.objects.get(leerfiche_set__name=ISOLATION_SET, status="published", number=1)


def _isolation_draft():
    from learning.models import SetVersion

    return SetVersion.objects.get(leerfiche_set__name=ISOLATION_SET, status="draft")


def _draft_fiche():
    return _isolation_draft().leerfiches.order_by("pk").first()


def _lotte_plan_fiche():
    from learning.selectors.traject_leerfiches import adopted_version

    return adopted_version(traject=_lotte()).leerfiches.order_by("pk").first()


def _leerfiche_url(suffix: str) -> Callable[[], str]:
    return lambda: f"/leerfiches/fiches/{_draft_fiche().public_id}/{suffix}"


def _item_url(action: str) -> Callable[[], str]:
    return lambda: (
        f"/leerfiches/fiches/{_draft_fiche().public_id}/items/{_draft_fiche().items.first().pk}/"
        f"{action}/"
    )


def _criterion_url(action: str) -> Callable[[], str]:
    return lambda: (
        f"/leerfiches/fiches/{_draft_fiche().public_id}/criteria/"
        f"{_draft_fiche().criteria.first().public_id}/{action}/"
    )


def _theme_url(action: str) -> Callable[[], str]:
    return lambda: (
        f"/leerfiches/versions/{_isolation_draft().public_id}/themes/"
        f"{_isolation_draft().themes.first().pk}/{action}/"
    )


def _notification_of_coord():
    from accounts.models import User
    from notifications.models import Notification

    coord = User.objects.get(email="coord@sintjozef.demo")
    existing = Notification.objects.filter(user=coord).first()
    if existing:
        return existing
    from notifications.services.notifications import notification_create

    return notification_create(user=coord, kind="raci_gap", title="x", url="/")


def _raci_doc_a1():
    from documents.models import GeneratedDocument

    return GeneratedDocument.objects.filter(partnership=_a1()).first()


def _account_invitation_of_lotte():
    from partnerships.models import AccountInvitation

    return AccountInvitation.objects.filter(student=_lotte().student).first()


def _invitation_of_a1():
    from partnerships.models import Invitation

    return Invitation.objects.filter(partnership=_a1()).first()


def _import_of_school_a():
    model = _import_model()
    return model.objects.filter(school=_school_a()).first() if model else None


def _import_model():
    for model in apps.get_app_config("partnerships").get_models():
        if model.__name__.lower().endswith("import") or model.__name__.lower().startswith(
            "studentimport"
        ):
            return model
    return None


def _plan_of_a1():
    from learning.services.plans import partnership_plan

    return partnership_plan(_a1())


def _plan_cell_of(plan) -> str:
    fiche = plan.set_version.leerfiches.order_by("pk").first()
    period = plan.partnership.periods.order_by("order").first()
    return f"{fiche.public_id}/{period.pk}/"


def _vestiging_of_a1():
    return _a1().companies.select_related("vestiging").first().vestiging


def _lottes_plan():
    from learning.models import Opleidingsplan

    return Opleidingsplan.objects.get(traject=_lotte())


def _bedrijfsfiche_version(key: str):
    """Vandenberghe's demo bedrijfsfiches in A1 (tests/isolation/conftest.py makes sure they
    exist): ``geintegreerde-lasopdracht`` is published with a photo, ``veilig-lassen`` a draft."""
    from learning.models import BedrijfsficheVersion

    return (
        BedrijfsficheVersion.objects.filter(
            bedrijfsfiche__partnership=_a1(), bedrijfsfiche__leerfiche_key=key
        )
        .order_by("-number")
        .first()
    )


def _published_bedrijfsfiche():
    return _bedrijfsfiche_version("geintegreerde-lasopdracht")


def _draft_bedrijfsfiche():
    return _bedrijfsfiche_version("veilig-lassen")


def _bedrijfsfiche_photo():
    return _published_bedrijfsfiche().photos.first()


SECTOR = "Sectoraal Partnerschap Technologische Industrie"


def _sector_draft_version():
    """A draft of the sector body's welding set: only the sector body's members read it."""
    from learning.models import LeerficheSet
    from learning.services import versions

    leerfiche_set = LeerficheSet.objects.get(
        owner__name=SECTOR, opleiding__code="lassen-constructie"
    )
    return versions.start_draft(leerfiche_set=leerfiche_set)


def _sector_draft_only_set():
    """A set of the sector body with nothing published yet (readable by its members only)."""
    from learning.models import LeerficheSet, Opleiding
    from learning.services import versions

    owner = Organisation.objects.get(name=SECTOR)
    existing = LeerficheSet.objects.filter(owner=owner, name="Conceptset").first()
    if existing:
        return existing
    return versions.create_set(
        owner=owner,
        opleiding=Opleiding.objects.get(code="lassen-constructie"),
        name="Conceptset",
    ).leerfiche_set


def _lotte_session():
    """A practice session of Lotte's appendix-2 leerfiche (made on first use)."""
    from evaluation.models import Session
    from learning.selectors.traject_leerfiches import adopted_version

    lotte = _lotte()
    existing = Session.objects.filter(traject=lotte).order_by("pk").first()
    if existing:
        return existing
    fiche = adopted_version(traject=lotte).leerfiches.get(key="geintegreerde-lasopdracht")
    return Session.objects.create(
        traject=lotte,
        leerfiche=fiche,
        leerfiche_key=fiche.key,
        date=lotte.placements.order_by("start_date").first().start_date,
    )


# Lotte's contract (company X): the school side, company X's members on her traject, Lotte and
# her mother — not the training centre (decision 0018).
READ_LOTTES_CONTRACT = SEE_LOTTE - {"oc@octl.demo"}


def _contract_url(suffix: str) -> Callable[[], str]:
    def build() -> str:
        from contracts.models import Contract

        contract = Contract.objects.get(traject=_lotte())
        return f"/trajects/{_lotte().public_id}/contracts/{contract.public_id}/{suffix}"

    return build


def _session_url(suffix: str = "") -> Callable[[], str]:
    return lambda: f"/sessions/{_lotte_session().public_id}/{suffix}"


def _lotte_contract_url(suffix: str = "") -> str:
    from contracts.models import Contract

    contract = Contract.objects.get(traject=_lotte())
    return f"/trajects/{_lotte().public_id}/contracts/{contract.public_id}/checklist/{suffix}"


def _lotte_proof_url() -> str:
    """Lotte's risk analysis with an uploaded proof, so a 404 is about access, not absence."""
    from django.core.files.base import ContentFile

    from contracts.models import ChecklistItem

    item = ChecklistItem.objects.get(contract__traject=_lotte(), code="risicoanalyse")
    if not item.proof:
        item.proof.save("proof.pdf", ContentFile(b"%PDF-1.4 proof"), save=True)
    return _lotte_contract_url("risicoanalyse/proof/")


# Who reads Lotte's contract (tests/isolation/test_contracts_access.py): her school, her
# company (not the training centre), she and her parent.
READ_LOTTE_CONTRACT = SEE_LOTTE - {"oc@octl.demo"}


def _mentor_profile_url(suffix: str = "") -> str:
    """The profile of mentor@vandenberghe.demo, with a training certificate on file."""
    from django.core.files.base import ContentFile

    from accounts.models import User
    from recognition.models import MentorProfile

    mentor = User.objects.get(email="mentor@vandenberghe.demo")
    profile, _created = MentorProfile.objects.get_or_create(user=mentor)
    if not profile.training_certificate:
        profile.training_certificate.save(
            "getuigschrift.pdf", ContentFile(b"%PDF-1.4 certificate"), save=True
        )
    return f"/organisations/{_company_x().public_id}/mentors/{mentor.public_id}/profile/{suffix}"


def _vandenberghe_recognition_url(suffix: str = "") -> str:
    """Vandenberghe's recognition for Lassen-Constructie (the demo's): its people and the
    sector body it was routed to see it."""
    from recognition.models import Recognition

    recognition = Recognition.objects.get(
        company=_company_x(), opleiding__code="lassen-constructie", status="recognised"
    )
    return f"/recognitions/requests/{recognition.public_id}/{suffix}"


def _mandated_request_url() -> str:
    """A draft request school A filed for Daems with a mandate (made on first use)."""
    from django.core.files.base import ContentFile

    from accounts.models import User
    from learning.models import Opleiding
    from organisations.models import Vestiging
    from recognition.models import Recognition
    from recognition.services import recognition_create

    recognition = Recognition.objects.filter(filed_by_school=_school_a()).first()
    if recognition is None:
        recognition = recognition_create(
            actor=User.objects.get(email="coord@sintjozef.demo"),
            company=Organisation.objects.get(name="Koeltechniek Daems"),
            vestiging=Vestiging.objects.get(vestigingsnummer="2345678249"),
            opleiding=Opleiding.objects.get(code="mechanische-vormgeving"),
            ondernemingsnummer="0735412626",
            vestigingsnummer="2345678249",
            filed_by_school=_school_a(),
            mandate=ContentFile(b"%PDF-1.4 mandate", name="machtiging.pdf"),
            sworn_statement=ContentFile(b"%PDF-1.4 statement", name="verklaring.pdf"),
        )
    return f"/recognitions/requests/{recognition.public_id}/files/machtiging/"


# Who reads Vandenberghe's recognition: its people and the sector body handling it.
SEE_X_RECOGNITION = COMPANY_X_MEMBERS | SECTOR_MEMBERS
# A request school A filed for Daems: Daems' people and school A's (a draft: not the sector).
SEE_MANDATED_REQUEST = {"coord@daems.demo", "mentor@daems.demo"} | SCHOOL_A_MEMBERS

# Who sees Daems' pending recognition request for Onderhoudsmechanica: the company's people
# (403 on the consultant's pages) and the sector body it is routed to.
SEE_DAEMS_REQUEST = frozenset({"mentor@daems.demo", "coord@daems.demo", "consulent@sector.demo"})


def _daems_request():
    from recognition.models import Recognition

    return Recognition.objects.get(opleiding__code="onderhoudsmechanica")


def _daems_request_url(suffix: str = "") -> Callable[[], str]:
    return lambda: f"/recognitions/inbox/{_daems_request().public_id}/{suffix}"


TENANT_SCOPED: dict[str, Scoped] = {
    # --- recognition: the company's side (issue 12) ---
    # A mentor profile: the company's people reach it (403 but for its coördinator,
    # administrators and the mentor themself).
    "recognition:mentor_profile": Scoped(_mentor_profile_url, frozenset(COMPANY_X_MEMBERS)),
    "recognition:mentor_profile_file": Scoped(
        lambda: _mentor_profile_url("getuigschrift/"), frozenset(COMPANY_X_MEMBERS)
    ),
    "recognition:company_requests": Scoped(
        lambda: f"/organisations/{_company_x().public_id}/recognitions/",
        frozenset(COMPANY_X_MEMBERS),
    ),
    "recognition:company_request_create": Scoped(
        lambda: f"/organisations/{_company_x().public_id}/recognitions/new/",
        frozenset(COMPANY_X_MEMBERS),
    ),
    "recognition:company_request_detail": Scoped(
        _vandenberghe_recognition_url, frozenset(SEE_X_RECOGNITION)
    ),
    "recognition:company_request_mentors": Scoped(
        lambda: _vandenberghe_recognition_url("mentors/"), frozenset(SEE_X_RECOGNITION)
    ),
    "recognition:company_request_submit": Scoped(
        lambda: _vandenberghe_recognition_url("submit/"), frozenset(SEE_X_RECOGNITION)
    ),
    "recognition:company_request_withdraw": Scoped(
        lambda: _vandenberghe_recognition_url("withdraw/"), frozenset(SEE_X_RECOGNITION)
    ),
    "recognition:company_request_appeal": Scoped(
        lambda: _vandenberghe_recognition_url("appeal/"), frozenset(SEE_X_RECOGNITION)
    ),
    "recognition:company_request_file": Scoped(
        _mandated_request_url, frozenset(SEE_MANDATED_REQUEST)
    ),
    # --- recognition: the sector consultant's side (issue 12) ---
    "recognition:consultant_detail": Scoped(_daems_request_url(), SEE_DAEMS_REQUEST),
    "recognition:consultant_complete": Scoped(_daems_request_url("complete/"), SEE_DAEMS_REQUEST),
    "recognition:consultant_visit_plan": Scoped(_daems_request_url("visit/"), SEE_DAEMS_REQUEST),
    "recognition:consultant_visit_record": Scoped(
        _daems_request_url("visit/report/"), SEE_DAEMS_REQUEST
    ),
    "recognition:consultant_decide": Scoped(_daems_request_url("decision/"), SEE_DAEMS_REQUEST),
    "recognition:consultant_appeal": Scoped(_daems_request_url("appeal/"), SEE_DAEMS_REQUEST),
    # --- contracts: the start checklist of a contract (issue 11) ---
    "contracts:checklist": Scoped(lambda: _lotte_contract_url(), frozenset(READ_LOTTE_CONTRACT)),
    "contracts:checklist_proof": Scoped(_lotte_proof_url, frozenset(READ_LOTTE_CONTRACT)),
    # --- evaluation: the student's day and the opdracht session sheet (issue 10) ---
    # Whoever sees Lotte's traject reads; only she (day) or the team (sheet) write.
    "evaluation:day": Scoped(lambda: f"/trajects/{_lotte().public_id}/day/", frozenset(SEE_LOTTE)),
    "evaluation:day_rate": Scoped(
        lambda: (
            f"/trajects/{_lotte().public_id}/day/"
            f"{_lotte().placements.order_by('start_date').first().start_date.isoformat()}/"
            "lasnaadvoorbereiding/"
        ),
        frozenset(SEE_LOTTE),
    ),
    "evaluation:session_list": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/leerfiches/geintegreerde-lasopdracht/sessions/",
        frozenset(SEE_LOTTE),
    ),
    "evaluation:session_detail": Scoped(_session_url(), frozenset(SEE_LOTTE)),
    "evaluation:session_details": Scoped(_session_url("details/"), frozenset(SEE_LOTTE)),
    "evaluation:session_column": Scoped(_session_url("column/"), frozenset(SEE_LOTTE)),
    "evaluation:session_werkpunt": Scoped(_session_url("werkpunten/"), frozenset(SEE_LOTTE)),
    # --- learning: the catalogue (published: every member; the draft: the sector body) ---
    "learning:set_detail": Scoped(
        lambda: f"/leerfiches/sets/{_isolation_published().leerfiche_set.public_id}/",
        frozenset(MEMBERS),
    ),
    "learning:set_edit": Scoped(
        lambda: f"/leerfiches/sets/{_isolation_published().leerfiche_set.public_id}/edit/",
        frozenset(MEMBERS),
    ),
    "learning:editor_add": Scoped(
        lambda: f"/leerfiches/sets/{_isolation_published().leerfiche_set.public_id}/editors/add/",
        frozenset(MEMBERS),
    ),
    "learning:editor_remove": Scoped(
        lambda: (
            f"/leerfiches/sets/{_isolation_published().leerfiche_set.public_id}/editors/"
            f"{_isolation_published().leerfiche_set.editors.first().pk}/remove/"
        ),
        frozenset(MEMBERS),
    ),
    "learning:version_detail": Scoped(
        lambda: f"/leerfiches/versions/{_isolation_draft().public_id}/", frozenset(SECTOR_MEMBERS)
    ),
    "learning:version_publish": Scoped(
        lambda: f"/leerfiches/versions/{_isolation_draft().public_id}/publish/",
        frozenset(SECTOR_MEMBERS),
    ),
    "learning:version_discard": Scoped(
        lambda: f"/leerfiches/versions/{_isolation_draft().public_id}/discard/",
        frozenset(SECTOR_MEMBERS),
    ),
    "learning:theme_add": Scoped(
        lambda: f"/leerfiches/versions/{_isolation_draft().public_id}/themes/add/",
        frozenset(SECTOR_MEMBERS),
    ),
    "learning:theme_edit": Scoped(_theme_url("edit"), frozenset(SECTOR_MEMBERS)),
    "learning:theme_move": Scoped(_theme_url("move"), frozenset(SECTOR_MEMBERS)),
    "learning:theme_delete": Scoped(_theme_url("delete"), frozenset(SECTOR_MEMBERS)),
    "learning:leerfiche_add": Scoped(
        lambda: f"/leerfiches/versions/{_isolation_draft().public_id}/leerfiches/add/",
        frozenset(SECTOR_MEMBERS),
    ),
    "learning:leerfiche_detail": Scoped(_leerfiche_url(""), frozenset(SECTOR_MEMBERS)),
    "learning:leerfiche_edit": Scoped(_leerfiche_url("edit/"), frozenset(SECTOR_MEMBERS)),
    "learning:leerfiche_move": Scoped(_leerfiche_url("move/"), frozenset(SECTOR_MEMBERS)),
    "learning:leerfiche_delete": Scoped(_leerfiche_url("delete/"), frozenset(SECTOR_MEMBERS)),
    "learning:item_add": Scoped(_leerfiche_url("items/add/leerdoel/"), frozenset(SECTOR_MEMBERS)),
    "learning:item_edit": Scoped(_item_url("edit"), frozenset(SECTOR_MEMBERS)),
    "learning:item_move": Scoped(_item_url("move"), frozenset(SECTOR_MEMBERS)),
    "learning:item_delete": Scoped(_item_url("delete"), frozenset(SECTOR_MEMBERS)),
    "learning:criterion_add": Scoped(_leerfiche_url("criteria/add/"), frozenset(SECTOR_MEMBERS)),
    "learning:criterion_edit": Scoped(_criterion_url("edit"), frozenset(SECTOR_MEMBERS)),
    "learning:criterion_move": Scoped(_criterion_url("move"), frozenset(SECTOR_MEMBERS)),
    "learning:criterion_delete": Scoped(_criterion_url("delete"), frozenset(SECTOR_MEMBERS)),
    # The leerfiches of Lotte's traject: whoever sees the traject (her parent included).
    "learning:traject_leerfiches": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/leerfiches/", frozenset(SEE_LOTTE)
    ),
    # The soft-skill sheet (appendix 3): whoever sees Lotte reads it (her parent too); the
    # student and the team's evaluators write their own column.
    "evaluation:softskills": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/soft-skills/", frozenset(SEE_LOTTE)
    ),
    "learning:traject_leerfiche": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/leerfiches/{_lotte_plan_fiche().public_id}/",
        frozenset(SEE_LOTTE),
    ),
    # A draft is read by the owner's members (a published version by every member of an
    # organisation: tests/learning/test_interchange.py).
    "learning:version_export": Scoped(
        lambda: f"/leerfiches/versions/{_sector_draft_version().public_id}/export.json",
        frozenset({"consulent@sector.demo"}),
    ),
    "learning:set_import_draft": Scoped(
        lambda: f"/leerfiches/sets/{_sector_draft_only_set().public_id}/import/",
        frozenset({"consulent@sector.demo"}),
    ),
    # Recognition, the school's side: a company's listing in the partner search (its
    # administrators edit, its other members get 403); school A's programmatie request.
    "recognition:partner_listing": Scoped(
        lambda: f"/recognition/companies/{_company_x().public_id}/listing/",
        frozenset(COMPANY_X_MEMBERS),
    ),
    "recognition:programmatie_detail": Scoped(
        lambda: f"/recognition/programmatie/{_programmatie_of_school_a().public_id}/",
        frozenset(SCHOOL_A_MEMBERS),
    ),
    "recognition:programmatie_step": Scoped(
        lambda: f"/recognition/programmatie/{_programmatie_of_school_a().public_id}/lapse/",
        frozenset(SCHOOL_A_MEMBERS),
    ),
    "organisations:organisation_detail": Scoped(
        lambda: f"/organisations/{_company_x().public_id}/", frozenset(COMPANY_X_MEMBERS)
    ),
    "organisations:organisation_edit": Scoped(
        lambda: f"/organisations/{_company_x().public_id}/edit/", frozenset(COMPANY_X_MEMBERS)
    ),
    "partnerships:company_overview": Scoped(
        lambda: f"/organisations/{_company_x().public_id}/students/", frozenset(COMPANY_X_MEMBERS)
    ),
    # The company director's dashboard: the company's members reach it (its directie gets the
    # page, its other members 403: tests/dashboards/test_company.py); everyone else 404.
    "dashboards:company": Scoped(
        lambda: f"/dashboards/bedrijf/{_company_x().public_id}/", frozenset(COMPANY_X_MEMBERS)
    ),
    "partnerships:student_create": Scoped(
        lambda: f"/organisations/{_school_a().public_id}/students/new/", frozenset(SCHOOL_A_MEMBERS)
    ),
    "partnerships:student_import": Scoped(
        lambda: f"/organisations/{_school_a().public_id}/students/import/",
        frozenset(SCHOOL_A_MEMBERS),
    ),
    "partnerships:student_import_template": Scoped(
        lambda: f"/organisations/{_school_a().public_id}/students/import/template.csv",
        frozenset(SCHOOL_A_MEMBERS),
    ),
    "partnerships:student_import_detail": Scoped(
        lambda: (
            f"/organisations/{_school_a().public_id}/students/import/{_import_of_school_a().public_id}/"
        ),
        frozenset(SCHOOL_A_MEMBERS),
    ),
    "partnerships:partnership_detail": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/", frozenset(SEE_A1)
    ),
    "partnerships:team_member_add": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/team/add/", frozenset(SEE_A1)
    ),
    "partnerships:team_member_remove": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/team/{_a1().team.first().pk}/remove/",
        frozenset(SEE_A1),
    ),
    "partnerships:company_add": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/companies/add/", frozenset(SEE_A1)
    ),
    "partnerships:raci_matrix": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/raci/", frozenset(SEE_A1)
    ),
    # The coverage matrix is a team tool: students and parents do not see the partnership.
    "learning:coverage": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/coverage/", frozenset(SEE_A1)
    ),
    "partnerships:raci_cell": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/raci/klassenraad/mentor/", frozenset(SEE_A1)
    ),
    "partnerships:traject_create": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/trajects/new/", frozenset(SEE_A1)
    ),
    "partnerships:invitation_create": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/invitations/new/", frozenset(SEE_A1)
    ),
    "partnerships:invitation_resend": Scoped(
        lambda: (
            f"/partnerships/{_a1().public_id}/invitations/{_invitation_of_a1().public_id}/resend/"
        ),
        frozenset(SEE_A1),
    ),
    "partnerships:invitation_revoke": Scoped(
        lambda: (
            f"/partnerships/{_a1().public_id}/invitations/{_invitation_of_a1().public_id}/revoke/"
        ),
        frozenset(SEE_A1),
    ),
    "partnerships:student_contact_add": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/contacts/add/", frozenset(SEE_LOTTE)
    ),
    "partnerships:student_account_invite": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/accounts/student/invite/", frozenset(SEE_LOTTE)
    ),
    "partnerships:contact_account_invite": Scoped(
        lambda: (
            f"/trajects/{_lotte().public_id}/contacts/{_lotte().student.contacts.first().pk}/invite/"
        ),
        frozenset(SEE_LOTTE),
    ),
    "partnerships:account_invitation_resend": Scoped(
        lambda: (
            f"/trajects/{_lotte().public_id}/account-invitations/{_account_invitation_of_lotte().public_id}/resend/"
        ),
        frozenset(SEE_LOTTE),
    ),
    "partnerships:account_invitation_revoke": Scoped(
        lambda: (
            f"/trajects/{_lotte().public_id}/account-invitations/{_account_invitation_of_lotte().public_id}/revoke/"
        ),
        frozenset(SEE_LOTTE),
    ),
    # A notification belongs to its recipient alone.
    "notifications:notification_read": Scoped(
        lambda: f"/notifications/{_notification_of_coord().public_id}/read/",
        frozenset({"coord@sintjozef.demo"}),
    ),
    # One pattern for every registered kind; the RACI kind here, every kind of the demo in
    # tests/documents/test_views.py (cross-tenant matrix).
    "documents:document_request": Scoped(
        lambda: f"/documents/request/raci/{_a1().public_id}/", frozenset(SEE_A1)
    ),
    # A generated document belongs to its requester, while they may still see its subject.
    "documents:document_detail": Scoped(
        lambda: f"/documents/{_raci_doc_a1().public_id}/", frozenset({"coord@sintjozef.demo"})
    ),
    "documents:document_download": Scoped(
        lambda: f"/documents/{_raci_doc_a1().public_id}/download/",
        frozenset({"coord@sintjozef.demo"}),
    ),
    # learning: bedrijfsfiches (issue 9)
    "learning:bedrijfsfiche_list": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/bedrijfsfiches/", frozenset(SEE_A1)
    ),
    "learning:bedrijfsfiche_create": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/bedrijfsfiches/new/", frozenset(SEE_A1)
    ),
    "learning:bedrijfsfiche_detail": Scoped(
        lambda: f"/bedrijfsfiches/{_published_bedrijfsfiche().public_id}/",
        frozenset(SEE_A1_PUBLISHED_BEDRIJFSFICHE),
    ),
    "learning:bedrijfsfiche_edit": Scoped(
        lambda: f"/bedrijfsfiches/{_draft_bedrijfsfiche().public_id}/edit/", frozenset(SEE_A1)
    ),
    "learning:bedrijfsfiche_publish": Scoped(
        lambda: f"/bedrijfsfiches/{_draft_bedrijfsfiche().public_id}/publish/", frozenset(SEE_A1)
    ),
    "learning:bedrijfsfiche_new_draft": Scoped(
        lambda: f"/bedrijfsfiches/{_published_bedrijfsfiche().public_id}/new-draft/",
        frozenset(SEE_A1_PUBLISHED_BEDRIJFSFICHE),
    ),
    "learning:bedrijfsfiche_photo_add": Scoped(
        lambda: f"/bedrijfsfiches/{_draft_bedrijfsfiche().public_id}/photos/add/",
        frozenset(SEE_A1),
    ),
    "learning:bedrijfsfiche_photo": Scoped(
        lambda: f"/bedrijfsfiches/photos/{_bedrijfsfiche_photo().public_id}/",
        frozenset(SEE_A1_PUBLISHED_BEDRIJFSFICHE),
    ),
    "learning:bedrijfsfiche_photo_edit": Scoped(
        lambda: f"/bedrijfsfiches/photos/{_bedrijfsfiche_photo().public_id}/caption/",
        frozenset(SEE_A1_PUBLISHED_BEDRIJFSFICHE),
    ),
    "learning:bedrijfsfiche_photo_move": Scoped(
        lambda: f"/bedrijfsfiches/photos/{_bedrijfsfiche_photo().public_id}/move/",
        frozenset(SEE_A1_PUBLISHED_BEDRIJFSFICHE),
    ),
    "learning:bedrijfsfiche_photo_remove": Scoped(
        lambda: f"/bedrijfsfiches/photos/{_bedrijfsfiche_photo().public_id}/remove/",
        frozenset(SEE_A1_PUBLISHED_BEDRIJFSFICHE),
    ),
    "learning:traject_bedrijfsfiches": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/bedrijfsfiches/", frozenset(SEE_LOTTE)
    ),
    "partnerships:traject_detail": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/", frozenset(SEE_LOTTE)
    ),
    "partnerships:traject_edit": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/edit/", frozenset(SEE_LOTTE)
    ),
    # Subject access to a student's file: whoever sees Lotte reaches it (403 unless the
    # school's student manager or a parent of the minor; tests/test_privacy_export.py).
    "partnerships:student_data": Scoped(
        lambda: f"/students/{_lotte().student.public_id}/my-data/", frozenset(SEE_LOTTE)
    ),
    "partnerships:student_erase": Scoped(
        lambda: f"/students/{_lotte().student.public_id}/my-data/erase/", frozenset(SEE_LOTTE)
    ),
    "partnerships:student_data_export": Scoped(
        lambda: f"/students/{_lotte().student.public_id}/my-data/export.json",
        frozenset(SEE_LOTTE),
    ),
    "partnerships:traject_klassenraad": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/klassenraad/", frozenset(SEE_LOTTE)
    ),
    "partnerships:traject_delete": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/delete/", frozenset(SEE_LOTTE)
    ),
    "partnerships:placement_create": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/placements/new/", frozenset(SEE_LOTTE)
    ),
    "partnerships:placement_delete": Scoped(
        lambda: (
            f"/trajects/{_lotte().public_id}/placements/{_lotte().placements.first().public_id}/delete/"
        ),
        frozenset(SEE_LOTTE),
    ),
    "partnerships:placement_edit": Scoped(
        lambda: (
            f"/trajects/{_lotte().public_id}/placements/{_lotte().placements.first().public_id}/edit/"
        ),
        frozenset(SEE_LOTTE),
    ),
    # learning: the opleidingsplan (learning/views/plans.py)
    "learning:plan_detail": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/plan/", frozenset(SEE_A1)
    ),
    "learning:plan_adopt": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/plan/adopt/", frozenset(SEE_A1)
    ),
    "learning:plan_comment_add": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/plan/comments/", frozenset(SEE_A1)
    ),
    "learning:plan_cell": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/plan/cells/{_plan_cell_of(_plan_of_a1())}",
        frozenset(SEE_A1),
    ),
    "learning:period_list": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/plan/periods/", frozenset(SEE_A1)
    ),
    "learning:period_defaults": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/plan/periods/defaults/", frozenset(SEE_A1)
    ),
    "learning:period_edit": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/plan/periods/{_a1().periods.first().pk}/",
        frozenset(SEE_A1),
    ),
    "learning:period_remove": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/plan/periods/{_a1().periods.first().pk}/remove/",
        frozenset(SEE_A1),
    ),
    "learning:offer_edit": Scoped(
        lambda: f"/partnerships/{_a1().public_id}/plan/offers/{_vestiging_of_a1().public_id}/",
        frozenset(SEE_A1),
    ),
    "learning:traject_plan": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/plan/", frozenset(SEE_LOTTE)
    ),
    "learning:traject_plan_cell": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/plan/cells/{_plan_cell_of(_lottes_plan())}",
        frozenset(SEE_LOTTE),
    ),
    "learning:traject_plan_override": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/plan/own/", frozenset(SEE_LOTTE)
    ),
    "learning:traject_plan_drop": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/plan/own/drop/", frozenset(SEE_LOTTE)
    ),
    # evaluation: the mentor's weekly check-in (403 for who sees Lotte but does not write
    # the mentor column: the school, the student, her parents).
    "evaluation:checkin_current": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/checkins/", frozenset(SEE_LOTTE)
    ),
    "evaluation:checkin": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/checkins/{_this_monday()}/", frozenset(SEE_LOTTE)
    ),
    # evaluation: the triangulation and the progress of Lotte, read by whoever sees her traject
    # (a POST is 403 for them, 404 for everyone else).
    "evaluation:triangulation": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/evaluations/triangulation/", frozenset(SEE_LOTTE)
    ),
    "evaluation:progress": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/evaluations/progress/", frozenset(SEE_LOTTE)
    ),
    # contracts: the contracts of Lotte's traject (whoever sees her traject; the list holds
    # only the contracts they read) and her contract with company X, read by its readers
    # (the training centre is no party: 404); its actions are 403 for readers without
    # "Opmaken contracten".
    "contracts:traject_contracts": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/contracts/", frozenset(SEE_LOTTE)
    ),
    "contracts:contract_create": Scoped(
        lambda: f"/trajects/{_lotte().public_id}/contracts/new/", frozenset(SEE_LOTTE)
    ),
    **{
        name: Scoped(_contract_url(suffix), frozenset(READ_LOTTES_CONTRACT))
        for name, suffix in (
            ("contracts:contract", ""),
            ("contracts:contract_edit", "edit/"),
            ("contracts:contract_send", "send/"),
            ("contracts:contract_register", "register/"),
            ("contracts:contract_suspend", "suspend/"),
            ("contracts:contract_resume", "resume/"),
            ("contracts:contract_end", "end/"),
        )
    },
    # contracts: signing and the stored PDFs of Lotte's contract with Vandenberghe, for its
    # readers (tests/isolation/test_contracts_access.py): not the training centre, not Daems.
    "contracts:sign": Scoped(
        lambda: f"/contracts/{_lotte_contract().public_id}/sign/", frozenset(READ_LOTTE_CONTRACT)
    ),
    "contracts:pdf": Scoped(
        lambda: f"/contracts/{_lotte_contract().public_id}/pdf/", frozenset(READ_LOTTE_CONTRACT)
    ),
    "contracts:pdf_download": Scoped(
        lambda: f"/contracts/{_lotte_contract().public_id}/pdf/{_lotte_contract_pdf().public_id}/",
        frozenset(READ_LOTTE_CONTRACT),
    ),
}


def _lotte_contract():
    from contracts.models import Contract

    return Contract.objects.get(traject=_lotte())


def _lotte_contract_pdf():
    """A stored PDF of Lotte's contract (the demo's is taken over, signed on paper)."""
    from contracts import pdf
    from contracts.models import PdfKind

    contract = _lotte_contract()
    return pdf.stored_pdf(contract) or pdf._store(contract, PdfKind.TO_SIGN, b"%PDF-1.7 isolation")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found += _walk(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            found.append((prefix + str(entry.pattern), name))
    return found


def test_every_url_pattern_is_classified():
    known = PUBLIC | AUTHENTICATED | set(TENANT_SCOPED)
    unclassified = [
        (route, name)
        for route, name in _walk(get_resolver())
        if not route.startswith(PLATFORM_ADMIN_PREFIX) and name not in known
    ]
    assert unclassified == [], f"classify these URL patterns in {__file__}: {unclassified}"


def test_authenticated_urls_require_login(client, db):
    from django.urls import reverse

    for name in AUTHENTICATED - {"organisations:organisation_switch"}:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_admin_is_closed_to_tenant_users(client, demo_cast, login):
    login("coord@vandenberghe.demo")  # an organisation admin is not platform staff
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _snapshot() -> dict[str, list]:
    """Every row of the tenant data and the audit trail, to prove a refused request changed
    nothing (and recorded nothing)."""
    tables = {}
    for label in ("partnerships", "learning", "recognition", "duaal"):
        for model in apps.get_app_config(label).get_models():
            tables[model.__name__] = list(model.objects.order_by("pk").values())
    return tables


@pytest.mark.parametrize("name", sorted(TENANT_SCOPED))
def test_other_side_gets_404_and_changes_nothing(client, tenant_objects, login, name):
    scoped = TENANT_SCOPED[name]
    url = scoped.build()
    outsiders = sorted(ALL - scoped.insiders)
    assert outsiders, name
    before = _snapshot()
    for email in outsiders:
        client.logout()
        login(email)
        for htmx in (False, True):
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = client.get(url, **headers)
            assert response.status_code in {404, 405}, (
                email,
                url,
                "GET",
                htmx,
                response.status_code,
            )
            response = client.post(
                url, {"name": "Overgenomen", "letter": "A", "email": "x@y.z"}, **headers
            )
            # 405 only for a read-only page: the same answer for every id, so nothing leaks.
            assert response.status_code in {404, 405}, (
                email,
                url,
                "POST",
                htmx,
                response.status_code,
            )
            if response.status_code == 405:
                assert client.get(url, **headers).status_code == 404
    assert _snapshot() == before, f"a refused request changed data: {name}"


@pytest.mark.parametrize("name", sorted(TENANT_SCOPED))
def test_anonymous_is_sent_to_login(client, tenant_objects, name):
    url = TENANT_SCOPED[name].build()
    response = client.get(url)
    assert response.status_code in {302, 405}, (url, response.status_code)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
