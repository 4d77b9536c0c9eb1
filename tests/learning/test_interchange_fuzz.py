"""Any input gives Dutch sentences or a valid version, never an exception (hypothesis)."""

from __future__ import annotations

import copy
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning import interchange
from learning.demo.catalogue import seed_data

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
SEED = seed_data("lassen-constructie.json")


@given(raw=st.binary(max_size=2000))
@settings(max_examples=200, deadline=None)
def test_parse_reads_or_refuses_any_bytes(raw):
    try:
        assert isinstance(interchange.parse(raw), dict)
    except interchange.InterchangeError as error:
        assert error.messages and all(isinstance(m, str) and m for m in error.messages)


@given(value=JSON)
@settings(max_examples=200, deadline=None)
def test_validate_answers_any_json_with_sentences(value):
    messages = interchange.validate(value)
    assert messages and all(isinstance(m, str) and m for m in messages)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node[:3]):
            yield from _paths(child, (*prefix, index))


PATHS = [path for path in _paths(SEED) if path]


@pytest.mark.django_db
@given(path=st.sampled_from(PATHS), value=JSON, drop=st.booleans())
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_seed_file_with_any_one_part_changed_is_imported_or_refused_in_sentences(
    path, value, drop
):
    data = copy.deepcopy(SEED)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if drop and isinstance(parent, dict):
        parent.pop(path[-1])
    else:
        parent[path[-1]] = value
    messages = interchange.validate(data)
    assert all(isinstance(m, str) and m for m in messages)
    if not messages:
        # hypothesis runs its examples in one test transaction: a fresh name for each
        data["set"]["name"] = f"Fuzz {uuid.uuid4()}"
        exported = interchange.export_version(interchange.import_version(data, owner=_owner()))
        assert interchange.validate(exported) == []
        assert [t["key"] for t in exported["themes"]] == [t["key"] for t in data["themes"]]


def _owner():
    from organisations.models import Organisation

    return Organisation.objects.get_or_create(name="Fuzz-sector", defaults={"kind": "sector_body"})[
        0
    ]
