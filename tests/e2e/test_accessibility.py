"""Accessibility of the main pages: axe-core in a real Chromium, for three personas, on a desktop
(1280 px) and on a phone (390 px).

For every page a persona can open: no axe violation of impact *critical* or *serious* under
the WCAG 2.0/2.1/2.2 A and AA rules, no Content-Security-Policy violation in the console, and
on the phone no horizontal scrolling (``scrollWidth <= 390``). One browser context per persona
and viewport; the persona logs in once and both viewports reuse the session (storage state).

axe-core is vendored in tests/vendor/axe-core/ (CI has no internet) and injected as an init
script, which the page's CSP does not govern; the application never serves it.

A failure lists every problem of the persona at once, per viewport and page: the axe rule, its
impact, what it checks, and for each offending element its CSS selector, HTML and axe's
summary; for horizontal scrolling the elements that stick out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from duaal import demo
from organisations.models import Organisation
from partnerships.models import Partnership, Traject

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"critical", "serious"}
VIEWPORTS = {
    "desktop 1280 px": {"viewport": {"width": 1280, "height": 800}},
    "phone 390 px": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    },
}
PHONE_WIDTH = 390

RUN_AXE = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "), html: n.html.slice(0, 240),
      summary: (n.failureSummary || "").replace(/\\s+/g, " ").slice(0, 400),
    })),
  }));
}"""

# Elements whose right edge lies beyond the viewport: the cause of horizontal scrolling.
WIDE_ELEMENTS = """(width) => {
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0) {
      const id = el.id ? "#" + el.id : "";
      const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
      out.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(box.right)} px)`);
    }
    if (out.length >= 8) break;
  }
  return out;
}"""


@dataclass(frozen=True)
class Persona:
    email: str
    pages: Callable[[], list[tuple[str, str]]]  # (name, path), built from the demo cast


def _a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name__contains="Sint")


def _lotte() -> Traject:
    return Traject.objects.get(student__first_name="Lotte", student__last_name="Janssens")


def _import_result(school: Organisation, actor: User) -> str:
    """A CSV import with one wrong row: its result page lists the rows and their errors."""
    from partnerships.services import imports as import_services

    upload = SimpleUploadedFile(
        "leerlingen.csv",
        (
            b"voornaam;achternaam;geboortedatum;klas;stamnummer;e-mail\n"
            b"Lore;Peeters;14/03/2009;6 LAS;SJ-2030-001;lore.peeters@example.org\n"
            b"Tuur;;31/02/2009;9 XYZ;;geen-adres\n"
        ),
        content_type="text/csv",
    )
    job = import_services.student_import_start(
        actor=actor, school=school, upload=upload, partnership=None
    )
    return f"/organisations/{school.public_id}/students/import/{job.public_id}/"


def _bedrijfsfiches() -> tuple[str, str]:
    """(published, draft) paths of Vandenberghe's demo bedrijfsfiches in A1; an adopted plan
    is built first when the demo has none (tests/learning)."""
    from learning.demo.bedrijfsfiches import seed_bedrijfsfiches
    from learning.models import BedrijfsficheVersion
    from tests.learning.bedrijfsfiche_helpers import adopt_plan

    adopt_plan(_a1())
    seed_bedrijfsfiches()
    versions = BedrijfsficheVersion.objects.filter(bedrijfsfiche__partnership=_a1())
    published = versions.get(bedrijfsfiche__leerfiche_key="geintegreerde-lasopdracht")
    draft = versions.get(bedrijfsfiche__leerfiche_key="veilig-lassen")
    return f"/bedrijfsfiches/{published.public_id}/", f"/bedrijfsfiches/{draft.public_id}/"


def _lotte_evaluated() -> str:
    """Lotte's evaluation pages' prefix, with marks that disagree and a soft skill rated (the
    triangulation, the progress history and the overview then show every kind of cell)."""
    from evaluation.models import Evaluator, Rating
    from tests.evaluation.marking import criterion_keys, first_period, mark, rate_skills

    lotte = _lotte()
    cast = {user.email: user for user in User.objects.filter(email__endswith=".demo")}
    c = criterion_keys(lotte)
    mark(cast, lotte, Evaluator.SELF, {c[0]: "V", c[1]: "V"}, note="Hoeknaad gelast.")
    mark(cast, lotte, Evaluator.MENTOR, {c[0]: "V", c[1]: "O"})
    period = first_period(lotte)
    rate_skills(cast, lotte, period, Evaluator.SELF, {"stiptheid": Rating.MEETS})
    rate_skills(cast, lotte, period, Evaluator.MENTOR, {"stiptheid": Rating.NOT_YET})
    return f"/trajects/{lotte.public_id}/evaluations"


def _ended_student_erase() -> str:
    """The erase confirmation of a student whose traject has ended (Mohamed's): the page with
    the consequences and the button, rather than the reasons it cannot be done yet."""
    from partnerships.models import TrajectStatus

    traject = Traject.objects.get(student__first_name="Mohamed")
    Traject.objects.filter(pk=traject.pk).update(status=TrajectStatus.COMPLETED)
    return f"/students/{traject.student.public_id}/my-data/erase/"


def _contract_of(first_name: str) -> str:
    """The contract page of a demo student's (first) contract."""
    from contracts.models import Contract

    contract = Contract.objects.select_related("traject").get(
        traject__student__first_name=first_name
    )
    return f"/trajects/{contract.traject.public_id}/contracts/{contract.public_id}/"


def _lotte_contract_to_sign() -> str:
    """Lotte's demo contract (taken over, running) put back out for signing: the signing
    screen with its form, for the student's own party."""
    from contracts.models import Contract, Signature

    contract = Contract.objects.get(traject=_lotte())
    Signature.objects.filter(contract=contract).delete()
    Contract.objects.filter(pk=contract.pk).update(state="to_sign", taken_over=False)
    return f"/contracts/{contract.public_id}"


def _lotte_checklist() -> str:
    """Lotte's start checklist with two items open again (their cards show the proof form)."""
    from contracts.models import ChecklistItem, Contract
    from contracts.services.checklist import item_reopen

    contract = Contract.objects.get(traject=_lotte())
    coordinator = User.objects.get(email="coord@sintjozef.demo")
    for item in ChecklistItem.objects.filter(contract=contract, code__in=["dimona", "onthaal"]):
        if item.done_on is not None:
            item_reopen(actor=coordinator, item=item, version=item.version)
    return f"/trajects/{contract.traject.public_id}/contracts/{contract.public_id}/checklist/"


def _own_mentor_profile(company: Organisation) -> str:
    mentor = User.objects.get(email="mentor@vandenberghe.demo")
    return f"/organisations/{company.public_id}/mentors/{mentor.public_id}/profile/"


def _recognition_of(company: Organisation) -> str:
    from recognition.models import Recognition

    recognition = Recognition.objects.filter(company=company).order_by("pk").first()
    return f"/recognitions/requests/{recognition.public_id}/"


def _partner_search() -> str:
    """The partner search with a query that finds the demo's findable Daems."""
    from learning.models import Opleiding

    opleiding = Opleiding.objects.get(code="onderhoudsmechanica")
    return f"/recognition/partners/?opleiding={opleiding.pk}&postcode=3500"


def _programmatie(school: Organisation) -> str:
    from recognition.models import Programmatie

    item = Programmatie.objects.filter(school=school).order_by("pk").first()
    return f"/recognition/programmatie/{item.public_id}/"


def _pending_recognition() -> str:
    """The demo's request awaiting the consultant's decision, in the inbox."""
    from recognition.models import Recognition

    item = Recognition.objects.get(opleiding__code="onderhoudsmechanica")
    return f"/recognitions/inbox/{item.public_id}/"


def coordinator_pages() -> list[tuple[str, str]]:
    a1, lotte = _a1(), _lotte()
    school = Organisation.objects.get(name="Technisch Instituut Sint-Jozef")
    coordinator = User.objects.get(email="coord@sintjozef.demo")
    p, t, o = f"/partnerships/{a1.public_id}", f"/trajects/{lotte.public_id}", school.public_id
    return [
        ("home", "/"),
        ("trajects list", "/trajects/"),
        ("traject detail", f"{t}/"),
        ("traject edit", f"{t}/edit/"),
        ("placement form", f"{t}/placements/new/"),
        ("partnerships list", "/partnerships/"),
        ("new partnership", "/partnerships/new/"),
        ("partnership detail", f"{p}/"),
        ("RACI matrix", f"{p}/raci/"),
        ("RACI cell editor", f"{p}/raci/screening/mentor/"),
        ("new traject", f"{p}/trajects/new/"),
        ("agenda", "/agenda/"),
        ("notifications", "/notifications/"),
        ("notification preferences", "/notifications/preferences/"),
        ("reminders", "/notifications/reminders/"),
        ("school", f"/organisations/{o}/"),
        ("school edit", f"/organisations/{o}/edit/"),
        ("new student", f"/organisations/{o}/students/new/"),
        ("student import", f"/organisations/{o}/students/import/"),
        ("student import result", _import_result(school, coordinator)),
        ("password change", "/accounts/password/change/"),
        ("evaluations", "/evaluations/"),
        ("triangulation", f"{_lotte_evaluated()}/triangulation/"),
        ("progress", f"{_lotte_evaluated()}/progress/"),
        ("my data", "/my-data/"),
        ("student data", f"/students/{lotte.student.public_id}/my-data/"),
        ("student erase, blocked", f"/students/{lotte.student.public_id}/my-data/erase/"),
        ("student erase, confirmation", _ended_student_erase()),
        ("contracts of a traject", f"{t}/contracts/"),
        ("contract out for signing (Noor)", _contract_of("Noor")),
        ("contract running (Lotte)", _contract_of("Lotte")),
        ("contract suspend form", f"{_contract_of('Lotte')}suspend/"),
        ("contract end form", f"{_contract_of('Lotte')}end/"),
        ("start checklist", _lotte_checklist()),
        ("starts in the next 30 days", "/contracts/starts/"),
        ("partner search", "/recognition/partners/"),
        ("partner search, results", _partner_search()),
        ("programmatie list", "/recognition/programmatie/"),
        ("programmatie detail", _programmatie(school)),
    ]


def company_coordinator_pages() -> list[tuple[str, str]]:
    """The company's coördinator (an administrator): its recognitions, the mentors' profiles
    it edits and its listing in the partner search."""
    company = Organisation.objects.get(name="Metaalbouw Vandenberghe")
    return [
        ("home", "/"),
        ("company overview", f"/organisations/{company.public_id}/students/"),
        ("recognitions", f"/organisations/{company.public_id}/recognitions/"),
        ("recognition", _recognition_of(company)),
        ("mentor profile, edit", _own_mentor_profile(company)),
        ("partner listing", f"/recognition/companies/{company.public_id}/listing/"),
    ]


def consultant_pages() -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("recognition inbox", "/recognitions/inbox/"),
        ("recognition inbox, overdue", "/recognitions/inbox/?due=overdue"),
        ("recognition request", _pending_recognition()),
    ]


def mentor_pages() -> list[tuple[str, str]]:
    a1, lotte = _a1(), _lotte()
    company = Organisation.objects.get(name="Metaalbouw Vandenberghe")
    _published, draft = _bedrijfsfiches()
    return [
        ("bedrijfsfiches", f"/partnerships/{a1.public_id}/bedrijfsfiches/"),
        ("bedrijfsfiche draft", draft),
        ("bedrijfsfiche edit", f"{draft}edit/"),
        ("home", "/"),
        ("trajects list", "/trajects/"),
        ("traject detail", f"/trajects/{lotte.public_id}/"),
        ("traject edit", f"/trajects/{lotte.public_id}/edit/"),
        ("partnerships list", "/partnerships/"),
        ("partnership detail", f"/partnerships/{a1.public_id}/"),
        ("RACI matrix", f"/partnerships/{a1.public_id}/raci/"),
        ("agenda", "/agenda/"),
        ("notifications", "/notifications/"),
        ("notification preferences", "/notifications/preferences/"),
        ("company", f"/organisations/{company.public_id}/"),
        ("company overview", f"/organisations/{company.public_id}/students/"),
        ("my mentor profile", _own_mentor_profile(company)),
        ("recognitions", f"/organisations/{company.public_id}/recognitions/"),
        ("recognition", _recognition_of(company)),
        ("password change", "/accounts/password/change/"),
        ("triangulation", f"{_lotte_evaluated()}/triangulation/"),
        ("my data", "/my-data/"),
        ("contract", _contract_of("Lotte")),
    ]


def student_pages() -> list[tuple[str, str]]:
    lotte = _lotte()
    published, _draft = _bedrijfsfiches()
    return [
        ("bedrijfsfiches", f"/trajects/{lotte.public_id}/bedrijfsfiches/"),
        ("bedrijfsfiche", published),
        ("home", "/"),
        ("trajects list", "/trajects/"),
        ("own traject", f"/trajects/{lotte.public_id}/"),
        ("partnerships list", "/partnerships/"),
        ("agenda", "/agenda/"),
        ("notifications", "/notifications/"),
        ("notification preferences", "/notifications/preferences/"),
        ("password change", "/accounts/password/change/"),
        ("progress", f"{_lotte_evaluated()}/progress/"),
        ("my data", "/my-data/"),
        ("own contract", _contract_of("Lotte")),
        ("contract signing", f"{_lotte_contract_to_sign()}/sign/"),
        ("contract PDF", f"{_lotte_contract_to_sign()}/pdf/"),
        ("start checklist", _lotte_checklist()),
    ]


def parent_pages() -> list[tuple[str, str]]:
    """Lotte's mother: what the family reads of her traject and contract."""
    lotte = _lotte()
    return [
        ("home", "/"),
        ("child's traject", f"/trajects/{lotte.public_id}/"),
        ("my data", "/my-data/"),
        ("contract page, with the link to sign", _contract_of("Lotte")),
        ("contract signing", f"{_lotte_contract_to_sign()}/sign/"),
        ("contract PDF", f"{_lotte_contract_to_sign()}/pdf/"),
        ("start checklist", _lotte_checklist()),
    ]


def anonymous_pages() -> list[tuple[str, str]]:
    return [("login", "/accounts/login/"), ("password reset", "/accounts/password/reset/")]


PERSONAS = {
    "coordinator": Persona("coord@sintjozef.demo", coordinator_pages),
    "mentor": Persona("mentor@vandenberghe.demo", mentor_pages),
    "company coordinator": Persona("coord@vandenberghe.demo", company_coordinator_pages),
    "consultant": Persona("consulent@sector.demo", consultant_pages),
    "student": Persona("leerling1@sintjozef.demo", student_pages),
    "parent": Persona("ouder1@sintjozef.demo", parent_pages),
    "anonymous": Persona("", anonymous_pages),
}


def _log_in(browser, base_url: str, email: str) -> dict:
    """Log in once through the login form; the session is shared by both viewports."""
    context = browser.new_context(base_url=base_url, locale="nl-BE")
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.locator("[name=username]").fill(email)
        page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url(f"{base_url}/")
        return context.storage_state()
    finally:
        context.close()


def _format(violation: dict) -> str:
    nodes = "\n".join(
        f"        - {n['target']}\n          {n['html']}\n          {n['summary']}"
        for n in violation["nodes"][:6]
    )
    more = len(violation["nodes"]) - 6
    return (
        f"    [{violation['impact']}] {violation['id']}: {violation['help']} "
        f"({violation['helpUrl']})\n{nodes}" + (f"\n        … and {more} more" if more > 0 else "")
    )


def _check_page(page, name: str, path: str, phone: bool, csp_errors: list[str]) -> list[str]:
    """Every problem of one page, as lines of the failure message."""
    problems: list[str] = []
    csp_errors.clear()
    response = page.goto(path)
    if response is None or response.status != 200:
        status = response.status if response else "no response"
        return [f"  {name} ({path}): HTTP {status}, expected 200"]
    page.wait_for_load_state("networkidle")
    runs = [("", None)]
    if phone and page.locator(".menu-toggle").count():
        runs.append((" (menu open)", ".menu-toggle"))
    for suffix, click in runs:
        if click:
            page.locator(click).click()
        violations = page.evaluate(RUN_AXE, AXE_TAGS)
        for violation in violations:
            if violation["impact"] in BLOCKING:
                problems.append(f"  {name}{suffix} ({path}):\n{_format(violation)}")
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            wide = page.evaluate(WIDE_ELEMENTS, PHONE_WIDTH)
            problems.append(
                f"  {name} ({path}): scrolls horizontally, scrollWidth {width} px > "
                f"{PHONE_WIDTH} px; too wide: {', '.join(wide)}"
            )
    problems.extend(f"  {name} ({path}): CSP violation: {text}" for text in csp_errors)
    return problems


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_main_pages_pass_axe_and_fit_a_phone(persona, browser, live_server, demo_cast):
    who = PERSONAS[persona]
    pages = who.pages()
    state = _log_in(browser, live_server.url, who.email) if who.email else None
    axe_source = AXE.read_text(encoding="utf-8")
    report: list[str] = []
    checked = 0
    for viewport, options in VIEWPORTS.items():
        context = browser.new_context(
            base_url=live_server.url, locale="nl-BE", storage_state=state, **options
        )
        try:
            context.set_default_timeout(15_000)
            context.add_init_script(script=axe_source)
            page = context.new_page()
            csp_errors: list[str] = []
            page.on(
                "console",
                lambda msg, errors=csp_errors: (
                    errors.append(msg.text)
                    if msg.type == "error" and "Content Security Policy" in msg.text
                    else None
                ),
            )
            problems: list[str] = []
            for name, path in pages:
                problems += _check_page(page, name, path, "phone" in viewport, csp_errors)
                checked += 1
            if problems:
                report.append(f"{persona} ({who.email or 'not logged in'}), {viewport}:")
                report.extend(problems)
        finally:
            context.close()
    assert checked == len(pages) * len(VIEWPORTS)
    assert not report, (
        f"Accessibility problems ({len(report)} lines; axe tags {', '.join(AXE_TAGS)}, "
        f"impact {'/'.join(sorted(BLOCKING))}):\n" + "\n".join(report)
    )
