"""Each persona of the demo cast gets a home that answers "what do I do now"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from accounts.models import User
from organisations import demo as people

LOTTE, MOHAMED, EMMA, JONAS = "Lotte Janssens", "Mohamed El Amrani", "Emma Willems", "Jonas Maes"
NOOR = "Noor Peeters"
STUDENTS = (LOTTE, MOHAMED, EMMA, JONAS)
INTERNAL = ("veiligheidsattitude", "Intakegesprek gevoerd")  # the demo's intake/beginsituatie


def sections(html: str, testid: str) -> str:
    """The text of every ``<section data-testid=testid>`` of the page ('' when none)."""
    found = re.findall(
        rf'<section[^>]*data-testid="{testid}"[^>]*>(.*?)</section>', html, flags=re.S
    )
    return "\n".join(found)


def panels(html: str) -> list[str]:
    return re.findall(r'<section[^>]*data-testid="(home-[a-z-]+)"', html)


# email -> (panels in order, students the home names, students it must not name)
# The teachers' home-klassenraad: the klassenraad report per class (issue 14 item 6).
EXPECTED: dict[str, tuple[list[str], set[str]]] = {
    "tb@sintjozef.demo": (
        ["home-students", "home-klassenraad", "home-organisations"],
        {LOTTE, MOHAMED, EMMA},
    ),
    "coord@sintjozef.demo": (
        [
            "home-waiting",
            "home-actions",  # the coordinator's action list (issue 14)
            "home-partnerships",
            "home-starts",
            "home-programmatie",
            "home-students",
            "home-dashboard-school",  # issue 14: the school dashboard
            "home-organisations",
        ],
        {LOTTE, MOHAMED, EMMA},
    ),
    "lk@sintjozef.demo": (
        ["home-students", "home-klassenraad", "home-organisations"],
        {LOTTE, MOHAMED},
    ),
    "directie@sintjozef.demo": (
        [
            "home-waiting",
            "home-programmatie",
            "home-dashboard-school",  # issue 14: the school dashboard
            "home-director",
            "home-organisations",
        ],
        set(),
    ),
    "tb@dering.demo": (["home-students", "home-klassenraad", "home-organisations"], {JONAS}),
    "directie@dering.demo": (
        [
            "home-waiting",
            "home-programmatie",
            "home-dashboard-school",  # issue 14: the school dashboard
            "home-director",
            "home-organisations",
        ],
        set(),
    ),
    "mentor@vandenberghe.demo": (["home-mentor-week", "home-organisations"], {LOTTE}),
    "mentor2@vandenberghe.demo": (["home-mentor-week", "home-organisations"], {MOHAMED, JONAS}),
    "coord@vandenberghe.demo": (
        [
            "home-waiting",
            "home-actions",  # the coordinator's action list (issue 14)
            "home-partnerships",
            "home-starts",
            "home-company-recognitions",
            "home-students",
            "home-organisations",
        ],
        {LOTTE, MOHAMED, JONAS},
    ),
    "directie@vandenberghe.demo": (
        [
            "home-waiting",
            "home-company-recognitions",
            "home-director",
            "home-company-dashboard",  # the company director's dashboard (issue 14)
            "home-organisations",
        ],
        set(),
    ),
    "mentor@daems.demo": (["home-mentor-week", "home-organisations"], {EMMA}),
    "coord@daems.demo": (
        [
            "home-waiting",
            "home-actions",  # the coordinator's action list (issue 14)
            "home-partnerships",
            "home-starts",
            "home-company-recognitions",
            "home-students",
            "home-organisations",
        ],
        {EMMA},
    ),
    "oc@octl.demo": (["home-students", "home-organisations"], {LOTTE, MOHAMED}),
    # The sector dashboard's panel (issue 14) right after the recognition inbox's.
    "consulent@sector.demo": (
        ["home-recognitions", "home-sector-dashboard", "home-organisations"],
        set(),
    ),
    "leerling1@sintjozef.demo": (["home-family", "home-family-learning", "home-day"], {LOTTE}),
    "leerling2@sintjozef.demo": (["home-family", "home-family-learning", "home-day"], {MOHAMED}),
    "leerling3@sintjozef.demo": (["home-family", "home-family-learning", "home-day"], {EMMA}),
    "leerling1@dering.demo": (["home-family", "home-family-learning", "home-day"], {JONAS}),
    "ouder1@sintjozef.demo": (["home-family", "home-family-learning"], {LOTTE}),
    # Noor (contracts demo) starts in three weeks; her traject is in intake.
    "leerling4@sintjozef.demo": (["home-family", "home-family-learning", "home-day"], {NOOR}),
    "ouder2@sintjozef.demo": (["home-family", "home-family-learning"], {NOOR}),
}


def test_every_person_of_the_cast_has_an_expected_home():
    assert set(EXPECTED) == {person.email for person in people.PEOPLE}


@pytest.mark.parametrize("email", list(EXPECTED))
def test_the_home_shows_the_panels_of_the_persons_roles_and_only_their_students(home, email):
    expected_panels, named = EXPECTED[email]
    html = home(email)
    assert panels(html) == expected_panels
    for name in STUDENTS:
        assert (name in html) == (name in named), name
    for text in INTERNAL:
        assert text not in html
    assert "Je hoort nog bij geen enkele organisatie" not in html


def test_the_mentor_sees_this_weeks_pattern_of_her_student(home, week):
    from evaluation.models import WeeklyCheckin

    # The demo's school year ends on the day it was seeded; this test's week may lie in it.
    WeeklyCheckin.objects.filter(
        traject__student__first_name="Lotte", week_start=week - timedelta(days=week.weekday())
    ).delete()
    html = home("mentor@vandenberghe.demo")
    panel = sections(html, "home-mentor-week")
    monday = week.day - 2
    assert f"Week {week.isocalendar().week} · " in panel
    assert f"{monday}–" in panel
    cards = re.findall(
        r'<li class="card" data-testid="week-student">(.*?)</li>\s*(?=<li class="card"|</ul>)',
        panel,
        flags=re.S,
    )
    assert len(cards) == 1 and LOTTE in cards[0]
    # Lotte: school, training centre, then three company days; one tap to her traject.
    days = re.findall(r'<li class="week__day">.*?</li>', cards[0], flags=re.S)
    places = [re.sub(r"<[^>]+>", " ", day).split()[-1] for day in days]
    assert places == ["School", "Opleidingscentrum", "Bedrijf", "Bedrijf", "Bedrijf"]
    assert "/trajects/" in cards[0]
    # The evaluation app's weekly check-in fills the slot: one tap to this week's check-in.
    assert 'data-testid="checkin-due">Weekevaluatie →</a>' in cards[0]
    assert f"/checkins/{week - timedelta(days=week.weekday())}/" in cards[0]


def test_the_student_sees_her_own_traject_without_internal_notes(home):
    html = home("leerling1@sintjozef.demo")
    panel = sections(html, "home-family")
    assert "Mijn traject" in panel
    for fact in (
        "Lassen-Constructie",
        "Technisch Instituut Sint-Jozef",
        "Metaalbouw Vandenberghe",
        "Patrick Hermans",
    ):
        assert fact in panel, fact
    assert "Mijn organisaties" not in html
    assert 'data-testid="home-traject-link"' in panel
    assert "/agenda/" in panel


def test_the_parent_sees_her_childs_traject(home):
    panel = sections(home("ouder1@sintjozef.demo"), "home-family")
    assert "Traject van Lotte" in panel
    assert LOTTE in panel and "Patrick Hermans" in panel


def test_the_director_sees_real_counts_of_the_trajects_they_may_see(home):
    html = home("directie@vandenberghe.demo")
    panel = sections(html, "home-director")
    rows = re.findall(r'<tr data-testid="director-count">(.*?)</tr>', panel, flags=re.S)
    totals = {
        re.search(r'<td data-label="School">([^<]+)</td>', row).group(1): int(
            re.search(r'data-testid="director-total">(\d+)<', row).group(1)
        )
        for row in rows
    }
    # A1 (Sint-Jozef): Lotte, Mohamed and Noor (in intake); B1 (De Ring): Jonas. Emma
    # (company Z) is not theirs.
    assert totals == {"Technisch Instituut Sint-Jozef": 3, "GO! Technisch Atheneum De Ring": 1}
    assert "dashboard" in panel.lower()


def test_the_consultant_sees_their_organisation_and_no_student(home, week):
    from recognition.models import Recognition

    # The demo's pending request, complete 4 days before the (fixed) day of the home.
    Recognition.objects.filter(opleiding__code="onderhoudsmechanica").update(
        complete_on=week - timedelta(days=4), decision_due=week + timedelta(days=10)
    )
    html = home("consulent@sector.demo")
    panel = sections(html, "home-organisations")
    assert "Sectoraal Partnerschap Technologische Industrie" in panel
    assert "/organisations/" in panel
    # Their work: the decisions on recognition requests due within 14 days (the demo's one).
    panel = sections(html, "home-recognitions")
    assert 'href="/recognitions/inbox/?due=soon" data-testid="home-recognitions-soon"' in panel
    assert "1 beslissing binnen 14 dagen" in panel
    for name in STUDENTS:
        assert name not in html


def test_the_student_and_the_parent_reach_what_the_student_learns(client, demo_cast):
    """The family's learning panel links the traject's leerfiches, plan and bedrijfsfiches, and
    each page opens for them."""
    for email in ("leerling1@sintjozef.demo", "ouder1@sintjozef.demo"):
        client.force_login(User.objects.get(email=email))
        panel = sections(client.get("/").content.decode(), "home-family-learning")
        links = re.findall(
            r'href="([^"]+)" data-testid="home-(leerfiches|plan|bedrijfsfiches)"', panel
        )
        assert {name for _href, name in links} == {"leerfiches", "plan", "bedrijfsfiches"}
        for href, _name in links:
            assert client.get(href).status_code == 200, (email, href)
