"""Backup and restore (scripts/backup, scripts/restore): a backup of the demo restored into a
fresh database serves the demo, with its private files. PostgreSQL only (pg_dump)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in {"postgres", "postgresql"},
    reason="backups are pg_dump: PostgreSQL only (CI runs them)",
)

SERVE = """
import django; django.setup()
from django.test import Client
from accounts.models import User
from partnerships.models import Traject
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(email="coord@sintjozef.demo"))
lotte = Traject.objects.get(student__first_name="Lotte")
home = client.get("/")
traject = client.get(f"/trajects/{lotte.public_id}/")
print(home.status_code, traject.status_code, "Lotte" in traject.content.decode())
"""


def _url(settings: dict, name: str) -> str:
    user = settings["USER"]
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _admin(sql: str) -> None:
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(_url(settings, "postgres"), autocommit=True) as admin:
        admin.execute(sql)


def test_a_backup_restored_into_a_fresh_database_serves_the_demo(demo_cast, tmp_path):
    settings = connection.settings_dict
    private = tmp_path / "private"
    (private / "documents").mkdir(parents=True)
    (private / "documents" / "report.pdf").write_bytes(b"%PDF-1.7 demo")
    env = {**os.environ, "DATABASE_URL": _url(settings, settings["NAME"])}
    env["DUAAL_PRIVATE_ROOT"] = str(private)
    env["PYTHON"] = sys.executable

    made = _run(["scripts/backup", str(tmp_path / "backups")], env)
    assert made.returncode == 0, made.stderr
    prefix = made.stdout.strip().splitlines()[-1]
    assert Path(prefix + ".dump").stat().st_size > 0

    restored_name = f"duaal_restore_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{restored_name}"')
    try:
        restored_env = {**env, "DATABASE_URL": _url(settings, restored_name)}
        restored_env["DUAAL_PRIVATE_ROOT"] = str(tmp_path / "restored")
        done = _run(["scripts/restore", prefix], restored_env)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "restored" / "documents" / "report.pdf").read_bytes() == (
            b"%PDF-1.7 demo"
        )
        served = _run([sys.executable, "-c", SERVE], restored_env)
        assert served.returncode == 0, served.stderr
        assert served.stdout.split()[-3:] == ["200", "200", "True"]

        # A second restore into the now filled database is refused and changes nothing.
        again = _run(["scripts/restore", prefix], restored_env)
        assert again.returncode != 0
        assert "empty" in again.stderr
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')


def test_a_tampered_backup_is_refused(demo_cast, tmp_path):
    settings = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": _url(settings, settings["NAME"])}
    env["DUAAL_PRIVATE_ROOT"] = str(tmp_path / "private")
    made = _run(["scripts/backup", str(tmp_path / "backups")], env)
    assert made.returncode == 0, made.stderr
    prefix = made.stdout.strip().splitlines()[-1]
    with open(prefix + ".dump", "ab") as dump:
        dump.write(b"tampered")
    refused = _run(["scripts/restore", prefix], {**env, "DATABASE_URL": _url(settings, "none")})
    assert refused.returncode != 0
    assert "FAILED" in refused.stderr + refused.stdout
