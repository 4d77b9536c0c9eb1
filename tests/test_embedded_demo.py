"""The README's quick start runs on the embedded SQLite database: the demo must work there too,
although the suite itself runs on PostgreSQL. A fresh SQLite file is migrated and seeded in a
subprocess, and every member of the demo cast opens the everyday pages (a compiled query once
returned SQLite's raw UUID digits and broke the student's home: a 500 only on SQLite)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse

setup_test_environment()
call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)

from accounts.models import User
from partnerships import permissions

pages = ["/", reverse("partnerships:traject_list"), reverse("partnerships:partnership_list"),
         reverse("notifications:notification_list"), reverse("dashboards:school"),
         reverse("dashboards:actions"), reverse("dashboards:sector")]
checked = failures = 0
for user in User.objects.filter(is_active=True).order_by("email"):
    client = Client()
    client.force_login(user)
    own = list(pages)
    for company in permissions.companies_directed_by(user=user):
        own.append(reverse("dashboards:company", args=[company.public_id]))
    for traject in permissions.trajects_visible_to(user=user)[:2]:
        own.append(reverse("partnerships:traject_detail", args=[traject.public_id]))
    for path in own:
        status = client.get(path).status_code
        checked += 1
        if status >= 500:
            failures += 1
            print("FAIL", user.email, path, status)
print("checked", checked, "failures", failures)
"""


def test_the_demo_works_on_the_embedded_sqlite_database(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "duaal.settings",
        "PATH": os.environ["PATH"],
        "DUAAL_VAR_DIR": str(tmp_path),
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert (tmp_path / "duaal.sqlite3").exists()
    last = out.stdout.strip().splitlines()[-1].split()
    assert last[0] == "checked" and int(last[1]) > 100, out.stdout[-2000:]
    assert last[3] == "0", out.stdout[-3000:]
