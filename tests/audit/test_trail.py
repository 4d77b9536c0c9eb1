"""The audit trail: what services record, from which request, and that it is append-only."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_set_language
from duaal import audit
from duaal.models import AuditEntry, AuditTrailIsAppendOnly
from organisations.models import Organisation
from organisations.services import organisation_update
from partnerships import audit as trail
from partnerships.models import (
    Partnership,
    StudentImport,
    TeamMember,
    Traject,
    TrajectStatus,
)
from partnerships.services.imports import student_import_run, student_import_start
from partnerships.services.invitations import invitation_accept, invitation_create
from partnerships.services.partnerships import raci_set_letter, team_member_remove
from partnerships.services.trajects import placement_update, traject_delete, traject_update

pytestmark = pytest.mark.django_db

SINT_JOZEF = "Technisch Instituut Sint-Jozef"


def user(email: str) -> User:
    return User.objects.get(email=email)


def lotte() -> Traject:
    return Traject.objects.select_related("partnership", "student").get(student__first_name="Lotte")


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name=SINT_JOZEF)


def entries(action: str, **filters) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, **filters).order_by("id"))


# --- the placement change of the issue, through the page ------------------------------------


def _placement_post(traject: Traject, **overrides) -> dict[str, object]:
    placement = traject.placements.get()
    entry = traject.partnership.companies.get(
        company=placement.company, vestiging=placement.vestiging
    )
    data = {
        "company_vestiging": entry.pk,
        "start_date": placement.start_date.isoformat(),
        "end_date": placement.end_date.isoformat(),
        "monday": placement.monday,
        "tuesday": placement.tuesday,
        "wednesday": placement.wednesday,
        "thursday": placement.thursday,
        "friday": placement.friday,
        "workplace_hours_per_week": str(placement.workplace_hours_per_week),
        "mentors": list(
            placement.supervisors.filter(kind="mentor").values_list("user_id", flat=True)
        ),
        "begeleiders": [],
    }
    data.update(overrides)
    return data


def test_a_placement_change_is_recorded_with_who_what_when_and_the_request(
    client, demo_cast, login
):
    traject = lotte()
    placement = traject.placements.get()
    old_end = placement.end_date
    new_end = old_end - dt.timedelta(days=30)
    old_friday, old_hours = placement.friday, placement.workplace_hours_per_week
    new_hours = old_hours + Decimal("1.5")
    assert old_friday != "free"
    login("coord@sintjozef.demo")
    before = dt.datetime.now(dt.UTC)
    response = client.post(
        f"/trajects/{traject.public_id}/placements/{placement.public_id}/edit/",
        _placement_post(
            traject,
            end_date=new_end.isoformat(),
            friday="free",
            workplace_hours_per_week=str(new_hours),
            mentors=[user("mentor2@vandenberghe.demo").pk],
        ),
        HTTP_USER_AGENT="Mozilla/5.0 (Testphone)",
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    [entry] = entries("placement.update")
    coord = user("coord@sintjozef.demo")
    # who
    assert (entry.actor_kind, entry.actor_id, entry.actor_label) == ("user", coord.pk, str(coord))
    school = Organisation.objects.get(name=SINT_JOZEF)
    assert (entry.organisation_id, entry.organisation_label) == (school.pk, SINT_JOZEF)
    # what
    assert (entry.object_type, entry.object_id) == ("partnerships.placement", str(placement.pk))
    assert entry.object_label == "Metaalbouw Vandenberghe"
    assert entry.changes == {
        "end_date": [old_end.isoformat(), new_end.isoformat()],
        "friday": [old_friday, "free"],
        "workplace_hours_per_week": [str(old_hours), str(new_hours)],
        "mentors": [
            [{"id": user("mentor@vandenberghe.demo").pk, "label": "Patrick Hermans"}],
            [
                {
                    "id": user("mentor2@vandenberghe.demo").pk,
                    "label": str(user("mentor2@vandenberghe.demo")),
                }
            ],
        ],
    }
    # when, and where it is listed
    assert before <= entry.at <= dt.datetime.now(dt.UTC)
    assert (entry.traject_id, entry.partnership_id) == (traject.pk, traject.partnership_id)
    assert entry.student_id == traject.student_id
    # from which request
    assert entry.source == "web"
    assert entry.request_id == response["X-Request-ID"] and len(entry.request_id) == 32
    assert (entry.method, entry.path) == ("POST", response.request["PATH_INFO"])
    assert entry.ip_address == "192.0.2.7"
    assert entry.user_agent == "Mozilla/5.0 (Testphone)"


def test_an_unchanged_placement_records_nothing(client, demo_cast, login):
    traject = lotte()
    placement = traject.placements.get()
    login("coord@sintjozef.demo")
    response = client.post(
        f"/trajects/{traject.public_id}/placements/{placement.public_id}/edit/",
        _placement_post(traject),
    )
    assert response.status_code == 302
    assert not entries("placement.update")


def test_the_client_address_behind_the_proxy(client, demo_cast, login, settings):
    settings.DUAAL_PROXY_COUNT = 1
    traject = lotte()
    login("coord@sintjozef.demo")
    client.post(
        f"/trajects/{traject.public_id}/edit/",
        {"intake_notes": "Nieuw", "beginsituatie": "", "status": "running"},
        HTTP_X_FORWARDED_FOR="198.51.100.9",
        REMOTE_ADDR="10.0.0.2",
    )
    [entry] = entries("traject.update")
    assert entry.ip_address == "198.51.100.9"


# --- services ---------------------------------------------------------------------------------


def test_traject_update_records_old_and_new_values(demo_cast):
    traject = lotte()
    old_status = traject.status
    traject_update(
        actor=user("tb@sintjozef.demo"),
        traject=traject,
        data={
            "status": TrajectStatus.STOPPED,
            "beginsituatie": traject.beginsituatie,
            "end_reason": "Verhuisd",
        },
    )
    # Ending a traject is its own action, with the reason (issue 8).
    [entry] = entries("traject.end")
    today = timezone.localdate()
    # Lotte's running contract ends with the traject, listed in this ONE entry (contracts app,
    # decision 0018): the same day, the same reason, its placement ends that day.
    assert entry.changes == {
        "status": [old_status, "stopped"],
        "end_reason": ["", "Verhuisd"],
        "ended_on": [None, today.isoformat()],
        "contracts": [
            ["Metaalbouw Vandenberghe: Lopend"],
            [
                f"Metaalbouw Vandenberghe: Vroegtijdig beëindigd ({today.day}/{today.month}/{today.year})"
            ],
        ],
        "placements_ended": [0, 1],
    }
    assert entry.source == "system"  # no request, task or command: the system's context
    assert entry.actor_id == user("tb@sintjozef.demo").pk


def test_a_deleted_traject_keeps_its_history(demo_cast):
    traject = lotte()
    pk = traject.pk
    traject_update(
        actor=user("coord@sintjozef.demo"), traject=traject, data={"beginsituatie": "Sterk"}
    )
    traject_delete(actor=user("coord@sintjozef.demo"), traject=traject)
    # (The demo's evaluations of Lotte are in her history too.)
    actions = list(
        AuditEntry.objects.filter(traject_id=pk, action__startswith="traject.").values_list(
            "action", flat=True
        )
    )
    assert actions == ["traject.delete", "traject.update"]  # newest first
    [deleted] = entries("traject.delete")
    assert deleted.changes["beginsituatie"] == ["Sterk", None]


def test_raci_letter_moves_record_both_roles(demo_cast):
    coord = user("coord@sintjozef.demo")
    partnership = a1()
    cells = dict(partnership.raci_cells.filter(task="contracten").values_list("role", "letter"))
    accountable = next(role for role, letter in cells.items() if "A" in letter)
    target = next(role for role in ("leerkracht", "trajectbegeleider") if role != accountable)
    demoted = raci_set_letter(
        actor=coord, partnership=partnership, task="contracten", role=target, letter="A"
    )
    assert demoted == accountable
    recorded = {
        tuple(entry.changes["letter"])
        for entry in entries("raci.set", partnership_id=partnership.pk)
    }
    assert recorded == {(cells.get(target, ""), "A"), (cells[accountable], "R")}


def test_removing_a_mentor_records_the_team_change_and_the_placements(demo_cast):
    # Tom Lambrechts (mentor2) leaves A1, where he guides Mohamed only; Patrick Hermans (Lotte,
    # and Noor from three weeks on) has room for a third student and takes over.
    mohamed = Traject.objects.get(student__first_name="Mohamed")
    member = TeamMember.objects.get(
        partnership=a1(), user__email="mentor2@vandenberghe.demo", role="mentor"
    )
    team_member_remove(
        actor=user("coord@sintjozef.demo"),
        member=member,
        replacements={mohamed.placements.get().pk: user("mentor@vandenberghe.demo")},
    )
    [removed] = entries("team_member.remove")
    assert removed.changes["role"] == ["mentor", None]
    [placement_change] = entries("placement.update")
    assert placement_change.traject_id == mohamed.pk
    old, new = placement_change.changes["mentors"]
    assert [person["label"] for person in old] == [str(user("mentor2@vandenberghe.demo"))]
    assert [person["label"] for person in new] == [str(user("mentor@vandenberghe.demo"))]


def test_organisation_update_records_the_changed_fields_only(demo_cast):
    school = Organisation.objects.get(name=SINT_JOZEF)
    old = school.paritair_comite
    assert old != "152"
    organisation_update(
        organisation=school,
        actor=user("directie@sintjozef.demo"),
        data={"name": SINT_JOZEF, "paritair_comite": "152"},
    )
    [entry] = entries("organisation.update")
    assert entry.changes == {"paritair_comite": [old, "152"]}
    assert entry.organisation_id == school.pk


def test_invitation_create_and_accept_are_recorded(demo_cast, django_capture_on_commit_callbacks):
    from django.core import mail

    company = Organisation.objects.get(name="Metaalbouw Vandenberghe")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            actor=user("coord@sintjozef.demo"),
            partnership=a1(),
            email="nieuw@vandenberghe.demo",
            full_name="Nieuwe Mentor",
            role="mentor",
            organisation=company,
        )
    kind, token = mail.outbox[-1].body.split("/invitations/")[1].split("/")[:2]
    _invitation, new = invitation_accept(
        kind=kind, token=token, full_name="Nieuwe Mentor", password="lang-genoeg-42"
    )
    created = entries("invitation.create")[0]
    assert created.changes["email"] == [None, "nieuw@vandenberghe.demo"]
    assert created.changes["role"] == [None, "mentor"]
    [accepted] = entries("invitation.accept")
    assert accepted.actor_id == new.pk
    # The new mentor acts for the company they joined the team for.
    assert accepted.organisation_id == company.pk
    assert entries("team_member.add", actor_id=new.pk)


def test_the_csv_import_records_each_student_and_traject(
    demo_cast, django_capture_on_commit_callbacks
):
    school = Organisation.objects.get(name=SINT_JOZEF)
    coord = user("coord@sintjozef.demo")
    rows = "\n".join(f"Leerling;Nummer{i};01/01/2009;6 LAS;IMP{i};" for i in range(5))
    upload = SimpleUploadedFile(
        "leerlingen.csv",
        ("voornaam;achternaam;geboortedatum;klas;stamnummer;e-mail\n" + rows).encode(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = student_import_start(actor=coord, school=school, upload=upload, partnership=a1())
    job.refresh_from_db()
    assert job.status == "valid"
    # The check ran as a (here eager) Celery task: the system did it.
    [checked] = entries("student_import.check")
    assert (checked.actor_kind, checked.source) == (
        "system",
        "task partnerships.validate_student_import",
    )
    assert checked.changes == {"status": ["validating", "valid"]}
    # The demo seed records entries of its own (Noor's traject): count only the import's.
    seeded = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    student_import_run(actor=coord, student_import=StudentImport.objects.get(pk=job.pk))
    students = entries("student.create", id__gt=seeded)
    trajects = entries("traject.create", id__gt=seeded)
    assert len(students) == len(trajects) == 5
    assert {e.changes["stamnummer"][1] for e in students} == {f"IMP{i}" for i in range(5)}
    assert {e.changes["school_class"][1]["label"] for e in students} == {"6 LAS"}
    assert all(e.traject_id and e.actor_id == coord.pk for e in trajects)
    assert entries("student_import.run")[0].changes["imported_count"] == [None, 5]


def test_a_language_change_is_recorded(demo_cast):
    person = user("lk@sintjozef.demo")
    user_set_language(user=person, language="en")
    [entry] = entries("user.set_language")
    assert (entry.actor_id, entry.changes) == (person.pk, {"language": ["nl-be", "en"]})


def test_unknown_actions_are_refused():
    with pytest.raises(ValueError, match="Unknown audit action"):
        trail.record(actor=None, action="traject.teleport")


# --- system actor -----------------------------------------------------------------------------


def test_a_management_command_records_the_system_as_actor(db):
    call_command("seed_demo", "--no-reminder-cases", stdout=io.StringIO())
    created = entries("membership.create")
    assert created, "seed_demo creates memberships through the audited service"
    assert {(e.actor_kind, e.actor_id, e.source) for e in created} == {
        ("system", None, "command seed_demo")
    }
    assert len({e.request_id for e in created}) == 1  # one run, one id
    # A second run changes nothing, so it records nothing.
    count = AuditEntry.objects.count()
    call_command("seed_demo", "--no-reminder-cases", stdout=io.StringIO())
    assert AuditEntry.objects.count() == count


# --- append-only ------------------------------------------------------------------------------


def _an_entry() -> AuditEntry:
    return audit.record(action="traject.update", changes={"status": ("intake", "running")})


def test_entries_cannot_be_changed_or_deleted_in_python(db):
    entry = _an_entry()
    entry.action = "traject.delete"
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.bulk_update([entry], ["action"])
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"action": "x"})
    assert AuditEntry.objects.get(pk=entry.pk).action == "traject.update"


def test_postgresql_refuses_changes_by_trigger(db):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only (SQLite: the Python guards)")
    entry = _an_entry()
    for sql in (
        "UPDATE duaal_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM duaal_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "traject.update"


def test_the_admin_shows_the_trail_read_only(client, db):
    entry = _an_entry()
    admin = User.objects.create_superuser("admin@duaal.invalid", "x", full_name="Beheer")
    client.force_login(admin)
    assert client.get("/admin/duaal/auditentry/").status_code == 200
    assert client.get("/admin/duaal/auditentry/add/").status_code == 403
    page = client.get(f"/admin/duaal/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(f"/admin/duaal/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


# --- values -----------------------------------------------------------------------------------


def test_values_are_stored_json_ready(demo_cast):
    school = Organisation.objects.get(name=SINT_JOZEF)
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")
    values = {
        "date": dt.date(2026, 9, 1),
        "moment": dt.datetime(2026, 9, 1, 8, 30, tzinfo=dt.UTC),
        "amount": Decimal("12.5"),
        "key": key,
        "choice": TrajectStatus.RUNNING,
        "school": school,
        "people": [user("lk@sintjozef.demo")],
        "nothing": None,
    }
    entry = audit.record(action="traject.update", changes={k: (None, v) for k, v in values.items()})
    entry.refresh_from_db()
    assert {k: v[1] for k, v in entry.changes.items()} == {
        "date": "2026-09-01",
        "moment": "2026-09-01T08:30:00+00:00",
        "amount": "12.5",
        "key": str(key),
        "choice": "running",
        "school": {"id": school.pk, "label": SINT_JOZEF},
        "people": [{"id": user("lk@sintjozef.demo").pk, "label": str(user("lk@sintjozef.demo"))}],
        "nothing": None,
    }


def test_placement_update_service_refuses_an_overlap_and_records_nothing(demo_cast):
    from django.core.exceptions import ValidationError

    traject = lotte()
    placement = traject.placements.get()
    first, last = traject.partnership.school_year_bounds
    other = traject.placements.model.objects.create(
        traject=traject,
        company=placement.company,
        vestiging=placement.vestiging,
        start_date=last - dt.timedelta(days=20),
        end_date=last,
        workplace_hours_per_week=Decimal("10"),
    )
    with pytest.raises(ValidationError):
        placement_update(
            actor=user("coord@sintjozef.demo"),
            placement=placement,
            company=placement.company,
            vestiging=placement.vestiging,
            start_date=placement.start_date,
            end_date=last,
            weekly_pattern={},
            workplace_hours_per_week=placement.workplace_hours_per_week,
            mentors=[user("mentor@vandenberghe.demo")],
        )
    assert not entries("placement.update")
    assert other.pk


def test_calendar_links_made_and_revoked_are_recorded(demo_cast):
    from agenda.services import calendar_feed_create, calendar_feed_revoke

    person = user("mentor@vandenberghe.demo")
    first, _secret = calendar_feed_create(user=person)
    second, _secret = calendar_feed_create(user=person)  # rotates: revokes the first
    assert calendar_feed_revoke(user=person) == 1
    assert calendar_feed_revoke(user=person) == 0  # nothing left: nothing recorded
    made = entries("calendar_feed.create", actor_id=person.pk)
    revoked = entries("calendar_feed.revoke", actor_id=person.pk)
    assert [e.object_id for e in made] == [str(first.pk), str(second.pk)]
    assert [e.object_id for e in revoked] == [str(first.pk), str(second.pk)]
    assert "token" not in str([e.changes for e in made + revoked])  # no secret in the trail
