"""Same tenant, wrong role → 403; and a marker in one tenant's data never reaches the other side."""

from __future__ import annotations

import re
from collections import deque

import pytest

from tests.isolation.test_url_classification import TENANT_SCOPED

# (URL name, a demo account that may SEE the object but whose role lacks the right, method)
WRONG_ROLE = [
    # A mentor reads the contract but signs for no party (partnerships.permissions).
    ("contracts:sign", "mentor@vandenberghe.demo", "post"),
    ("organisations:organisation_edit", "mentor@vandenberghe.demo", "post"),
    ("partnerships:raci_cell", "mentor@vandenberghe.demo", "post"),
    ("partnerships:team_member_add", "lk@sintjozef.demo", "post"),
    ("partnerships:team_member_remove", "lk@sintjozef.demo", "post"),
    ("partnerships:invitation_create", "lk@sintjozef.demo", "post"),
    ("partnerships:invitation_resend", "lk@sintjozef.demo", "post"),
    ("partnerships:invitation_revoke", "lk@sintjozef.demo", "post"),
    ("partnerships:company_add", "lk@sintjozef.demo", "post"),
    ("partnerships:traject_create", "mentor@vandenberghe.demo", "post"),
    ("partnerships:traject_edit", "ouder1@sintjozef.demo", "post"),
    ("partnerships:traject_klassenraad", "mentor@vandenberghe.demo", "post"),
    ("partnerships:traject_delete", "lk@sintjozef.demo", "post"),
    ("partnerships:placement_create", "lk@sintjozef.demo", "post"),
    ("partnerships:placement_delete", "lk@sintjozef.demo", "post"),
    ("partnerships:placement_edit", "lk@sintjozef.demo", "post"),
    # Contracts: readers without "Opmaken contracten" (the mentor, the trajectbegeleider,
    # the student, the parent).
    ("contracts:contract_create", "mentor@vandenberghe.demo", "post"),
    ("contracts:contract_edit", "tb@sintjozef.demo", "post"),
    ("contracts:contract_send", "coord@vandenberghe.demo", "post"),
    ("contracts:contract_register", "lk@sintjozef.demo", "post"),
    ("contracts:contract_suspend", "mentor@vandenberghe.demo", "post"),
    ("contracts:contract_resume", "leerling1@sintjozef.demo", "post"),
    ("contracts:contract_end", "ouder1@sintjozef.demo", "post"),
    ("partnerships:student_contact_add", "directie@sintjozef.demo", "post"),
    ("partnerships:student_account_invite", "directie@sintjozef.demo", "post"),
    ("partnerships:contact_account_invite", "directie@sintjozef.demo", "post"),
    ("partnerships:account_invitation_resend", "directie@sintjozef.demo", "post"),
    ("partnerships:account_invitation_revoke", "directie@sintjozef.demo", "post"),
    # The opleidingsplan: DESIGN_PLAN (leerinhouden R/A) edits, C comments, the company writes
    # its own activiteitenlijst.
    ("learning:plan_cell", "mentor@vandenberghe.demo", "post"),
    ("learning:plan_adopt", "tb@sintjozef.demo", "post"),
    ("learning:plan_comment_add", "directie@vandenberghe.demo", "post"),
    ("learning:period_list", "coord@sintjozef.demo", "post"),
    ("learning:period_edit", "oc@octl.demo", "post"),
    ("learning:period_remove", "mentor@vandenberghe.demo", "post"),
    ("learning:period_defaults", "tb@sintjozef.demo", "post"),
    ("learning:offer_edit", "lk@sintjozef.demo", "post"),
    ("learning:traject_plan_cell", "mentor@vandenberghe.demo", "post"),
    ("learning:traject_plan_override", "leerling1@sintjozef.demo", "post"),
    ("learning:traject_plan_drop", "ouder1@sintjozef.demo", "post"),
    # Bedrijfsfiches: PREPARE_LESSONS (lesvoorbereiding R/A) writes, the others read.
    ("learning:bedrijfsfiche_create", "tb@sintjozef.demo", "post"),
    ("learning:bedrijfsfiche_edit", "directie@sintjozef.demo", "post"),
    ("learning:bedrijfsfiche_publish", "tb@sintjozef.demo", "post"),
    ("learning:bedrijfsfiche_photo_add", "directie@vandenberghe.demo", "post"),
    ("learning:bedrijfsfiche_new_draft", "leerling1@sintjozef.demo", "post"),
    ("learning:bedrijfsfiche_photo_remove", "ouder1@sintjozef.demo", "post"),
    # The soft-skill sheet: the parent and the training centre read it (no LL / M / LK column).
    ("evaluation:softskills", "ouder1@sintjozef.demo", "post"),
    ("evaluation:softskills", "oc@octl.demo", "post"),
    # A reader of a published leerfiche set who is not its editor; an editor who is not an
    # administrator of the owner (only they name editors).
    ("learning:set_edit", "coord@vandenberghe.demo", "post"),
    ("learning:editor_add", "consulent@sector.demo", "post"),
    ("learning:editor_remove", "consulent@sector.demo", "post"),
    # The weekly check-in: only who writes the mentor column (M) saves it.
    ("evaluation:checkin", "lk@sintjozef.demo", "post"),
    ("evaluation:checkin", "ouder1@sintjozef.demo", "post"),
    ("evaluation:checkin", "leerling1@sintjozef.demo", "post"),
    # Evaluation: the triangulation and progress pages are read-only, for the parent too.
    ("evaluation:progress", "ouder1@sintjozef.demo", "post"),
    ("evaluation:triangulation", "lk@sintjozef.demo", "post"),
    # Evaluation: parents read (403 on every write); the day is the student's own column.
    ("evaluation:day_rate", "ouder1@sintjozef.demo", "post"),
    ("evaluation:day_rate", "mentor@vandenberghe.demo", "post"),
    ("evaluation:session_list", "ouder1@sintjozef.demo", "post"),
    ("evaluation:session_details", "ouder1@sintjozef.demo", "post"),
    ("evaluation:session_column", "ouder1@sintjozef.demo", "post"),
    ("evaluation:session_werkpunt", "ouder1@sintjozef.demo", "post"),
    ("evaluation:session_werkpunt", "leerling1@sintjozef.demo", "post"),
    # The start checklist: its readers who are no coördinator tick nothing.
    ("contracts:checklist", "mentor@vandenberghe.demo", "post"),
    ("contracts:checklist", "ouder1@sintjozef.demo", "post"),
    ("contracts:checklist", "lk@sintjozef.demo", "post"),
    # Recognition, the company's side: a mentor reads their own profile and the company's
    # requests; only the company's coördinator and administrators write; the sector body
    # decides, it does not manage the company's request.
    ("recognition:mentor_profile", "mentor2@vandenberghe.demo", "get"),
    ("recognition:mentor_profile", "mentor@vandenberghe.demo", "post"),
    ("recognition:mentor_profile_file", "mentor2@vandenberghe.demo", "get"),
    ("recognition:company_request_create", "mentor@vandenberghe.demo", "post"),
    ("recognition:company_request_mentors", "mentor@vandenberghe.demo", "post"),
    ("recognition:company_request_submit", "consulent@sector.demo", "post"),
    ("recognition:company_request_withdraw", "mentor2@vandenberghe.demo", "post"),
    ("recognition:company_request_appeal", "consulent@sector.demo", "post"),
    ("recognition:company_request_file", "mentor@daems.demo", "get"),
    # Recognition: the company sees its request, but only the sector body handles it.
    ("recognition:consultant_detail", "coord@daems.demo", "get"),
    ("recognition:consultant_complete", "mentor@daems.demo", "post"),
    ("recognition:consultant_visit_plan", "coord@daems.demo", "post"),
    ("recognition:consultant_visit_record", "coord@daems.demo", "post"),
    ("recognition:consultant_decide", "coord@daems.demo", "post"),
    ("recognition:consultant_appeal", "coord@daems.demo", "post"),
    # Recognition, the school's side: a mentor sees the company but sets no listing; a
    # leerkracht reads the school's programmatie but moves no request.
    ("recognition:partner_listing", "mentor@vandenberghe.demo", "post"),
    ("recognition:partner_listing", "mentor@vandenberghe.demo", "get"),
    ("recognition:programmatie_step", "lk@sintjozef.demo", "post"),
]


@pytest.mark.parametrize(("name", "email", "method"), WRONG_ROLE)
def test_same_tenant_wrong_role_gets_403_and_changes_nothing(
    client, tenant_objects, login, name, email, method
):
    from tests.isolation.test_url_classification import _snapshot

    url = TENANT_SCOPED[name].build()
    login(email)
    before = _snapshot()
    response = getattr(client, method)(url, {"letter": "A", "name": "X"})
    assert response.status_code == 403, (name, email, response.status_code)
    assert _snapshot() == before


MARKER = "ZQXSENTINEL"
# People with no role in partnership A1 and no link to its students.
OTHER_SIDE = [
    "coord@daems.demo",
    "mentor@daems.demo",
    "tb@dering.demo",
    "directie@dering.demo",
    "consulent@sector.demo",
    "leerling3@sintjozef.demo",
    "leerling1@dering.demo",
]
SKIP = re.compile(r"^/(accounts/logout|static/|admin/|i18n/)")


def _plant_marker():
    """Write the marker into A1's and Lotte's free-text fields."""
    from partnerships.models import Invitation, Partnership, SchoolClass, StudentContact, Traject

    lotte = Traject.objects.select_related("student", "partnership").get(
        student__first_name="Lotte"
    )
    Traject.objects.filter(pk=lotte.pk).update(
        intake_notes=f"intake {MARKER}", beginsituatie=f"begin {MARKER}"
    )
    student = lotte.student
    student.last_name = f"Janssens{MARKER}"
    student.stamnummer = f"SJ-{MARKER}"
    student.save()
    StudentContact.objects.filter(student=student).update(
        full_name=f"Katrien {MARKER}", phone=f"04{MARKER}"
    )
    Partnership.objects.filter(pk=lotte.partnership_id).update(name=f"Lassen A1 {MARKER}")
    # Lotte's class (Emma's class is legitimately shown to partnership A2's company).
    SchoolClass.objects.filter(pk=student.school_class_id).update(name=f"6 LAS {MARKER}")
    Invitation.objects.filter(partnership=lotte.partnership).update(
        full_name=f"Uitgenodigde {MARKER}"
    )
    # A1's bedrijfsfiches (their pages are crawled from the classified URLs).
    from learning.models import BedrijfsfichePhoto, BedrijfsficheVersion

    BedrijfsficheVersion.objects.filter(bedrijfsfiche__partnership=lotte.partnership).update(
        instructies=f"instructies {MARKER}", werkvorm_steps=f"stap {MARKER}"
    )
    BedrijfsfichePhoto.objects.filter(version__bedrijfsfiche__partnership=lotte.partnership).update(
        caption=f"foto {MARKER}"
    )
    # Through a service too, so the audit trail (Lotte's history) holds the marker.
    from accounts.models import User
    from partnerships.services.trajects import traject_update

    lotte.refresh_from_db()
    traject_update(
        actor=User.objects.get(email="coord@sintjozef.demo"),
        traject=lotte,
        data={"beginsituatie": f"begin {MARKER} (audited)"},
    )


def _crawl(client, start_urls, limit=150):
    """Follow every same-site href and hx-get from the start pages; yield (url, body)."""
    seen, queue = set(), deque(start_urls)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or SKIP.match(url):
            continue
        seen.add(url)
        response = client.get(url)
        # Files (a bedrijfsfiche's photo, a PDF) stream.
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode(errors="replace")
        yield url, response.status_code, body
        for link in re.findall(r'(?:href|hx-get)="(/[^"#]*)"', body):
            link = link.replace("&amp;", "&")
            if link not in seen:
                queue.append(link)


@pytest.mark.parametrize("email", OTHER_SIDE)
def test_marker_never_reaches_the_other_side(client, tenant_objects, login, email):
    from django.core import mail

    start = [
        "/",
        "/partnerships/",
        "/trajects/",
        "/trajects/?q=Janssens",
        f"/trajects/?q={MARKER[:7]}",
    ]  # a prefix: the echoed query is not a leak
    start += [scoped.build() for scoped in TENANT_SCOPED.values()]
    _plant_marker()
    login(email)
    crawled = 0
    for url, status, body in _crawl(client, start):
        crawled += 1
        assert MARKER not in body, f"{email} saw the marker at {url} ({status})"
    assert crawled > 10
    for message in mail.outbox:
        if email in message.to:
            assert MARKER not in message.body


def test_insiders_do_see_the_marker(client, tenant_objects, login):
    """The crawl would find the marker where it is allowed: the scan is not blind."""
    _plant_marker()
    login("coord@vandenberghe.demo")
    pages = [body for _, _, body in _crawl(client, ["/", "/trajects/"])]
    assert any(MARKER in body for body in pages)


TRAJECT_MARKER = "ZQXTRAJECTONLY"


def test_same_company_mentor_never_sees_another_mentors_student(client, tenant_objects, login):
    """mentor2@vandenberghe.demo is on A1's team (Mohamed) but must not see Lotte's file."""
    from partnerships.models import StudentContact, Traject

    start = ["/", "/partnerships/", "/trajects/", "/trajects/?q=Jans"]
    start += [scoped.build() for scoped in TENANT_SCOPED.values()]
    lotte = Traject.objects.select_related("student").get(student__first_name="Lotte")
    Traject.objects.filter(pk=lotte.pk).update(
        intake_notes=f"intake {TRAJECT_MARKER}", beginsituatie=f"begin {TRAJECT_MARKER}"
    )
    lotte.student.last_name = f"Janssens{TRAJECT_MARKER}"
    lotte.student.save(update_fields=["last_name"])
    StudentContact.objects.filter(student=lotte.student).update(
        full_name=f"Katrien {TRAJECT_MARKER}"
    )
    login("mentor2@vandenberghe.demo")
    crawled = 0
    for url, status, body in _crawl(client, start):
        crawled += 1
        assert TRAJECT_MARKER not in body, f"mentor2 saw Lotte's data at {url} ({status})"
    assert crawled > 10


PERSON_MARKER = "ZQXPERSON"


@pytest.mark.parametrize("email", ["tb@dering.demo", "directie@dering.demo"])
def test_a_company_member_outside_the_partnership_stays_invisible(
    client, tenant_objects, login, email
):
    """mentor@vandenberghe.demo works at company X but not in B1: De Ring's people (B1 runs
    with company X) must not see the name anywhere — placement forms, team pickers, lists."""
    from accounts.models import User
    from partnerships.models import Traject

    jonas = Traject.objects.get(student__first_name="Jonas")
    start = [
        "/",
        "/partnerships/",
        "/trajects/",
        f"/trajects/{jonas.public_id}/",
        f"/trajects/{jonas.public_id}/placements/new/",
        f"/partnerships/{jonas.partnership.public_id}/",
    ]
    User.objects.filter(email="mentor@vandenberghe.demo").update(
        full_name=f"Patrick {PERSON_MARKER}"
    )
    login(email)
    crawled = 0
    for url, status, body in _crawl(client, start):
        crawled += 1
        assert PERSON_MARKER not in body, f"{email} saw the name at {url} ({status})"
    assert crawled > 5
