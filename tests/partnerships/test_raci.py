"""The RACI matrix page and its one-cell editor: the matrix is the permission policy."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.utils.html import escape

from accounts.models import User
from partnerships import permissions, raci
from partnerships.models import Partnership, RaciCell, Traject

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name__contains="Sint")


def user(email: str) -> User:
    return User.objects.get(email=email)


def matrix_url(partnership: Partnership) -> str:
    return f"/partnerships/{partnership.public_id}/raci/"


def cell_url(partnership: Partnership, task: str, role: str) -> str:
    return f"/partnerships/{partnership.public_id}/raci/{task}/{role}/"


def letters(partnership: Partnership) -> dict[tuple[str, str], str]:
    return {(c.task, c.role): c.letter for c in RaciCell.objects.filter(partnership=partnership)}


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- raci_matrix ---------------------------------------------------------------------------


def test_default_matrix_has_every_appendix_4_task_and_letter(client, demo_cast, login):
    login("mentor@vandenberghe.demo")  # may see the matrix, may not change it
    response = client.get(matrix_url(a1()))
    assert response.status_code == 200
    page = response.content.decode()
    for code, _label in raci.PHASES:
        assert f'data-testid="raci-phase-{code}"' in page
    for task in raci.TASKS:
        assert f'data-testid="raci-task-{task.code}"' in page
        assert escape(str(task.name)) in page
        for role in raci.MATRIX_ROLES:
            expected = task.defaults.get(role, "")
            assert (
                f'id="raci-{task.code}-{role}" class="raci__cell" data-letter="{expected}"' in page
            )
    assert "/raci/screening/" not in page  # read-only for the mentor: no cell edit links


def test_matrix_names_the_team_members_per_role(client, demo_cast, login):
    login("tb@sintjozef.demo")
    response = client.get(matrix_url(a1()))
    columns = {c["role"]: c["names"] for c in response.context["columns"]}
    assert columns["leerkracht"] == ["Sofie Claes"]
    assert set(columns["mentor"]) == {"Patrick Hermans", "Tom Lambrechts"}
    assert [c["role"] for c in response.context["columns"]] == list(raci.MATRIX_ROLES)
    page = response.content.decode()
    assert "Patrick Hermans" in page
    assert "hx-get" in page  # tb holds change_raci (R on "jaarplanning")


def test_matrix_is_404_for_other_tenants_login_and_405(client, demo_cast, login):
    assert_login_redirect(client.get(matrix_url(a1())))
    for email in ("coord@daems.demo", "tb@dering.demo", "consulent@sector.demo"):
        login(email)
        assert client.get(matrix_url(a1())).status_code == 404
    login("tb@sintjozef.demo")
    assert client.post(matrix_url(a1())).status_code == 405


# --- raci_cell: reading the editor --------------------------------------------------------


def test_htmx_get_returns_the_cell_edit_fragment(client, demo_cast, login):
    login("tb@sintjozef.demo")
    response = client.get(cell_url(a1(), "screening", "leerkracht"), headers=HTMX)
    assert response.status_code == 200
    fragment = response.content.decode().strip()
    assert fragment.startswith('<td id="raci-screening-leerkracht"')
    assert "<html" not in fragment
    assert "<select" in fragment
    assert re.search(r'<option value="C" selected>', fragment)
    assert f'action="{cell_url(a1(), "screening", "leerkracht")}"' in fragment
    assert "csrfmiddlewaretoken" in fragment
    cancel = client.get(cell_url(a1(), "screening", "leerkracht") + "?cancel=1", headers=HTMX)
    assert "<select" not in cancel.content.decode()
    assert 'data-letter="C"' in cancel.content.decode()


def test_plain_get_returns_a_full_page_with_the_form(client, demo_cast, login):
    login("tb@sintjozef.demo")
    response = client.get(cell_url(a1(), "screening", "leerkracht"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page and 'data-testid="raci-cell-form"' in page


# --- raci_cell: changing a letter ----------------------------------------------------------


def test_htmx_post_changes_the_letter_and_returns_the_cell(client, demo_cast, login):
    login("tb@sintjozef.demo")
    response = client.post(cell_url(a1(), "screening", "leerkracht"), {"letter": "I"}, headers=HTMX)
    assert response.status_code == 200
    fragment = response.content.decode().strip()
    assert fragment.startswith(
        '<td id="raci-screening-leerkracht" class="raci__cell" data-letter="I"'
    )
    assert "<select" not in fragment
    assert letters(a1())[("screening", "leerkracht")] == "I"


def test_plain_post_redirects_to_the_matrix(client, demo_cast, login):
    login("directie@sintjozef.demo")  # change_raci through "jaarplanning" (A)
    response = client.post(cell_url(a1(), "verzekering", "trajectbegeleider"), {"letter": "C"})
    assert response.status_code == 302
    assert response["Location"] == matrix_url(a1())
    assert letters(a1())[("verzekering", "trajectbegeleider")] == "C"


def test_clearing_a_cell_deletes_it(client, demo_cast, login):
    login("tb@sintjozef.demo")
    response = client.post(cell_url(a1(), "screening", "ouder"), {"letter": ""}, headers=HTMX)
    assert response.status_code == 200
    assert ("screening", "ouder") not in letters(a1())


@pytest.mark.parametrize(
    ("task", "role", "letter", "message"),
    [
        # the only A made a C: zero A
        ("informeren_rekruteren", "coordinator_school", "C", "needs an A"),
        # the A holder cleared: zero A (giving another role the A moves it instead, see below)
        ("screening", "coordinator_school", "", "needs an A"),
        ("jaarplanning", "directie_school", "I", "needs an A"),
        # the only R of "diploma" (RA) keeps only the A: zero R
        ("diploma", "directie_school", "A", "at least one R"),
        ("klassenraad", "leerkracht", "", "at least one R"),
    ],
)
def test_a_change_breaking_the_rules_is_refused(
    client, demo_cast, login, task, role, letter, message
):
    client.cookies["duaal_language"] = "en"
    login("tb@sintjozef.demo")
    before = letters(a1())
    response = client.post(cell_url(a1(), task, role), {"letter": letter}, headers=HTMX)
    assert response.status_code == 400
    fragment = response.content.decode()
    assert message in fragment
    assert "<select" in fragment  # the form again, with the error
    assert letters(a1()) == before
    plain = client.post(cell_url(a1(), task, role), {"letter": letter})
    assert plain.status_code == 400
    assert message in plain.content.decode()
    assert letters(a1()) == before


def test_the_refusal_is_in_dutch_by_default(client, demo_cast, login):
    login("tb@sintjozef.demo")
    before = letters(a1())
    response = client.post(cell_url(a1(), "screening", "coordinator_school"), {"letter": "C"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="raci-error"' in page
    assert "Elke taak heeft een A (eindverantwoordelijke) nodig" in page
    assert letters(a1()) == before


def test_an_unknown_letter_is_refused(client, demo_cast, login):
    login("tb@sintjozef.demo")
    before = letters(a1())
    response = client.post(cell_url(a1(), "screening", "leerkracht"), {"letter": "X"}, headers=HTMX)
    assert response.status_code == 400
    assert letters(a1()) == before


def test_unknown_task_or_role_is_404(client, demo_cast, login):
    login("tb@sintjozef.demo")
    assert client.get(cell_url(a1(), "no-such-task", "leerkracht")).status_code == 404
    assert client.get(cell_url(a1(), "screening", "astronaut")).status_code == 404
    assert client.post(cell_url(a1(), "screening", "astronaut"), {"letter": "C"}).status_code == 404


@pytest.mark.parametrize(
    "email", ["mentor@vandenberghe.demo", "lk@sintjozef.demo", "coord@vandenberghe.demo"]
)
def test_cell_is_403_without_change_raci(client, demo_cast, login, email):
    login(email)
    before = letters(a1())
    assert client.get(matrix_url(a1())).status_code == 200  # they may see the matrix
    path = cell_url(a1(), "screening", "leerkracht")
    assert client.get(path, headers=HTMX).status_code == 403
    assert client.post(path, {"letter": "I"}, headers=HTMX).status_code == 403
    assert client.post(path, {"letter": "I"}).status_code == 403
    assert letters(a1()) == before


def test_cell_other_tenant_anonymous_and_wrong_method(client, demo_cast, login):
    path = cell_url(a1(), "screening", "leerkracht")
    before = letters(a1())
    assert_login_redirect(client.get(path))
    assert_login_redirect(client.post(path, {"letter": "I"}))
    for email in ("tb@dering.demo", "directie@dering.demo", "coord@daems.demo"):
        login(email)  # each may change the matrix of their own partnership
        assert client.get(path, headers=HTMX).status_code == 404
        assert client.post(path, {"letter": "I"}, headers=HTMX).status_code == 404
    login("tb@sintjozef.demo")
    assert client.put(path).status_code == 405
    assert client.delete(path).status_code == 405
    assert letters(a1()) == before


# --- the matrix is the policy --------------------------------------------------------------


def test_a_letter_grants_its_permissions_on_the_next_request(client, demo_cast, login):
    login("lk@sintjozef.demo")
    assert client.get(cell_url(a1(), "screening", "ouder")).status_code == 403
    # "jaarplanning" carries change_raci: give the leerkracht an R there ...
    login("tb@sintjozef.demo")
    assert (
        client.post(cell_url(a1(), "jaarplanning", "leerkracht"), {"letter": "R"}).status_code
        == 302
    )
    login("lk@sintjozef.demo")
    assert client.get(cell_url(a1(), "screening", "ouder")).status_code == 200
    # ... and take it away again: 403 at once.
    login("tb@sintjozef.demo")
    assert (
        client.post(cell_url(a1(), "jaarplanning", "leerkracht"), {"letter": ""}).status_code == 302
    )
    login("lk@sintjozef.demo")
    assert client.get(cell_url(a1(), "screening", "ouder")).status_code == 403


def test_a_role_without_letters_sees_nothing_on_the_next_request(client, demo_cast, login):
    lk = user("lk@sintjozef.demo")
    lotte = Traject.objects.get(student__first_name="Lotte")
    assert permissions.get_traject_for_user(user=lk, public_id=lotte.public_id) == lotte
    login("tb@sintjozef.demo")
    for task in raci.TASKS:
        current = letters(a1())
        if (task.code, "leerkracht") not in current:
            continue
        others_r = [
            role
            for (code, role), letter in current.items()
            if code == task.code and role != "leerkracht" and "R" in letter
        ]
        if not others_r:  # the leerkracht is the only R: hand the R to the trajectbegeleider
            tb_letter = current.get((task.code, "trajectbegeleider"), "")
            response = client.post(
                cell_url(a1(), task.code, "trajectbegeleider"),
                {"letter": "RA" if "A" in tb_letter else "R"},
            )
            assert response.status_code == 302, task.code
        response = client.post(cell_url(a1(), task.code, "leerkracht"), {"letter": ""})
        assert response.status_code == 302, task.code
    assert not any(role == "leerkracht" for _task, role in letters(a1()))
    assert not permissions.trajects_visible_to(user=lk).exists()
    assert not permissions.partnerships_visible_to(user=lk).exists()
    with pytest.raises(Http404):
        permissions.get_traject_for_user(user=lk, public_id=lotte.public_id)
    login("lk@sintjozef.demo")
    assert client.get(matrix_url(a1())).status_code == 404
    # Every task still keeps its A (one per side at most) and at least one R.
    for task in raci.TASKS:
        row = {role: letter for (code, role), letter in letters(a1()).items() if code == task.code}
        assert raci.validate_task_letters(row) == [], task.code


def test_giving_the_a_to_another_role_moves_the_accountability(client, demo_cast, login):
    login("coord@sintjozef.demo")
    path = cell_url(a1(), "screening", "directie_school")
    response = client.post(path, {"letter": "A"}, headers=HTMX)
    assert response.status_code == 200
    assert response.headers.get("HX-Refresh") == "true"  # two cells changed
    after = letters(a1())
    assert after[("screening", "directie_school")] == "A"
    assert after[("screening", "coordinator_school")] == "R"
    # Without htmx: a redirect to the matrix, and the move back works the same way.
    response = client.post(cell_url(a1(), "screening", "coordinator_school"), {"letter": "RA"})
    assert response.status_code == 302
    after = letters(a1())
    assert after[("screening", "coordinator_school")] == "RA"
    assert after[("screening", "directie_school")] == "R"


# --- appendix 4: an Accountable per party (issue 7, item 10) --------------------------------


def test_the_template_keeps_both_accountables_where_the_appendix_names_two():
    for code in ("lesvoorbereiding", "coachen", "evalueren"):
        defaults = raci.TASKS_BY_CODE[code].defaults
        assert defaults["coordinator_school"] == "A", code
        assert defaults["coordinator_bedrijf"] == "A", code
    # werkpostfiche: CS consulted, the preventieadviseur informed (the layout of the other
    # administrative rows).
    assert raci.TASKS_BY_CODE["werkpostfiche"].defaults["coordinator_school"] == "C"
    assert raci.TASKS_BY_CODE["werkpostfiche"].defaults["preventieadviseur"] == "I"
    for task in raci.TASKS:
        assert raci.validate_task_letters(task.defaults) == [], task.code


@pytest.mark.parametrize(
    "letters_, ok",
    [
        ({"leerkracht": "R", "coordinator_school": "A", "coordinator_bedrijf": "A"}, True),
        ({"leerkracht": "R", "coordinator_school": "A", "directie_school": "A"}, False),
        ({"leerkracht": "R", "mentor": "A", "coordinator_bedrijf": "A"}, False),
        ({"leerkracht": "R", "leerling": "A"}, False),
        ({"leerkracht": "R"}, False),
    ],
)
def test_at_least_one_a_and_at_most_one_per_side(letters_, ok):
    assert (raci.validate_task_letters(letters_) == []) is ok


def test_giving_the_a_moves_it_only_on_its_own_side(client, demo_cast, login):
    login("coord@sintjozef.demo")
    # The company's A of "evalueren" moves from its coördinator to its directie; the school's
    # A stays with the school's coördinator.
    response = client.post(cell_url(a1(), "evalueren", "directie_bedrijf"), {"letter": "A"})
    assert response.status_code == 302
    after = letters(a1())
    assert after[("evalueren", "directie_bedrijf")] == "A"
    assert after[("evalueren", "coordinator_bedrijf")] == "R"
    assert after[("evalueren", "coordinator_school")] == "A"


def test_each_accountable_approves_for_its_own_side(demo_cast):
    """CB approves (evalueren A) the trajects placed in its company only; CS every traject."""
    cb = user("coord@vandenberghe.demo")
    cs = user("coord@sintjozef.demo")
    a1_trajects = Traject.objects.filter(partnership=a1())
    for traject in a1_trajects:
        assert permissions.APPROVE_TRAJECT in permissions.traject_permissions(
            user=cs, traject=traject
        )
        assert permissions.EVALUATE in permissions.traject_permissions(user=cs, traject=traject)
    company_trajects = a1_trajects.filter(placements__company__name="Metaalbouw Vandenberghe")
    assert company_trajects.exists()
    for traject in company_trajects.distinct():
        held = permissions.traject_permissions(user=cb, traject=traject)
        assert {permissions.APPROVE_TRAJECT, permissions.EVALUATE} <= held
    emma = Traject.objects.get(student__first_name="Emma")
    assert permissions.traject_permissions(user=cb, traject=emma) == set()


# --- issue 8: accessible names, labels on phones, focus after an htmx save ------------------


def test_each_edit_link_names_its_task_role_and_letter(client, demo_cast, login):
    login("tb@sintjozef.demo")
    page = client.get(matrix_url(a1())).content.decode()
    assert 'aria-label="Wijzig Screening – Mentor: R"' in page
    assert 'aria-label="Wijzig Screening – Begeleider: geen letter"' in page
    # Every cell names its role (shown beside the letter on a phone).
    assert page.count('class="raci__role"') == len(raci.TASKS) * len(raci.MATRIX_ROLES)
    assert 'data-letter="R" data-label="Mentor"' in page
    assert " autofocus" not in page  # a full page load leaves the focus alone
    client.cookies["duaal_language"] = "en"
    page = client.get(matrix_url(a1())).content.decode()
    assert 'aria-label="Change Screening – Mentor: R"' in page


def test_htmx_fragments_put_the_focus_where_the_person_works(client, demo_cast, login):
    login("tb@sintjozef.demo")
    path = cell_url(a1(), "screening", "leerkracht")
    editor = client.get(path, headers=HTMX).content.decode()
    assert re.search(r"<select[^>]* autofocus", editor)  # the letter's select
    assert "Letter voor Screening – Leerkracht duaal" in editor
    saved = client.post(path, {"letter": "I"}, headers=HTMX).content.decode()
    link = re.search(r"<a [^>]*raci__letter[^>]*>", saved).group(0)
    assert "autofocus" in link  # back on the cell's own link after the save
    assert 'aria-label="Wijzig Screening – Leerkracht duaal: I"' in link
    cancelled = client.get(path + "?cancel=1", headers=HTMX).content.decode()
    assert "autofocus" in re.search(r"<a [^>]*raci__letter[^>]*>", cancelled).group(0)
