"""Leerfiche sets as JSON: one set version, to share between installations.

The format (``format_version`` 1)::

    {
      "format": "duaal-leerfiches",
      "format_version": 1,
      "set": {"name": "…", "opleiding": "<Opleiding.code>"},
      "version": {"number": 3, "change_note": "…"},      # number: informational only
      "themes": [
        {"key": "…", "title": "…", "leerfiches": [
          {"key": "…", "title": "…",
           "intro_kennen": "…", "intro_kunnen": "…",
           "leerdoelen": [item, …],
           "kennis_school": {"intro": "…", "items": [item, …], "outro": "…"},
           "oefencontexten": {"intro": "…", "items": [item, …]},
           "criteria": [{"key", "text", "code", "norm_reference", "heading"}, …],
           "opdracht": {                                    # optional (appendix 2)
             "lasprocede": "…", "lasprocessen": ["131", …], "lasnaadvorm": "…",
             "lasstand": "…", "doelstelling": "…", "wps_reference": "…", "note": "…",
             "stappenplan": [step, …], "metals": ["staal", "rvs", "alu"],
             "measurements": [step, …], "behaviours": [step, …]}}]}]}

where ``item`` is ``{"text", "heading"?, "note"?}`` and a ``step`` (stappenplan, measurement,
behaviour) is a string, or an item when it carries a heading or a note. Keys are slugs; a
leerfiche key is unique in the version, a criterion key in its leerfiche (the evaluation
follows criteria by key from version to version). The format holds no personal data: who
published a version stays on the installation. ``docs/decisions/0012-leerfiche-interchange.md``
says why it looks like this.

* ``parse(raw)`` reads bytes or text (UTF-8, at most 2 MB, a JSON object);
* ``validate(data)`` returns every problem as a Dutch sentence with its place in the file
  ("Thema 2 › leerfiche 'hoeklas-pb' › criterium 3: de tekst ontbreekt"): the JSON Schema
  (Draft 2020-12) and the checks a schema cannot make (unique keys, a known opleiding);
* ``import_version(data, owner=…, into=…)`` saves a version all-or-nothing, in bulk;
* ``export_version(version)`` / ``dumps(version)`` write it; export → import → export gives
  the same JSON.

Layering: part of the catalogue, so it imports no domain app but ``organisations``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema import ValidationError as SchemaError

from duaal import audit
from learning.models import (
    Criterion,
    ItemKind,
    Leerfiche,
    LeerficheItem,
    LeerficheSet,
    Opleiding,
    SetVersion,
    Theme,
)
from learning.services import versions
from organisations.models import Organisation

FORMAT = "duaal-leerfiches"
FORMAT_VERSION = 1
MAX_BYTES = 2 * 1024 * 1024
MAX_TEXT = 10_000
METALS = ("staal", "rvs", "alu")
SLUG = r"^[-a-zA-Z0-9_]+$"


class InterchangeError(ValidationError):
    """The file cannot be imported; ``messages`` says why, one Dutch sentence per problem."""


# --- the schema ---------------------------------------------------------------------------


def _text(max_length: int = MAX_TEXT, *, required: bool = False) -> dict[str, Any]:
    return {"type": "string", "maxLength": max_length, **({"minLength": 1} if required else {})}


def _slug() -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": 80, "pattern": SLUG}


_ITEM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {
        "text": _text(required=True),
        "heading": _text(200),
        "note": _text(),
    },
}
_STEP = {"anyOf": [_text(required=True), {"$ref": "#/$defs/item"}]}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://duaal.invalid/schemas/duaal-leerfiches-1.json",
    "title": "Duaal leerfiche set version",
    "type": "object",
    "additionalProperties": False,
    "required": ["format", "format_version", "set", "version", "themes"],
    "$defs": {
        "item": _ITEM,
        "step": _STEP,
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        "steps": {"type": "array", "items": {"$ref": "#/$defs/step"}},
        "criterion": {
            "type": "object",
            "additionalProperties": False,
            "required": ["key", "text"],
            "properties": {
                "key": _slug(),
                "text": _text(required=True),
                "code": _text(10),
                "norm_reference": _text(40),
                "heading": _text(200),
            },
        },
        "opdracht": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "lasprocede": _text(200),
                "lasprocessen": {
                    "type": "array",
                    "items": {"type": "string", "pattern": r"^[0-9]{1,4}$"},
                },
                "lasnaadvorm": _text(100),
                "lasstand": _text(100),
                "doelstelling": _text(),
                "wps_reference": _text(200),
                "note": _text(),
                "stappenplan": {"$ref": "#/$defs/steps"},
                "metals": {
                    "type": "array",
                    "items": {"enum": list(METALS)},
                    "uniqueItems": True,
                },
                "measurements": {"$ref": "#/$defs/steps"},
                "behaviours": {"$ref": "#/$defs/steps"},
            },
        },
        "leerfiche": {
            "type": "object",
            "additionalProperties": False,
            "required": ["key", "title"],
            "properties": {
                "key": _slug(),
                "title": _text(200, required=True),
                "intro_kennen": _text(),
                "intro_kunnen": _text(),
                "leerdoelen": {"$ref": "#/$defs/items"},
                "kennis_school": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "intro": _text(),
                        "items": {"$ref": "#/$defs/items"},
                        "outro": _text(),
                    },
                },
                "oefencontexten": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"intro": _text(), "items": {"$ref": "#/$defs/items"}},
                },
                "criteria": {"type": "array", "items": {"$ref": "#/$defs/criterion"}},
                "opdracht": {"$ref": "#/$defs/opdracht"},
            },
        },
        "theme": {
            "type": "object",
            "additionalProperties": False,
            "required": ["key", "title", "leerfiches"],
            "properties": {
                "key": _slug(),
                "title": _text(200, required=True),
                "leerfiches": {"type": "array", "items": {"$ref": "#/$defs/leerfiche"}},
            },
        },
    },
    "properties": {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        "set": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "opleiding"],
            "properties": {
                "name": _text(200, required=True),
                "opleiding": {"type": "string", "minLength": 1, "maxLength": 60},
            },
        },
        "version": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "number": {"type": "integer", "minimum": 1},
                "change_note": _text(500),
            },
        },
        "themes": {"type": "array", "items": {"$ref": "#/$defs/theme"}},
    },
}
Draft202012Validator.check_schema(SCHEMA)
_VALIDATOR = Draft202012Validator(SCHEMA)


# --- reading ------------------------------------------------------------------------------


def parse(raw: bytes | str) -> dict[str, Any]:
    """The JSON object in ``raw``; ``InterchangeError`` (in Dutch) for anything else."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_BYTES:
        raise InterchangeError(
            [
                _("The file is too large (%(size)s MB); at most 2 MB is allowed.")
                % {"size": _mb(size)}
            ]
        )
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InterchangeError(
                [
                    _(
                        "The file is not UTF-8 text (unreadable byte at position %(position)s). "
                        "Save it as UTF-8 and try again."
                    )
                    % {"position": error.start + 1}
                ]
            ) from error
    else:
        text = raw
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InterchangeError(
            [
                _("The file is not valid JSON: line %(line)s, column %(column)s.")
                % {"line": error.lineno, "column": error.colno}
            ]
        ) from error
    except RecursionError as error:  # absurdly deep nesting
        raise InterchangeError([_("The file is nested too deeply.")]) from error
    if not isinstance(data, dict):
        raise InterchangeError(
            [_("The file must hold one JSON object { … }, not a list or value.")]
        )
    return data


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


# --- validating ---------------------------------------------------------------------------


# How a field is named in a sentence (the error messages are Dutch through gettext).
def _field_names() -> dict[str, str]:
    return {
        "format": _("the format"),
        "format_version": _("the format version"),
        "set": _("the set"),
        "version": _("the version"),
        "themes": _("the themes"),
        "name": _("the name"),
        "opleiding": _("the opleiding"),
        "number": _("the version number"),
        "change_note": _("what changed"),
        "key": _("the key"),
        "title": _("the title"),
        "leerfiches": _("the leerfiches"),
        "intro_kennen": _("the introduction (kennen)"),
        "intro_kunnen": _("the introduction (kunnen)"),
        "leerdoelen": _("the leerdoelen"),
        "kennis_school": _("kennis & vaardigheden op school"),
        "oefencontexten": _("the oefencontexten"),
        "criteria": _("the evaluation criteria"),
        "opdracht": _("the opdracht"),
        "intro": _("the introduction"),
        "outro": _("the closing paragraph"),
        "items": _("the items"),
        "text": _("the text"),
        "heading": _("the heading"),
        "note": _("the note"),
        "code": _("the code"),
        "norm_reference": _("the norm reference"),
        "lasprocede": _("the lasprocédé"),
        "lasprocessen": _("the lasprocessen"),
        "lasnaadvorm": _("the lasnaadvorm"),
        "lasstand": _("the lasstand"),
        "doelstelling": _("the doelstelling"),
        "wps_reference": _("the WPS reference"),
        "stappenplan": _("the stappenplan"),
        "metals": _("the metals"),
        "measurements": _("the measurements"),
        "behaviours": _("the behaviours"),
    }


def _list_item_names() -> dict[str, str]:
    """What one element of a list is called, by the list's name."""
    return {
        "themes": _("theme %(number)s"),
        "leerfiches": _("leerfiche %(number)s"),
        "leerdoelen": _("leerdoel %(number)s"),
        "items": _("item %(number)s"),
        "criteria": _("criterion %(number)s"),
        "stappenplan": _("step %(number)s"),
        "measurements": _("measurement %(number)s"),
        "behaviours": _("behaviour %(number)s"),
        "lasprocessen": _("lasproces %(number)s"),
        "metals": _("metal %(number)s"),
    }


def _location(data: Any, path: Sequence[str | int]) -> list[str]:
    """The readable place of ``path`` in ``data``: ["Thema 2", "leerfiche 'hoeklas-pb'", …]."""
    parts: list[str] = []
    names = _field_names()
    items = _list_item_names()
    node = data
    parent = ""
    for index, step in enumerate(path):
        if isinstance(step, int):
            child = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            key = child.get("key") if isinstance(child, dict) else None
            if parent == "leerfiches" and isinstance(key, str) and key:
                parts.append(_("leerfiche '%(key)s'") % {"key": key})
            else:
                label = items.get(parent, _("element %(number)s"))
                parts.append(label % {"number": step + 1})
            node, parent = child, ""
            continue
        followed_by_index = index + 1 < len(path) and isinstance(path[index + 1], int)
        if not (followed_by_index and step in items):
            parts.append(names.get(step, step))
        node, parent = (node.get(step) if isinstance(node, dict) else None), step
    if parts:
        parts[0] = parts[0][:1].upper() + parts[0][1:]
    return parts


def _say(data: Any, path: Sequence[str | int], problem: str) -> str:
    where = " › ".join(_location(data, path))
    return f"{where}: {problem}" if where else problem[:1].upper() + problem[1:]


def _type_name(expected: Any) -> str:
    names = {
        "string": _("a text"),
        "object": _("an object { … }"),
        "array": _("a list [ … ]"),
        "integer": _("a whole number"),
    }
    if isinstance(expected, list):
        return _(" or ").join(names.get(str(e), str(e)) for e in expected)
    return names.get(expected, str(expected))


def _short(value: Any, limit: int = 60) -> str:
    """A value from the file, cut short for a message (it may be anything, of any length)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_message(data: Any, error: SchemaError) -> str:
    path = list(error.absolute_path)
    field = path[-1] if path and isinstance(path[-1], str) else None
    names = _field_names()
    validator = error.validator
    if validator == "required":
        missing = next(
            (name for name in error.validator_value if name not in (error.instance or {})), ""
        )
        return _say(data, path, _("%(field)s is missing") % {"field": names.get(missing, missing)})
    if validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _say(
            data,
            path,
            _("unknown field %(fields)s")
            % {"fields": ", ".join(f"'{_short(name, 40)}'" for name in extra[:5])},
        )
    if validator == "minLength":
        return _say(
            data,
            path[:-1] if field else path,
            _("%(field)s is missing") % {"field": names.get(field or "", _("the text"))},
        )
    if validator == "maxLength":
        return _say(
            data, path, _("too long (at most %(max)s characters)") % {"max": error.validator_value}
        )
    if validator == "type":
        return _say(data, path, _("must be %(type)s") % {"type": _type_name(error.validator_value)})
    if validator == "pattern":
        if field == "key" or (path and path[-1] == "key"):
            return _say(
                data,
                path,
                _("'%(value)s' is not a valid key: use lowercase letters, digits and hyphens")
                % {"value": _short(error.instance)},
            )
        return _say(
            data,
            path,
            _("'%(value)s' is not an ISO 4063 process number (digits only, e.g. 135)")
            % {"value": _short(error.instance)},
        )
    if validator == "enum":
        return _say(
            data,
            path,
            _("'%(value)s' is not allowed (choose from: %(choices)s)")
            % {"value": _short(error.instance), "choices": ", ".join(METALS)},
        )
    if validator == "uniqueItems":
        return _say(data, path, _("a value occurs twice"))
    if validator == "minimum":
        return _say(data, path, _("must be at least %(min)s") % {"min": error.validator_value})
    if validator == "anyOf":
        return _say(
            data, path, _("must be a text, or an object with a text (and a heading or a note)")
        )
    return _say(data, path, _("is not valid"))


def validate(data: Any) -> list[str]:
    """Every problem of ``data`` as a Dutch sentence with its place; empty when importable.

    First the envelope (is this a leerfiche file of a version we read?), then the JSON Schema,
    then what a schema cannot check: unique keys and a known opleiding.
    """
    if not isinstance(data, dict):
        return [_("The file must hold one JSON object { … }, not a list or value.")]
    if data.get("format") != FORMAT:
        return [
            _('This is not a leerfiche file: "format" must be "%(format)s".') % {"format": FORMAT}
        ]
    if data.get("format_version") != FORMAT_VERSION:
        return [
            _(
                "Format version %(found)s is not supported; this installation reads version %(ours)s."
            )
            % {"found": json.dumps(data.get("format_version")), "ours": FORMAT_VERSION}
        ]
    errors = sorted(
        _VALIDATOR.iter_errors(data),
        key=lambda e: [f"{p:08d}" if isinstance(p, int) else p for p in e.absolute_path],
    )
    messages = list(dict.fromkeys(_schema_message(data, error) for error in errors))
    if messages:
        return messages
    return _semantic_errors(data)


def _semantic_errors(data: dict[str, Any]) -> list[str]:
    messages: list[str] = []
    code = data["set"]["opleiding"]
    if not Opleiding.objects.filter(code=code).exists():
        messages.append(
            _say(
                data,
                ["set", "opleiding"],
                _("unknown opleiding '%(code)s'") % {"code": _short(code)},
            )
        )
    themes_seen: set[str] = set()
    fiches_seen: set[str] = set()
    for t, theme in enumerate(data["themes"]):
        if theme["key"] in themes_seen:
            messages.append(
                _say(
                    data,
                    ["themes", t],
                    _("the key '%(key)s' is used by another theme") % {"key": theme["key"]},
                )
            )
        themes_seen.add(theme["key"])
        for f, fiche in enumerate(theme["leerfiches"]):
            if fiche["key"] in fiches_seen:
                messages.append(
                    _say(
                        data,
                        ["themes", t, "leerfiches", f],
                        _("the key '%(key)s' is used by another leerfiche of this version")
                        % {"key": fiche["key"]},
                    )
                )
            fiches_seen.add(fiche["key"])
            criteria_seen: set[str] = set()
            for c, criterion in enumerate(fiche.get("criteria", [])):
                if criterion["key"] in criteria_seen:
                    messages.append(
                        _say(
                            data,
                            ["themes", t, "leerfiches", f, "criteria", c],
                            _("the key '%(key)s' is used by another criterion of this leerfiche")
                            % {"key": criterion["key"]},
                        )
                    )
                criteria_seen.add(criterion["key"])
    return messages


# --- importing ----------------------------------------------------------------------------


def import_version(
    data: dict[str, Any],
    *,
    owner: Organisation,
    actor: Any = None,
    into: LeerficheSet | None = None,
) -> SetVersion:
    """Save ``data`` as a draft version, all or nothing; ``InterchangeError`` when it cannot.

    ``into=None``: a new set of ``owner`` named as in the file (a name the owner already uses
    is refused). ``into=<set>``: the set's next version, as a draft (refused while the set has
    a draft, and when the file is for another opleiding). The content is written with bulk
    inserts: the number of queries does not grow with the size of the set. Audit trail:
    ``leerfiche_set.create`` or ``leerfiche_set.draft``, then ``leerfiche_set.import``.
    """
    messages = validate(data)
    if messages:
        raise InterchangeError(messages)
    opleiding = Opleiding.objects.get(code=data["set"]["opleiding"])
    name = data["set"]["name"]
    with transaction.atomic():
        if into is None:
            if LeerficheSet.objects.filter(owner=owner, name=name).exists():
                raise InterchangeError(
                    [
                        _(
                            "%(owner)s already has a set named '%(name)s'. Import the file as a "
                            "new version of that set, or change the name in the file."
                        )
                        % {"owner": owner.name, "name": name}
                    ]
                )
            version = versions.create_set(owner=owner, opleiding=opleiding, name=name, actor=actor)
            leerfiche_set = version.leerfiche_set
        else:
            leerfiche_set = LeerficheSet.objects.select_for_update().get(pk=into.pk)
            if leerfiche_set.opleiding_id != opleiding.pk:
                raise InterchangeError(
                    [
                        _(
                            "The file is for the opleiding '%(file)s', the set '%(set)s' for "
                            "'%(ours)s'."
                        )
                        % {
                            "file": opleiding.name,
                            "set": leerfiche_set.name,
                            "ours": leerfiche_set.opleiding.name,
                        }
                    ]
                )
            draft = versions.current_draft(leerfiche_set)
            if draft is not None:
                raise InterchangeError(
                    [
                        _(
                            "The set '%(set)s' already has a draft (version %(number)s). Publish "
                            "or discard that draft before importing a new version."
                        )
                        % {"set": leerfiche_set.name, "number": draft.number}
                    ]
                )
            version = versions.start_draft(leerfiche_set=leerfiche_set, actor=actor, empty=True)
        versions.editable(version)
        change_note = data.get("version", {}).get("change_note", "")
        if change_note:
            version.change_note = change_note
            version.save(update_fields=["change_note"])
        _write_content(version, data["themes"])
        audit.record(
            action="leerfiche_set.import",
            actor=actor,
            organisation=owner if into is None else leerfiche_set.owner,
            obj=version,
            changes=audit.created(
                {
                    "number": version.number,
                    "themes": len(data["themes"]),
                    "leerfiches": sum(len(t["leerfiches"]) for t in data["themes"]),
                }
            ),
        )
    return version


def _item_rows(entries: Iterable[Any]) -> list[dict[str, str]]:
    rows = []
    for entry in entries:
        if isinstance(entry, str):
            rows.append({"text": entry, "heading": "", "note": ""})
        else:
            rows.append(
                {
                    "text": entry["text"],
                    "heading": entry.get("heading", ""),
                    "note": entry.get("note", ""),
                }
            )
    return rows


def _write_content(version: SetVersion, themes: list[dict[str, Any]]) -> None:
    """Themes, leerfiches, items and criteria in four bulk inserts (ids read back by key)."""
    Theme.objects.bulk_create(
        Theme(version=version, key=theme["key"], title=theme["title"], order=t + 1)
        for t, theme in enumerate(themes)
    )
    theme_ids = dict(version.themes.values_list("key", "pk"))
    fiches: list[Leerfiche] = []
    for theme in themes:
        for f, fiche in enumerate(theme["leerfiches"]):
            opdracht = fiche.get("opdracht")
            kennis = fiche.get("kennis_school", {})
            fiches.append(
                Leerfiche(
                    version=version,
                    theme_id=theme_ids[theme["key"]],
                    key=fiche["key"],
                    title=fiche["title"],
                    order=f + 1,
                    intro_kennen=fiche.get("intro_kennen", ""),
                    intro_kunnen=fiche.get("intro_kunnen", ""),
                    kennis_intro=kennis.get("intro", ""),
                    kennis_outro=kennis.get("outro", ""),
                    oefencontexten_intro=fiche.get("oefencontexten", {}).get("intro", ""),
                    has_opdracht=opdracht is not None,
                    lasprocede=(opdracht or {}).get("lasprocede", ""),
                    lasprocessen=list((opdracht or {}).get("lasprocessen", [])),
                    lasnaadvorm=(opdracht or {}).get("lasnaadvorm", ""),
                    lasstand=(opdracht or {}).get("lasstand", ""),
                    doelstelling=(opdracht or {}).get("doelstelling", ""),
                    wps_reference=(opdracht or {}).get("wps_reference", ""),
                    opdracht_note=(opdracht or {}).get("note", ""),
                    metals=list((opdracht or {}).get("metals", [])),
                )
            )
    Leerfiche.objects.bulk_create(fiches)
    fiche_ids = dict(version.leerfiches.values_list("key", "pk"))
    items: list[LeerficheItem] = []
    criteria: list[Criterion] = []
    for theme in themes:
        for fiche in theme["leerfiches"]:
            fiche_id = fiche_ids[fiche["key"]]
            opdracht = fiche.get("opdracht") or {}
            sections: list[tuple[str, Iterable[Any]]] = [
                (ItemKind.LEERDOEL, fiche.get("leerdoelen", [])),
                (ItemKind.KENNIS, fiche.get("kennis_school", {}).get("items", [])),
                (ItemKind.OEFENCONTEXT, fiche.get("oefencontexten", {}).get("items", [])),
                (ItemKind.STEP, opdracht.get("stappenplan", [])),
                (ItemKind.MEASUREMENT, opdracht.get("measurements", [])),
                (ItemKind.BEHAVIOUR, opdracht.get("behaviours", [])),
            ]
            for kind, entries in sections:
                items.extend(
                    LeerficheItem(leerfiche_id=fiche_id, kind=kind, order=i + 1, **row)
                    for i, row in enumerate(_item_rows(entries))
                )
            criteria.extend(
                Criterion(
                    leerfiche_id=fiche_id,
                    key=criterion["key"],
                    order=c + 1,
                    text=criterion["text"],
                    code=criterion.get("code", ""),
                    norm_reference=criterion.get("norm_reference", ""),
                    heading=criterion.get("heading", ""),
                )
                for c, criterion in enumerate(fiche.get("criteria", []))
            )
    LeerficheItem.objects.bulk_create(items)
    Criterion.objects.bulk_create(criteria)


# --- exporting ----------------------------------------------------------------------------


def _item(row: LeerficheItem, *, plain: bool = False) -> Any:
    """An item as JSON; ``plain``: a bare string when it has neither heading nor note."""
    if plain and not row.heading and not row.note:
        return row.text
    item: dict[str, str] = {"text": row.text}
    if row.heading:
        item["heading"] = row.heading
    if row.note:
        item["note"] = row.note
    return item


def export_version(version: SetVersion) -> dict[str, Any]:
    """``version`` in the interchange format (no personal data). Five queries."""
    version = SetVersion.objects.select_related("leerfiche_set__opleiding").get(pk=version.pk)
    themes = list(version.themes.order_by("order", "pk"))
    fiches = list(version.leerfiches.order_by("order", "pk"))
    items: dict[int, dict[str, list[LeerficheItem]]] = {}
    for row in LeerficheItem.objects.filter(leerfiche__version=version).order_by("order", "pk"):
        items.setdefault(row.leerfiche_id, {}).setdefault(row.kind, []).append(row)
    criteria: dict[int, list[Criterion]] = {}
    for criterion in Criterion.objects.filter(leerfiche__version=version).order_by("order", "pk"):
        criteria.setdefault(criterion.leerfiche_id, []).append(criterion)

    def fiche_json(fiche: Leerfiche) -> dict[str, Any]:
        own = items.get(fiche.pk, {})
        result: dict[str, Any] = {
            "key": fiche.key,
            "title": fiche.title,
            "intro_kennen": fiche.intro_kennen,
            "intro_kunnen": fiche.intro_kunnen,
            "leerdoelen": [_item(row) for row in own.get(ItemKind.LEERDOEL, [])],
            "kennis_school": {
                "intro": fiche.kennis_intro,
                "items": [_item(row) for row in own.get(ItemKind.KENNIS, [])],
                "outro": fiche.kennis_outro,
            },
            "oefencontexten": {
                "intro": fiche.oefencontexten_intro,
                "items": [_item(row) for row in own.get(ItemKind.OEFENCONTEXT, [])],
            },
            "criteria": [
                {
                    "key": c.key,
                    "text": c.text,
                    "code": c.code,
                    "norm_reference": c.norm_reference,
                    "heading": c.heading,
                }
                for c in criteria.get(fiche.pk, [])
            ],
        }
        steps = own.get(ItemKind.STEP, [])
        measurements = own.get(ItemKind.MEASUREMENT, [])
        behaviours = own.get(ItemKind.BEHAVIOUR, [])
        if fiche.has_opdracht or steps or measurements or behaviours:
            result["opdracht"] = {
                "lasprocede": fiche.lasprocede,
                "lasprocessen": list(fiche.lasprocessen or []),
                "lasnaadvorm": fiche.lasnaadvorm,
                "lasstand": fiche.lasstand,
                "doelstelling": fiche.doelstelling,
                "wps_reference": fiche.wps_reference,
                "note": fiche.opdracht_note,
                "stappenplan": [_item(row, plain=True) for row in steps],
                "metals": list(fiche.metals or []),
                "measurements": [_item(row, plain=True) for row in measurements],
                "behaviours": [_item(row, plain=True) for row in behaviours],
            }
        return result

    by_theme: dict[int, list[Leerfiche]] = {}
    for fiche in fiches:
        by_theme.setdefault(fiche.theme_id, []).append(fiche)
    leerfiche_set = version.leerfiche_set
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "set": {"name": leerfiche_set.name, "opleiding": leerfiche_set.opleiding.code},
        "version": {"number": version.number, "change_note": version.change_note},
        "themes": [
            {
                "key": theme.key,
                "title": theme.title,
                "leerfiches": [fiche_json(fiche) for fiche in by_theme.get(theme.pk, [])],
            }
            for theme in themes
        ],
    }


def dumps(version: SetVersion | Mapping[str, Any]) -> str:
    """The JSON text of a version (or of exported data): UTF-8, indented, keys in order."""
    data = export_version(version) if isinstance(version, SetVersion) else version
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_filename(version: SetVersion) -> str:
    """e.g. ``leerfiches-lassen-constructie-v1.json``."""
    return f"leerfiches-{version.leerfiche_set.opleiding.code}-v{version.number}.json"
