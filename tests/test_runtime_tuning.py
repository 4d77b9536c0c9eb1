"""The web process's runtime tuning (issue 13, decision 0022): the garbage collector's
settings and the Redis cache client kept per connection pool."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

from django.conf import settings

from duaal.cache import RedisCache

PROBE = (
    "import gc, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'duaal.settings'); "
    "import duaal.wsgi; print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"
)


def _probe(**env: str) -> list[str]:
    environment = {**os.environ, **env}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.split()


def test_the_wsgi_application_freezes_the_startup_heap_and_raises_the_threshold():
    assert _probe() == ["50000", "True"]
    assert _probe(DUAAL_GC_THRESHOLD="12345") == ["12345", "True"]


def test_a_zero_threshold_leaves_the_collector_as_cpython_sets_it():
    threshold, frozen = _probe(DUAAL_GC_THRESHOLD="0")
    assert int(threshold) < 50_000
    assert frozen == "False"


def test_the_redis_cache_keeps_one_client_per_pool(broker_url):
    location = broker_url.rsplit("/", 1)[0] + "/3"
    cache = RedisCache(location, {})
    key = f"runtime-tuning-{uuid.uuid4()}"
    try:
        first = cache._cache.get_client(key)
        assert cache._cache.get_client(key, write=True) is first
        cache.set(key, {"a": 1}, 30)
        assert cache.get(key) == {"a": 1}
        assert cache.get_many([key]) == {key: {"a": 1}}
        assert cache._cache.get_client(key) is first
    finally:
        cache.delete(key)
