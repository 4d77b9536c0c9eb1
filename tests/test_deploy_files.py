"""The Docker deployment files (Dockerfile, docker-compose.yml, .env.example) against the code.

No Docker is needed: the files are parsed, and the production settings are loaded in
subprocesses with the environment that docker-compose.yml gives the services. The variables
that the settings read are found by parsing ``duaal/settings.py``, so a new one that compose
does not provide fails here rather than at a deployment.
"""

from __future__ import annotations

import ast
import os
import re
import secrets
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "duaal" / "settings.py"
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
ENV_ANCHOR = "x-duaal-env"

APP_SERVICES = ("migrate", "web", "worker", "worker-pdf", "beat")
RUNTIME_SERVICES = ("web", "worker", "worker-pdf", "beat")
WORKERS = ("worker", "worker-pdf")
# One-shot or HTTP-less services: no health check required.
WITHOUT_HEALTHCHECK = frozenset({"migrate", "beat"})

# Settings variables compose need not provide: each has a sensible default in the image.
OPTIONAL_VARIABLES = frozenset(
    {
        "DUAAL_VAR_DIR",
        "DUAAL_SQLITE_PATH",
        "DUAAL_PRIVATE_ROOT",
        "DJANGO_DEBUG",
        "DJANGO_LOG_LEVEL",
        "DJANGO_STATIC_ROOT",
        "DJANGO_HSTS_SECONDS",
        "DJANGO_HSTS_PRELOAD",
        "AXES_FAILURE_LIMIT",
        "AXES_PROXY_COUNT",
        "EMAIL_USE_SSL",
        "SERVER_EMAIL",
        "DUAAL_DEFAULT_MENTOR_MAX_STUDENTS",
        "DUAAL_EVALUATION_EDIT_DAYS",
        "DUAAL_SELF_EVALUATION_REMINDER_DAYS",
        "DJANGO_REQUEST_LOG",
        "SENTRY_ENVIRONMENT",
        "SENTRY_TRACES_SAMPLE_RATE",
        "DUAAL_NAV_CACHE_SECONDS",
        "DUAAL_DB_SERVER_SIDE_BINDING",
    }
)

# Values for the placeholders that .env.example leaves empty on purpose (compose refuses to
# start without them). The secret key must look like a real one for `check --deploy`.
EXAMPLE_SECRETS = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "POSTGRES_PASSWORD": "example-password",
}

ENV_READERS = frozenset({"env", "env_bool", "env_list"})
SUBPROCESS_TIMEOUT = 60
# The image's build step compresses every static file (about 10 s of CPU on a quiet machine).
BUILD_TIMEOUT = 300


# --- duaal/settings.py ------------------------------------------------------------------------


def _is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _literal_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


@cache
def _scan_settings() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(every variable read, those passed ``required_in_production=True``, those required
    by a check written out by hand).

    Reads: ``env(...)``, ``env_bool(...)``, ``env_list(...)``, ``os.environ.get(...)``,
    ``os.getenv(...)`` and ``os.environ[...]`` with a literal name. A hand-written check is a
    literal "The environment variable NAME is required" message.
    """
    tree = ast.parse(SETTINGS.read_text(), filename=str(SETTINGS))
    read: set[str] = set()
    by_keyword: set[str] = set()
    by_message: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            is_reader = (
                (isinstance(func, ast.Name) and func.id in ENV_READERS)
                or (
                    isinstance(func, ast.Attribute)
                    and func.attr == "get"
                    and _is_os_environ(func.value)
                )
                or (
                    isinstance(func, ast.Attribute)
                    and func.attr == "getenv"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "os"
                )
            )
            name = _literal_str(node.args[0]) if is_reader else None
            if name:
                read.add(name)
                if any(
                    keyword.arg == "required_in_production"
                    and isinstance(keyword.value, ast.Constant)
                    and keyword.value.value is True
                    for keyword in node.keywords
                ):
                    by_keyword.add(name)
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            name = _literal_str(node.slice)
            if name:  # os.environ["X"] fails without X, in every mode
                read.add(name)
                by_message.add(name)
        else:
            text = _literal_str(node)
            if text:
                for match in re.finditer(
                    r"environment variable ([A-Z][A-Z0-9_]*) is required", text
                ):
                    by_message.add(match.group(1))
    return frozenset(read), frozenset(by_keyword), frozenset(by_message)


def settings_variables() -> frozenset[str]:
    """Every environment variable that duaal/settings.py reads."""
    return _scan_settings()[0]


def required_by_keyword() -> frozenset[str]:
    """The variables read with ``required_in_production=True``."""
    return _scan_settings()[1]


def required_in_production() -> frozenset[str]:
    """Every variable without which the production settings refuse to load."""
    _, by_keyword, by_message = _scan_settings()
    return by_keyword | by_message


# --- docker-compose.yml -----------------------------------------------------------------------


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def services() -> dict[str, dict]:
    return compose()["services"]


def service_environment(name: str) -> dict[str, str | None]:
    """The service's environment as a mapping, from either of compose's two notations."""
    environment = services()[name].get("environment") or {}
    if isinstance(environment, list):
        pairs = (item.split("=", 1) if "=" in item else (item, None) for item in environment)
        return dict(pairs)
    return {key: (None if value is None else str(value)) for key, value in environment.items()}


def service_command(name: str) -> list[str]:
    command = services()[name].get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def healthcheck_test(name: str) -> list[str]:
    check = services()[name].get("healthcheck") or {}
    if check.get("disable"):
        return []
    test = check.get("test") or []
    if isinstance(test, str):
        test = ["CMD-SHELL", test]
    return [] if not test or test[0] == "NONE" else [str(part) for part in test]


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as compose reads a .env file (comments, blank lines, quotes)."""
    values = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: not KEY=VALUE: {raw!r}"
        key = key.removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = re.sub(r"\s+#.*$", "", value)
        values[key] = value
    return values


class MissingComposeVariable(Exception):
    pass


_PLACEHOLDER = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)
_BRACED = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>.*))?", re.S)


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's variable substitution: $X, ${X}, ${X:-default}, ${X-default}, ${X:?error},
    ${X?error}, ${X:+alt}, ${X+alt}, and $$ for a literal $."""

    def replace(match: re.Match) -> str:
        if match["escaped"]:
            return "$"
        if match["named"]:
            return variables.get(match["named"], "")
        braced = _BRACED.fullmatch(match["braced"])
        assert braced, f"unsupported placeholder {match.group(0)!r}"
        name, op, arg = braced["name"], braced["op"], braced["arg"]
        current = variables.get(name)
        if op is None:
            return current or ""
        if op == ":-":
            return current or arg
        if op == "-":
            return arg if current is None else current
        if op in {":?", "?"}:
            if current is None or (op == ":?" and not current):
                raise MissingComposeVariable(f"{name}: {arg}")
            return current
        if op == ":+":
            return arg if current else ""
        return "" if current is None else arg  # op == "+"

    return _PLACEHOLDER.sub(replace, value)


def example_variables() -> dict[str, str]:
    """What compose would see with .env copied from .env.example and its secrets filled in."""
    variables = read_env_file(ENV_EXAMPLE)
    for name, value in EXAMPLE_SECRETS.items():
        if not variables.get(name):
            variables[name] = value
    return variables


def resolved_environment(service: str) -> dict[str, str]:
    variables = example_variables()
    return {
        key: interpolate(value, variables)
        for key, value in service_environment(service).items()
        if value is not None
    }


# --- Dockerfile -------------------------------------------------------------------------------


@cache
def dockerfile_instructions() -> list[tuple[str, str]]:
    """(KEYWORD, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, arguments = full.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    assert not pending, "Dockerfile ends inside a continued line"
    return instructions


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    starts = [index for index, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert starts, "Dockerfile has no FROM"
    return instructions[starts[-1] :]


# --- Subprocesses -----------------------------------------------------------------------------


def run_manage(args: list[str], environment: dict[str, str], tmp_path: Path):
    """``manage.py ARGS`` with exactly ENVIRONMENT (plus what the image sets), nothing inherited."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "duaal.settings",
        # The image sets DUAAL_VAR_DIR; here it must never be the working tree's var/.
        "DUAAL_VAR_DIR": str(tmp_path / "var"),
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )


# === Tests: the settings parser ==============================================================


def test_settings_parser_finds_the_known_variables():
    assert {"DJANGO_ENV", "DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= (
        settings_variables()
    )
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= required_by_keyword()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOWED_HOSTS"} <= (
        required_in_production()
    )


def test_optional_allow_list_names_only_variables_the_settings_read():
    stale = OPTIONAL_VARIABLES - settings_variables()
    assert not stale, f"no longer read by duaal/settings.py, drop from OPTIONAL_VARIABLES: {stale}"
    required = OPTIONAL_VARIABLES & required_in_production()
    assert not required, f"required in production, so not optional: {required}"


# === Tests: docker-compose.yml ===============================================================


def test_compose_has_the_services():
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services())


@pytest.mark.parametrize(
    "name", sorted(set(yaml.safe_load(COMPOSE.read_text())["services"]) - WITHOUT_HEALTHCHECK)
)
def test_service_has_a_healthcheck(name):
    assert healthcheck_test(name), f"service {name} has no (enabled) healthcheck"


def test_app_services_take_the_shared_environment():
    shared = compose()[ENV_ANCHOR]
    assert isinstance(shared, dict) and shared
    for name in APP_SERVICES:
        environment = service_environment(name)
        differing = {key for key, value in shared.items() if environment.get(key) != str(value)}
        assert not differing, f"{name} does not take {sorted(differing)} from {ENV_ANCHOR}"
    assert re.search(rf"^{ENV_ANCHOR}: &(\S+)", COMPOSE.read_text(), re.M), "anchor missing"


@pytest.mark.parametrize("name", RUNTIME_SERVICES)
def test_every_variable_the_settings_need_is_provided(name):
    needed = settings_variables() - OPTIONAL_VARIABLES
    missing = needed - set(service_environment(name))
    assert not missing, (
        f"duaal/settings.py reads {sorted(missing)}, which docker-compose.yml does not give "
        f"{name}: add them to {ENV_ANCHOR} (and .env.example), or to OPTIONAL_VARIABLES here "
        f"if they have a sensible default"
    )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_production_requirements_are_in_the_compose_environment(name):
    environment = resolved_environment(name)
    assert environment.get("DJANGO_ENV") == "production"
    for variable in sorted(required_in_production()):
        assert environment.get(variable), f"{name}: {variable} is required in production"


def test_required_secrets_have_no_default():
    """Compose must refuse to start without the secrets, not fall back to a known value."""
    raw = COMPOSE.read_text()
    for name in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD"):
        assert re.search(rf"\$\{{{name}:\?[^}}]+\}}", raw), f"{name} must be ${{{name}:?...}}"
    variables = example_variables()
    del variables["DJANGO_SECRET_KEY"]
    with pytest.raises(MissingComposeVariable, match="DJANGO_SECRET_KEY"):
        interpolate(compose()[ENV_ANCHOR]["DJANGO_SECRET_KEY"], variables)


def test_every_compose_variable_is_in_env_example():
    referenced = {
        match["name"]
        for placeholder in _PLACEHOLDER.finditer(COMPOSE.read_text())
        if placeholder["braced"] is not None
        for match in [_BRACED.fullmatch(placeholder["braced"])]
        if match
    }
    documented = set(read_env_file(ENV_EXAMPLE))
    assert referenced, "docker-compose.yml references no variable?"
    assert not referenced - documented, f"missing from .env.example: {referenced - documented}"


def test_allowed_hosts_include_the_health_check_address():
    hosts = resolved_environment("web")["DJANGO_ALLOWED_HOSTS"].split(",")
    assert {"localhost", "127.0.0.1"} <= {host.strip() for host in hosts}
    assert any(host not in {"localhost", "127.0.0.1"} for host in hosts), "no public host"


def test_web_health_check_requests_healthz_locally():
    test = " ".join(healthcheck_test("web"))
    assert "http://127.0.0.1:8000/healthz" in test
    assert "urllib" in test


def test_web_runs_gunicorn_on_port_8000():
    command = service_command("web")
    assert command[:2] == ["gunicorn", "duaal.wsgi:application"]
    assert "0.0.0.0:8000" in command
    assert any(str(port).endswith(":8000") for port in services()["web"]["ports"])


def _queues(command: list[str]) -> set[str]:
    consumed: set[str] = set()
    for index, part in enumerate(command):
        if part in {"-Q", "--queues"}:
            consumed |= set(command[index + 1].split(","))
        elif part.startswith("--queues="):
            consumed |= set(part.split("=", 1)[1].split(","))
        elif part.startswith("-Q") and len(part) > 2:
            consumed |= set(part[2:].split(","))
    return consumed


def test_the_workers_together_consume_every_queue_of_the_celery_app():
    from duaal.celery import app

    consumed: set[str] = set()
    for name in WORKERS:
        command = service_command(name)
        assert command[:4] == ["celery", "-A", "duaal", "worker"], command
        consumed |= _queues(command)
    declared = {queue.name for queue in app.conf.task_queues}
    assert declared, "duaal.celery declares no queue?"
    assert declared <= consumed, f"the workers do not consume {declared - consumed}"
    assert app.conf.task_default_queue in consumed


def test_pdfs_have_their_own_worker_taking_one_task_at_a_time():
    assert _queues(service_command("worker-pdf")) == {"pdf"}
    assert "pdf" not in _queues(service_command("worker"))
    command = service_command("worker-pdf")
    assert command[command.index("--concurrency") + 1] == "1"
    assert command[command.index("--prefetch-multiplier") + 1] == "1"


@pytest.mark.parametrize("name,node", [("worker", "celery"), ("worker-pdf", "pdf")])
def test_worker_health_check_pings_its_own_node(name, node):
    test = healthcheck_test(name)
    assert test[0] == "CMD-SHELL"
    assert f"celery -A duaal inspect ping -d {node}@$$HOSTNAME" in test[1]
    if node != "celery":
        command = service_command(name)
        assert command[command.index("--hostname") + 1] == f"{node}@%h"


def test_beat_keeps_its_schedule_in_the_var_volume():
    command = service_command("beat")
    assert command[:4] == ["celery", "-A", "duaal", "beat"]
    assert command[command.index("--schedule") + 1].startswith("/app/var/")
    assert any(str(volume).split(":")[1] == "/app/var" for volume in services()["beat"]["volumes"])


@pytest.mark.parametrize("name", ("web", "worker"))
def test_app_waits_for_healthy_services_and_migrations(name):
    depends_on = services()[name]["depends_on"]
    assert isinstance(depends_on, dict), "depends_on needs conditions, not a bare list"
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_is_a_one_shot_migration():
    assert service_command("migrate") == ["python", "manage.py", "migrate", "--noinput"]
    assert services()["migrate"].get("restart") in {"no", False}
    assert services()["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


# === Tests: Dockerfile =======================================================================


def test_dockerfile_is_multi_stage_on_python_slim_bookworm():
    froms = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "FROM"]
    assert len(froms) >= 2
    assert "python:3.13-slim-bookworm" in DOCKERFILE.read_text()


def test_dockerfile_installs_the_locked_dependencies_without_dev():
    runs = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"]
    syncs = [run for run in runs if "uv sync" in run]
    assert syncs, "no `uv sync` in the Dockerfile"
    for run in syncs:
        assert "--frozen" in run.split() and "--no-dev" in run.split(), run


def test_dockerfile_runs_as_a_non_root_user():
    users = [arguments for keyword, arguments in final_stage() if keyword == "USER"]
    assert users, "the final stage has no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_dockerfile_has_a_healthcheck_on_healthz():
    checks = [arguments for keyword, arguments in final_stage() if keyword == "HEALTHCHECK"]
    assert checks and "/healthz" in checks[-1] and not checks[-1].startswith("NONE")


def test_dockerfile_exposes_8000_and_serves_with_gunicorn():
    stage = final_stage()
    assert any(keyword == "EXPOSE" and "8000" in arguments.split() for keyword, arguments in stage)
    cmd = [arguments for keyword, arguments in stage if keyword == "CMD"]
    assert cmd and "gunicorn" in cmd[-1] and "duaal.wsgi:application" in cmd[-1]


def test_dockerfile_never_downloads_a_browser():
    text = " ".join(f"{keyword} {arguments}" for keyword, arguments in dockerfile_instructions())
    found = re.findall(r"playwright|chromium|chrome|firefox|webkit|geckodriver", text, re.I)
    assert not found, f"the image must not fetch a browser: {found}"


def test_dockerfile_build_values_satisfy_the_production_settings(tmp_path):
    """The dummy values of the compilemessages/collectstatic step load the settings."""
    runs = [args for keyword, args in dockerfile_instructions() if keyword == "RUN"]
    build = [run for run in runs if "collectstatic" in run]
    assert build and "compilemessages" in build[0]
    assignments = {}
    for token in shlex.split(build[0]):
        if not re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", token):
            break
        key, value = token.split("=", 1)
        assignments[key] = value
    assert assignments.get("DJANGO_ENV") == "production"
    result = run_manage(["check"], assignments, tmp_path)
    assert result.returncode == 0, result.stderr


# === Tests: the settings under the compose environment =======================================


def test_check_deploy_passes_with_the_web_environment(tmp_path):
    result = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"], resolved_environment("web"), tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("variable", sorted(required_by_keyword()))
def test_production_refuses_to_start_without(variable, tmp_path):
    environment = resolved_environment("web")
    del environment[variable]
    result = run_manage(["check"], environment, tmp_path)
    assert result.returncode != 0
    assert variable in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_does_not_install_the_devtools(tmp_path):
    """The dataset generator and the benchmarks exist outside production only."""
    production = run_manage(["help", "--commands"], resolved_environment("web"), tmp_path)
    assert production.returncode == 0, production.stderr
    commands = set(production.stdout.split())
    assert {"seed_demo", "send_reminders", "migrate"} <= commands
    assert not commands & {"bench", "bench_pdf", "bench_reminders", "generate_dataset"}

    embedded = run_manage(["help", "--commands"], {"DJANGO_ENV": "embedded"}, tmp_path)
    assert embedded.returncode == 0, embedded.stderr
    assert {"bench", "bench_pdf", "bench_reminders", "generate_dataset"} <= set(
        embedded.stdout.split()
    )


# === Tests: the image's build step, run as the image runs it ==================================


def _build_step() -> tuple[dict[str, str], str]:
    """The Dockerfile's RUN that compiles the translations and collects the static files:
    its leading VAR=value assignments and the ``sh -c`` script after them."""
    runs = [args for keyword, args in dockerfile_instructions() if keyword == "RUN"]
    [build] = [run for run in runs if "collectstatic" in run]
    tokens = shlex.split(build)
    assignments: dict[str, str] = {}
    while tokens and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", tokens[0]):
        key, value = tokens.pop(0).split("=", 1)
        assignments[key] = value
    assert tokens[:2] == ["sh", "-c"] and len(tokens) == 3, tokens
    return assignments, tokens[2]


def _build_context(target: Path) -> Path:
    """The files ``COPY . .`` puts in the image: the working tree (what git does not ignore)
    without compiled translations (.dockerignore leaves out **/*.mo: the build compiles them)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if name.endswith(".mo") or not source.is_file():
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(source.read_bytes())
    return target


def test_the_image_build_step_passes_and_its_result_deploys(tmp_path):
    """compilemessages and collectstatic exactly as the Dockerfile's build stage runs them (in
    a copy of the build context, so the working tree is untouched), then ``check --deploy``
    on the result. collectstatic used to fail on the PDF stylesheet's ``duaal-static:`` URLs."""
    assignments, script = _build_step()
    app = _build_context(tmp_path / "app")
    static_root = tmp_path / "staticfiles"
    env = {
        # The image's PATH starts with the virtualenv, so `python` is the project's.
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path),
        "DUAAL_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_STATIC_ROOT": str(static_root),
        **assignments,
    }
    build = subprocess.run(
        ["sh", "-c", script],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]

    # Translations compiled for both languages.
    for locale in ("nl_BE", "en"):
        assert (app / "locale" / locale / "LC_MESSAGES" / "django.mo").stat().st_size > 0
    # The manifest names hashed files, compressed copies exist, and the site's stylesheet
    # is there under its hashed name.
    import json

    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["css/duaal.css"]
    assert hashed_css != "css/duaal.css" and (static_root / hashed_css).is_file()
    assert (static_root / f"{hashed_css}.gz").is_file()
    # The PDF stylesheet keeps the renderer's own URLs, which the PDF fetcher resolves.
    print_css = (static_root / manifest["pdf/print.css"]).read_text()
    assert 'url("duaal-static:fonts/DejaVuSans.ttf")' in print_css

    # The built tree passes the deploy checks (with a real-looking secret: the build's
    # placeholder key exists only for the build step and is rightly refused by W009).
    deploy = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=app,
        env={**env, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)},
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
