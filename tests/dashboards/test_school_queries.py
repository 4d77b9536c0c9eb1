"""The school dashboard reads a fixed number of queries whatever the number of students
(≤ 15): the same count with 10 as with 60 more students, each with summaries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards.models import LeerficheSummary, TrajectSummary, WeekSummary
from partnerships.models import Partnership, SchoolClass, Student, Traject
from partnerships.services.grants import partnership_sync_grants

A1 = {"name": "Lassen-Constructie duaal", "school__name": "Technisch Instituut Sint-Jozef"}
URL = "/dashboards/school/"

pytestmark = pytest.mark.django_db


def add_students(count: int, offset: int) -> None:
    partnership = Partnership.objects.get(**A1)
    school_class = SchoolClass.objects.filter(school=partnership.school).first()
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    for number in range(offset, offset + count):
        student = Student.objects.create(
            school=partnership.school,
            first_name=f"Extra{number}",
            last_name="Leerling",
            birth_date=dt.date(2009, 1, 1),
            school_class=school_class,
        )
        traject = Traject.objects.create(student=student, partnership=partnership, status="running")
        TrajectSummary.objects.create(
            traject=traject,
            last_evaluated_on=today - dt.timedelta(days=number % 30),
            criteria_total=10,
            criteria_reached=number % 10,
            criteria_not_yet=number % 7,
            criteria_divergent=number % 4,
            open_werkpunten=number % 3,
            contract_type="OAO",
            contract_state="concept",
            contract_start=today,
            checklist_done=1,
            checklist_total=5,
            checklist_blocking_open=2,
        )
        LeerficheSummary.objects.create(
            traject=traject, leerfiche_key="extra", total=5, reached=number % 6
        )
        WeekSummary.objects.create(traject=traject, week_start=monday, self_days=number % 2)
    partnership_sync_grants(partnership=partnership)


def count(client) -> int:
    a1 = Partnership.objects.get(**A1)
    client.get(URL, {"partnership": a1.public_id})  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"partnership": a1.public_id})
    assert response.status_code == 200
    return len(queries)


def test_query_count_constant_from_10_to_60_students(demo_cast, login):
    client = login("directie@sintjozef.demo")
    add_students(10, 0)
    small = count(client)
    add_students(50, 10)
    large = count(client)
    html = client.get(URL, {"partnership": Partnership.objects.get(**A1).public_id}).content
    assert b"Extra59" in html  # the new students are really on the page (at risk)
    assert small == large
    assert large <= 15
