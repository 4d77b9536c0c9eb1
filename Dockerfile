# syntax=docker/dockerfile:1
#
# Duaal: one image for the web server (gunicorn), the Celery worker and Celery beat.
# See docker-compose.yml for how the services use it and .env.example for the settings.
#
#   docker build -t duaal .
#
# Both stages start from the same base image, so the virtualenv built in the first one
# (whose interpreter links to /usr/local/bin/python3) works unchanged in the second.

ARG PYTHON_IMAGE=python:3.13-slim-bookworm

# --- base: Python and WeasyPrint's system libraries -----------------------------------------
FROM ${PYTHON_IMAGE} AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN apt-get update \
    && apt-get install --yes --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

# --- build: dependencies, compiled translations, collected static files ---------------------
FROM base AS build

# gettext (msgfmt) is needed only to compile the translations, so only in this stage.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

ARG UV_VERSION=0.13.9
RUN pip install "uv==${UV_VERSION}"

WORKDIR /app
ENV UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1

# Dependencies first, from the lock file alone, so this layer is rebuilt only when they change.
# No development dependencies: the test tooling (and the browsers it could fetch) stays out.
# `[tool.uv] package = false`: there is no project package to build.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

COPY . .

ENV PATH="/app/.venv/bin:${PATH}"

# Production settings refuse to load without these variables; the values below exist only
# for this RUN step (neither command touches the database or the broker) and are not kept
# in the image.
RUN DJANGO_ENV=production \
    DJANGO_SECRET_KEY=build-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    SITE_URL=https://build.invalid \
    DATABASE_URL=postgres://build:build@build.invalid:5432/build \
    CELERY_BROKER_URL=redis://build.invalid:6379/0 \
    EMAIL_HOST=build.invalid \
    sh -c 'python manage.py compilemessages --ignore ".venv/*" \
        && python manage.py collectstatic --noinput'

# --- runtime ----------------------------------------------------------------------------------
FROM base AS runtime

ARG DUAAL_UID=10001
ARG DUAAL_GID=10001
RUN groupadd --system --gid "${DUAAL_GID}" duaal \
    && useradd --system --uid "${DUAAL_UID}" --gid duaal --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin duaal

WORKDIR /app
# The code, the virtualenv and the static files belong to root: the application can read
# them but not change them. Only /app/var (private documents, beat's schedule) is writable.
COPY --from=build /app /app

# XDG_RUNTIME_DIR: where gunicorn puts its control socket (for `gunicornc`); /app is read-only.
ENV PATH="/app/.venv/bin:${PATH}" \
    DJANGO_SETTINGS_MODULE=duaal.settings \
    DUAAL_VAR_DIR=/app/var \
    XDG_RUNTIME_DIR=/run/duaal \
    WEB_CONCURRENCY=3

RUN mkdir -p /app/var/private /run/duaal \
    && chown -R duaal:duaal /app/var /run/duaal \
    && chmod 0750 /app/var \
    && chmod 0700 /run/duaal
VOLUME ["/app/var"]

USER duaal:duaal

EXPOSE 8000

# /healthz answers 200 when the database and the broker are usable. In production it is
# exempt from the HTTPS redirect; DJANGO_ALLOWED_HOSTS must include 127.0.0.1 for it.
# docker-compose.yml replaces this check for the worker and disables it for beat and migrate.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=8).status == 200 else 1)"]

# Workers: WEB_CONCURRENCY (gunicorn reads it), 3 by default.
CMD ["gunicorn", "duaal.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--error-logfile", "-"]
