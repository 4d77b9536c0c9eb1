"""An independent recomputation of the school dashboard's numbers from the raw rows (plain
ORM reads and Python; nothing of ``dashboards`` or of the evaluation selectors)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from contracts.models import ChecklistItem, Contract
from evaluation.models import (
    CriterionScore,
    Evaluation,
    Session,
    SoftSkillColumn,
    WeeklyCheckin,
    Werkpunt,
)
from learning.models import Criterion, Leerfiche, Opleidingsplan, PlanEntry
from partnerships.models import Partnership, Traject

TEAM = {"mentor", "teacher", "training_centre"}


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def per_traject(traject_ids: list[int]) -> dict[int, dict]:
    """{traject id: {fiches: {key: (total, reached, not_yet, divergent)}, last: date|None,
    werkpunten: n}}"""
    out: dict[int, dict] = {pk: {"fiches": {}, "last": None, "werkpunten": 0} for pk in traject_ids}
    last_session: dict[tuple[int, str], tuple[dt.date, int, int]] = {}
    for traject_id, key, day, pk, fiche_id in Session.objects.filter(
        traject_id__in=traject_ids
    ).values_list("traject_id", "leerfiche_key", "date", "pk", "leerfiche_id"):
        current = last_session.get((traject_id, key))
        if current is None or (day, pk) > current[:2]:
            last_session[(traject_id, key)] = (day, pk, fiche_id)
    criteria: dict[int, list[str]] = defaultdict(list)
    for fiche_id, key in Criterion.objects.values_list("leerfiche_id", "key"):
        criteria[fiche_id].append(key)
    latest: dict[tuple[int, str, str, str], tuple[dt.date, int, str]] = {}
    for traject_id, fiche, crit, evaluator, mark, day, session_pk in CriterionScore.objects.filter(
        evaluation__session__traject_id__in=traject_ids
    ).values_list(
        "evaluation__session__traject_id",
        "evaluation__session__leerfiche_key",
        "criterion_key",
        "evaluation__evaluator",
        "mark",
        "evaluation__session__date",
        "evaluation__session_id",
    ):
        key = (traject_id, fiche, crit, evaluator)
        if key not in latest or (day, session_pk) > latest[key][:2]:
            latest[key] = (day, session_pk, mark)
    for (traject_id, fiche), (_day, _pk, fiche_id) in last_session.items():
        keys = criteria.get(fiche_id, [])
        if not keys or not any(k[:2] == (traject_id, fiche) for k in latest):
            continue
        reached = not_yet = divergent = 0
        for crit in keys:
            marks = {
                evaluator: latest[(traject_id, fiche, crit, evaluator)]
                for evaluator in ("self", "mentor", "teacher", "training_centre")
                if (traject_id, fiche, crit, evaluator) in latest
            }
            team = {e: v for e, v in marks.items() if e in TEAM}
            if team:
                top = max(v[0] for v in team.values())
                if all(v[2] == "V" for v in team.values() if v[0] == top):
                    reached += 1
                else:
                    not_yet += 1
            team_values = {v[2] for v in team.values()}
            if len(team_values) > 1 or (
                "self" in marks and team_values and marks["self"][2] not in team_values
            ):
                divergent += 1
        out[traject_id]["fiches"][fiche] = (len(keys), reached, not_yet, divergent)
    days: dict[int, list[dt.date]] = defaultdict(list)
    for traject_id, day in Evaluation.objects.filter(
        session__traject_id__in=traject_ids, submitted_at__isnull=False
    ).values_list("session__traject_id", "session__date"):
        days[traject_id].append(day)
    for traject_id, week in WeeklyCheckin.objects.filter(
        traject_id__in=traject_ids, done_at__isnull=False
    ).values_list("traject_id", "week_start"):
        days[traject_id].append(week)
    for traject_id, found in days.items():
        out[traject_id]["last"] = max(found)
    for werkpunt in Werkpunt.objects.filter(traject_id__in=traject_ids, closed_on__isnull=True):
        out[werkpunt.traject_id]["werkpunten"] += 1
    return out


def contract_of(traject_id: int) -> Contract | None:
    contracts = sorted(
        Contract.objects.filter(traject_id=traject_id), key=lambda c: (c.start_date, c.pk)
    )
    open_ = [c for c in contracts if c.state not in ("ended", "ended_early")]
    return (open_ or contracts or [None])[-1]


def item_open(item: ChecklistItem, contract: Contract) -> bool:
    if item.done_on is None:
        return True
    return (
        item.code == "risicoanalyse"
        and item.done_on + dt.timedelta(days=365) <= contract.start_date
    )


def recompute(partnership: Partnership, today: dt.date, start: dt.date, end: dt.date) -> dict:
    trajects = list(Traject.objects.filter(partnership=partnership).select_related("student"))
    ids = [t.pk for t in trajects]
    running = [t.pk for t in trajects if t.status == "running"]
    rows = per_traject(ids)

    weeks_self: dict[dt.date, set[int]] = defaultdict(set)
    weeks_teacher: dict[dt.date, set[int]] = defaultdict(set)
    for traject_id, evaluator, day in Evaluation.objects.filter(
        session__traject_id__in=running, submitted_at__isnull=False
    ).values_list("session__traject_id", "evaluator", "session__date"):
        if evaluator == "self":
            weeks_self[monday(day)].add(traject_id)
        if evaluator == "teacher":
            weeks_teacher[monday(day)].add(traject_id)
    weeks_mentor: dict[dt.date, set[int]] = defaultdict(set)
    for traject_id, week in WeeklyCheckin.objects.filter(
        traject_id__in=running, done_at__isnull=False
    ).values_list("traject_id", "week_start"):
        weeks_mentor[week].add(traject_id)

    def pct(n: int) -> int:
        return round(100 * n / len(running)) if running else 0

    weeks = []
    week = monday(start)
    while week <= end:
        weeks.append(
            (
                week,
                pct(len(weeks_self[week])),
                pct(len(weeks_mentor[week])),
                pct(len(weeks_teacher[week])),
            )
        )
        week += dt.timedelta(days=7)

    rounds: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for traject_id, period_id, evaluator in SoftSkillColumn.objects.filter(
        round__traject_id__in=running, submitted_at__isnull=False
    ).values_list("round__traject_id", "round__period_id", "evaluator"):
        rounds[period_id][evaluator].add(traject_id)
    round_rates = {
        period_id: (pct(len(e["self"])), pct(len(e["mentor"])), pct(len(e["teacher"])))
        for period_id, e in rounds.items()
    }

    fiches: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows.values():
        for key, (total, reached, _no, _div) in row["fiches"].items():
            fiches[key][0] += 1
            fiches[key][1] += int(reached == total)
            fiches[key][2] += reached
            fiches[key][3] += total

    contracts: Counter = Counter()
    complete: Counter = Counter()
    at_risk: dict[int, set[str]] = {}
    for traject in trajects:
        contract = contract_of(traject.pk)
        blocking_open = 0
        if contract is not None:
            items = list(ChecklistItem.objects.filter(contract=contract))
            contracts[(contract.contract_type, contract.state)] += 1
            if items and not any(item_open(i, contract) for i in items):
                complete[(contract.contract_type, contract.state)] += 1
            blocking_open = sum(1 for i in items if i.blocking and item_open(i, contract))
        if traject.status not in ("running", "intake"):
            continue
        reasons = set()
        if traject.status == "running":  # not started (intake): only a blocked start counts
            row = rows[traject.pk]
            if row["last"] is None or (today - row["last"]).days > 14:
                reasons.add("no_evaluation")
            if sum(f[2] for f in row["fiches"].values()) >= 5:
                reasons.add("not_yet")
            if sum(f[3] for f in row["fiches"].values()) >= 3:
                reasons.add("divergent")
        if (
            contract is not None
            and contract.state in ("concept", "to_sign", "signed", "registered")
            and contract.start_date <= today
            and blocking_open
        ):
            reasons.add("blocked")
        if reasons:
            at_risk[traject.pk] = reasons
    return {
        "statuses": Counter(t.status for t in trajects),
        "weeks": weeks,
        "rounds": round_rates,
        "fiches": {k: tuple(v) for k, v in fiches.items()},
        "contracts": contracts,
        "complete": complete,
        "werkpunten": sum(r["werkpunten"] for r in rows.values()),
        "at_risk": at_risk,
        "untaught": untaught(partnership),
    }


def untaught(partnership: Partnership) -> list[str]:
    """The titles of the plan's leerfiches without any entry, in the plan's order."""
    plan = Opleidingsplan.objects.filter(partnership=partnership, traject=None).first()
    if plan is None:
        return []
    planned = set(PlanEntry.objects.filter(plan=plan).values_list("leerfiche_id", flat=True))
    fiches = Leerfiche.objects.filter(version_id=plan.set_version_id).select_related("theme")
    ordered = sorted(fiches, key=lambda f: (f.theme.order, f.theme.pk, f.order, f.pk))
    return [f.title for f in ordered if f.pk not in planned]
