"""Issue 8, safe actions: every destructive action confirms and says its consequences; the
services refuse what would leave a placement without a mentor or a partnership without its
coördinator, and ending a traject needs a reason (recorded in the audit trail)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from contracts.models import Contract
from duaal.models import AuditEntry
from organisations.models import Organisation
from partnerships import permissions
from partnerships.models import (
    Partnership,
    Placement,
    PlacementSupervisor,
    TeamMember,
    TeamRole,
    Traject,
    TrajectGroupObjectPermission,
    TrajectUserObjectPermission,
)
from partnerships.services.partnerships import team_member_add, team_member_remove
from partnerships.services.trajects import traject_update

pytestmark = pytest.mark.django_db

SINT_JOZEF = "Technisch Instituut Sint-Jozef"


def user(email: str) -> User:
    return User.objects.get(email=email)


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name=SINT_JOZEF)


def a2() -> Partnership:
    return Partnership.objects.get(name="Elektromechanische technieken duaal")


def traject(first_name: str) -> Traject:
    return Traject.objects.select_related("student", "partnership").get(
        student__first_name=first_name
    )


def member(partnership: Partnership, email: str, role: str) -> TeamMember:
    return TeamMember.objects.get(partnership=partnership, user__email=email, role=role)


def remove_url(m: TeamMember) -> str:
    return f"/partnerships/{m.partnership.public_id}/team/{m.pk}/remove/"


def takeover_field(m: TeamMember, placement: Placement) -> str:
    return f"remove-member-{m.pk}-replacement_{placement.public_id.hex}"


def state() -> dict[str, object]:
    """Team, mentors of placements, grants and audit trail: what a refusal must leave alone."""
    return {
        "team": sorted(TeamMember.objects.values_list("pk", "user_id", "role")),
        "supervisors": sorted(PlacementSupervisor.objects.values_list("placement_id", "user_id")),
        "user_grants": TrajectUserObjectPermission.objects.count(),
        "group_grants": TrajectGroupObjectPermission.objects.count(),
        "audit": AuditEntry.objects.count(),
        "trajects": sorted(Traject.objects.values_list("pk", "status", "end_reason")),
        "placements": sorted(Placement.objects.values_list("pk", flat=True)),
    }


@pytest.fixture
def english(client):
    client.cookies["duaal_language"] = "en"
    return client


# --- the only mentor of a running placement ---------------------------------------------------


def test_removing_the_only_mentor_of_a_running_placement_is_refused(demo_cast):
    mentor = member(a1(), "mentor@vandenberghe.demo", TeamRole.MENTOR)
    lotte = traject("Lotte")
    before = state()
    with pytest.raises(ValidationError) as refused:
        team_member_remove(actor=user("coord@sintjozef.demo"), member=mentor)
    # Lotte's running placement and Noor's, which starts in three weeks (contracts demo).
    assert [e.code for e in refused.value.error_list] == ["replacement_needed"] * 2
    assert "Lotte Janssens" in " ".join(refused.value.messages)
    assert "Noor Peeters" in " ".join(refused.value.messages)
    assert state() == before
    assert permissions.trajects_visible_to(user=user("mentor@vandenberghe.demo")).filter(
        pk=lotte.pk
    )


def test_the_page_refuses_without_a_replacement_and_changes_nothing(client, demo_cast, login):
    mentor = member(a1(), "mentor@vandenberghe.demo", TeamRole.MENTOR)
    login("coord@sintjozef.demo")
    before = state()
    response = client.post(remove_url(mentor), {"confirm": "yes"})
    assert response.status_code == 400
    assert 'class="field__error"' in response.content.decode()
    assert state() == before


def test_a_replacement_takes_over_the_placement_and_its_grants(english, demo_cast, login):
    # Tom Lambrechts (mentor2) leaves A1, where he guides Mohamed; Patrick Hermans, who guides
    # Lotte and (from three weeks on) Noor, has room for a third. Tom stays Jonas' mentor in B1.
    mentor = member(a1(), "mentor2@vandenberghe.demo", TeamRole.MENTOR)
    mohamed, jonas = traject("Mohamed"), traject("Jonas")
    placement = mohamed.placements.get()
    login("coord@sintjozef.demo")

    page = english.get(remove_url(mentor)).content.decode()
    assert "loses its only mentor" in page
    assert "Mohamed El Amrani" in page and "Metaalbouw Vandenberghe" in page
    assert 'name="' + takeover_field(mentor, placement) + '"' in page
    assert str(user("mentor@vandenberghe.demo").full_name) in page

    response = english.post(
        remove_url(mentor),
        {"confirm": "yes", takeover_field(mentor, placement): user("mentor@vandenberghe.demo").pk},
    )
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=mentor.pk).exists()
    assert list(placement.supervisors.values_list("user__email", "kind")) == [
        ("mentor@vandenberghe.demo", "mentor")
    ]
    # Grants follow: the leaving mentor no longer sees Mohamed (Jonas, in B1, stays), the new
    # one does.
    assert list(
        permissions.trajects_visible_to(user=user("mentor2@vandenberghe.demo")).values_list(
            "pk", flat=True
        )
    ) == [jonas.pk]
    assert permissions.trajects_visible_to(user=user("mentor@vandenberghe.demo")).filter(
        pk=mohamed.pk
    )
    [entry] = AuditEntry.objects.filter(action="placement.update", traject_id=mohamed.pk)
    assert [p["label"] for p in entry.changes["mentors"][1]] == [
        str(user("mentor@vandenberghe.demo"))
    ]


def test_a_replacement_from_another_company_is_refused(demo_cast):
    mentor = member(a1(), "mentor@vandenberghe.demo", TeamRole.MENTOR)
    placement = traject("Lotte").placements.get()
    before = state()
    with pytest.raises(ValidationError) as refused:
        team_member_remove(
            actor=user("coord@sintjozef.demo"),
            member=mentor,
            replacements={placement.pk: user("mentor@daems.demo")},
        )
    assert "does not work at Metaalbouw Vandenberghe" in " ".join(refused.value.messages)
    assert state() == before


def test_a_replacement_at_the_mentor_limit_is_not_offered_nor_accepted(demo_cast, settings):
    settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS = 2  # mentor2 already guides Mohamed and Jonas
    mentor = member(a1(), "mentor@vandenberghe.demo", TeamRole.MENTOR)
    placement = traject("Lotte").placements.get()
    from partnerships.selectors.mentors import replacement_mentors

    assert replacement_mentors(placement=placement, leaving=mentor.user) == []
    before = state()
    with pytest.raises(ValidationError) as refused:
        team_member_remove(
            actor=user("coord@sintjozef.demo"),
            member=mentor,
            replacements={placement.pk: user("mentor2@vandenberghe.demo")},
        )
    assert "guides at most 2" in " ".join(refused.value.messages)
    assert state() == before


def test_a_mentor_with_a_second_mentor_leaves_without_a_replacement(demo_cast):
    # Patrick Hermans guides Lotte and Noor (contracts demo): both get Tom as a second mentor.
    placements = [traject(name).placements.get() for name in ("Lotte", "Noor")]
    for placement in placements:
        PlacementSupervisor.objects.create(
            placement=placement, user=user("mentor2@vandenberghe.demo"), kind="mentor"
        )
    mentor = member(a1(), "mentor@vandenberghe.demo", TeamRole.MENTOR)
    team_member_remove(actor=user("coord@sintjozef.demo"), member=mentor)
    for placement in placements:
        assert list(placement.supervisors.values_list("user__email", flat=True)) == [
            "mentor2@vandenberghe.demo"
        ]


# --- the last coördinator ---------------------------------------------------------------------


def test_the_last_school_coordinator_cannot_be_removed_not_even_by_themselves(
    client, demo_cast, login
):
    coordinator = member(a1(), "coord@sintjozef.demo", TeamRole.COORDINATOR_SCHOOL)
    before = state()
    for actor in ("coord@sintjozef.demo", "directie@sintjozef.demo"):
        with pytest.raises(ValidationError) as refused:
            team_member_remove(actor=user(actor), member=coordinator)
        assert refused.value.error_list[0].code == "last_coordinator"
        login(actor)
        page = client.get(remove_url(coordinator)).content.decode()
        assert 'data-testid="refusal"' in page
        assert 'name="confirm"' not in page  # no button to confirm what will be refused
        assert client.post(remove_url(coordinator), {"confirm": "yes"}).status_code == 400
    assert state() == before


def test_the_last_company_coordinator_cannot_be_removed(demo_cast):
    coordinator = member(a2(), "coord@daems.demo", TeamRole.COORDINATOR_BEDRIJF)
    before = state()
    with pytest.raises(ValidationError) as refused:
        team_member_remove(actor=user("coord@daems.demo"), member=coordinator)
    assert "Koeltechniek Daems" in refused.value.messages[0]
    assert state() == before


def test_a_coordinator_leaving_beside_another_is_told_they_lose_access(english, demo_cast, login):
    team_member_add(
        actor=user("coord@sintjozef.demo"),
        partnership=a1(),
        user=user("lk@sintjozef.demo"),
        role=TeamRole.COORDINATOR_SCHOOL,
        organisation=Organisation.objects.get(name=SINT_JOZEF),
    )
    own = member(a1(), "coord@sintjozef.demo", TeamRole.COORDINATOR_SCHOOL)
    login("coord@sintjozef.demo")
    page = english.get(remove_url(own)).content.decode()
    assert "Leave the team as" in page
    assert "You lose access to this partnership" in page
    assert "You lose access to 3 trajects." in page  # Lotte, Mohamed and Noor
    response = english.post(remove_url(own), {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/partnerships/"
    assert not permissions.partnerships_visible_to(user=user("coord@sintjozef.demo")).filter(
        pk=a1().pk
    )


def test_the_team_page_fetches_a_dialog_per_removable_member(english, demo_cast, login):
    """The page holds a "Remove" button per member the user may remove; pressing it fetches
    the confirmation dialog (an htmx GET of the confirmation page, answered with the dialog
    alone), so the page itself renders no dialog (decision 0022)."""
    login("coord@sintjozef.demo")
    page = english.get(f"/partnerships/{a1().public_id}/").content.decode()
    mentor = member(a1(), "mentor@vandenberghe.demo", TeamRole.MENTOR)
    lk = member(a1(), "lk@sintjozef.demo", TeamRole.LEERKRACHT)
    assert f'data-confirm="remove-member-{mentor.pk}"' in page
    assert f'data-confirm-url="{remove_url(mentor)}"' in page
    assert f'data-confirm="remove-member-{lk.pk}"' in page
    assert "<dialog" not in page
    assert "loses its only mentor" not in page

    response = english.get(remove_url(mentor), headers={"HX-Request": "true"})
    dialog = response.content.decode()
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    assert dialog.lstrip().startswith(f'<dialog class="dialog" id="remove-member-{mentor.pk}"')
    assert "<html" not in dialog
    assert "loses its only mentor" in dialog
    assert f'name="{takeover_field(mentor, traject("Lotte").placements.get())}"' in dialog
    dialog = english.get(remove_url(lk), headers={"HX-Request": "true"}).content.decode()
    assert "Sofie Claes loses access to 3 trajects." in dialog  # lk: Lotte, Mohamed, Noor
    # Without htmx the same address is the whole confirmation page.
    assert "<html" in english.get(remove_url(lk)).content.decode()

    # A company coordinator gets buttons (and dialogs) for their own company's people only.
    login("coord@vandenberghe.demo")
    page = english.get(f"/partnerships/{a1().public_id}/").content.decode()
    assert f'data-confirm="remove-member-{mentor.pk}"' in page
    assert f'data-confirm="remove-member-{lk.pk}"' not in page
    assert english.get(remove_url(lk), headers={"HX-Request": "true"}).status_code == 403


# --- placements and trajects ------------------------------------------------------------------


def test_deleting_a_placement_needs_the_confirmation(english, demo_cast, login):
    lotte = traject("Lotte")
    placement = lotte.placements.select_related("company").get()
    url = f"/trajects/{lotte.public_id}/placements/{placement.public_id}/delete/"
    login("coord@sintjozef.demo")
    before = state()
    page = english.get(url).content.decode()
    assert "The placement of Lotte Janssens at Metaalbouw Vandenberghe from" in page
    assert f"from 1 Sep to 30 Jun {placement.end_date.year}" in page
    assert "no longer sees the traject of Lotte" in page
    assert english.post(url).status_code == 200  # a bare POST only shows the confirmation
    assert english.post(url, {"confirm": "no"}).status_code == 200
    assert state() == before
    assert english.post(url, {"confirm": "yes"}).status_code == 302
    assert not Placement.objects.filter(pk=placement.pk).exists()
    assert AuditEntry.objects.filter(action="placement.delete", traject_id=lotte.pk).exists()


def test_the_traject_page_confirms_in_dialogs(english, demo_cast, login):
    lotte = traject("Lotte")
    placement = lotte.placements.get()
    login("coord@sintjozef.demo")
    page = english.get(f"/trajects/{lotte.public_id}/").content.decode()
    assert f'data-confirm="delete-placement-{placement.public_id.hex}"' in page
    assert f'id="delete-placement-{placement.public_id.hex}"' in page
    assert 'data-confirm="delete-traject"' in page
    assert "Its 1 placement is deleted." in page


def test_deleting_a_traject_needs_the_confirmation(client, demo_cast, login):
    lotte = traject("Lotte")
    login("coord@sintjozef.demo")
    before = state()
    assert client.post(f"/trajects/{lotte.public_id}/delete/").status_code == 200
    assert state() == before
    response = client.post(f"/trajects/{lotte.public_id}/delete/", {"confirm": "yes"})
    assert response.status_code == 302
    assert not Traject.objects.filter(pk=lotte.pk).exists()


# --- ending a traject -------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["stopped", "completed"])
def test_ending_a_traject_without_a_reason_is_refused(demo_cast, status):
    lotte = traject("Lotte")
    before = state()
    with pytest.raises(ValidationError) as refused:
        traject_update(
            actor=user("coord@sintjozef.demo"),
            traject=lotte,
            data={"status": status, "end_reason": "   "},
        )
    assert set(refused.value.error_dict) == {"end_reason"}
    assert state() == before


def test_ending_a_traject_asks_a_reason_then_a_confirmation(english, demo_cast, login):
    lotte = traject("Lotte")
    url = f"/trajects/{lotte.public_id}/edit/"
    values = {"intake_notes": lotte.intake_notes, "beginsituatie": lotte.beginsituatie}
    login("coord@sintjozef.demo")
    before = state()

    # No reason: a field error beside the reason, nothing saved.
    response = english.post(url, {**values, "status": "stopped"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the reason why the traject ends" in page
    assert 'class="field__error"' in page
    assert state() == before

    # A reason: the confirmation page states what happens, still nothing saved.
    response = english.post(
        url, {**values, "status": "stopped", "end_reason": "Verhuisd naar Gent"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "End the traject of Lotte Janssens?" in page
    assert "Stopped early" in page
    assert 'name="end_reason" value="Verhuisd naar Gent"' in page
    assert state() == before

    # Confirmed: ended, the reason stored and in the audit trail and the team's history.
    response = english.post(
        url, {**values, "status": "stopped", "end_reason": "Verhuisd naar Gent", "confirm": "yes"}
    )
    assert response.status_code == 302
    lotte.refresh_from_db()
    assert (lotte.status, lotte.end_reason) == ("stopped", "Verhuisd naar Gent")
    [entry] = AuditEntry.objects.filter(action="traject.end", traject_id=lotte.pk)
    # The end date defaults to today; her running contract ends with the traject, in the same
    # entry (decision 0018).
    assert {key: entry.changes[key] for key in ("status", "end_reason", "ended_on")} == {
        "status": ["running", "stopped"],
        "end_reason": ["", "Verhuisd naar Gent"],
        "ended_on": [None, timezone.localdate().isoformat()],
    }
    assert entry.changes["contracts"][0] == ["Metaalbouw Vandenberghe: Running"]
    assert Contract.objects.get(traject=lotte).end_reason == "Verhuisd naar Gent"
    assert entry.actor_id == user("coord@sintjozef.demo").pk
    history = english.get(f"/trajects/{lotte.public_id}/").content.decode()
    assert "Traject ended" in history and "Verhuisd naar Gent" in history

    # The parent sees that it ended, not why.
    login("ouder1@sintjozef.demo")
    page = english.get(f"/trajects/{lotte.public_id}/").content.decode()
    assert "Traject ended" in page and "Stopped early" in page
    assert "Verhuisd naar Gent" not in page


def test_reopening_an_ended_traject_clears_the_reason(demo_cast):
    lotte = traject("Lotte")
    coord = user("coord@sintjozef.demo")
    traject_update(actor=coord, traject=lotte, data={"status": "stopped", "end_reason": "Ziek"})
    traject_update(actor=coord, traject=lotte, data={"status": "running"})
    lotte.refresh_from_db()
    assert (lotte.status, lotte.end_reason) == ("running", "")
    [entry] = AuditEntry.objects.filter(action="traject.update", traject_id=lotte.pk)
    assert entry.changes["end_reason"] == ["Ziek", ""]


def test_the_end_confirmation_says_who_reads_the_reason_as_declared(demo_cast, monkeypatch):
    from partnerships import sharing
    from partnerships.models import Traject, TrajectStatus
    from partnerships.selectors.removals import traject_end_consequences

    lotte = Traject.objects.select_related("student").get(student__first_name="Lotte")
    said = traject_end_consequences(traject=lotte, status=TrajectStatus.STOPPED)
    assert said[-1] == "The student and the parents see the new status, not the reason."
    monkeypatch.setitem(
        sharing.TEXT_FIELDS,
        "partnerships.traject",
        {**sharing.TEXT_FIELDS["partnerships.traject"], "end_reason": sharing.SHARED},
    )
    said = traject_end_consequences(traject=lotte, status=TrajectStatus.STOPPED)
    assert said[-1] == "The student and the parents see the new status and the reason."
