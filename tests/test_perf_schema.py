"""The compiled validity check agrees with jsonschema, so findings never change."""

from __future__ import annotations

import copy
import random
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from slacheck import schema
from slacheck.fastschema import Compiler, Resolver, Unsure, compile_check
from slacheck.lint import load_definitions

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402

KINDS = ("Service", "SLI", "SLO", "SLA", "KPI")
REPLACEMENTS: tuple[Any, ...] = (
    None, True, False, 0, 1, 250, Decimal("0.5"), Decimal("99.9"), Decimal("5.0"),
    "", "x", "99.9%", "28d", "month", "UTC", "Mars/Olympus", "2026-02-30",
    "2026-01-01", [], ["a", "a"], {}, {"unknown": 1}, 0.5, 2.0,
)


def _documents(tmp_path: Path) -> list[tuple[str, Any]]:
    generated = corpus.generate(tmp_path / "corpus", 40)
    loaded = load_definitions([str(REPO / "examples"), str(generated.root)])
    return [(d.kind, d.data) for d in loaded.catalog.documents if d.kind in KINDS]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _replaced(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    copied = copy.deepcopy(data)
    target = copied
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return copied


def _removed(data: Any, path: tuple[Any, ...]) -> Any:
    copied = copy.deepcopy(data)
    target = copied
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return copied


def _variants(data: Any, rng: random.Random) -> Iterator[Any]:
    yield data
    paths = [p for p in _paths(data) if p]
    for path in rng.sample(paths, min(12, len(paths))):
        yield _replaced(data, path, rng.choice(REPLACEMENTS))
        yield _removed(data, path)
        parent = path[:-1]
        holder = data
        for part in parent:
            holder = holder[part]
        if isinstance(holder, dict):
            yield _replaced(data, (*parent, "unexpectedField"), "x")


def _exact_check(kind: str) -> Any:
    loaded = schema.load_schema("slacheck/v1", kind)
    assert loaded is not None
    resolver = Resolver(schema._schema_documents(), loaded["$id"], loaded)
    return Compiler(schema.FORMATS).compile(loaded, resolver)


def test_fast_check_matches_jsonschema_on_mutations(tmp_path: Path) -> None:
    rng = random.Random(11)
    compared = 0
    for kind, data in _documents(tmp_path):
        validator = schema.validator_for("slacheck/v1", kind)
        check = _exact_check(kind)
        is_valid = schema.fast_check_for("slacheck/v1", kind)
        assert validator is not None and is_valid is not None
        for variant in _variants(data, rng):
            expected = validator.is_valid(variant)
            # The public check may only say "valid" when jsonschema agrees.
            assert not is_valid(variant) or expected, (kind, variant)
            try:
                answer = check(variant)
            except Unsure:
                continue
            assert answer == expected, (kind, variant)
            compared += 1
    assert compared > 1000


def test_fast_check_is_exact_on_real_documents(tmp_path: Path) -> None:
    """Real documents never need jsonschema just to learn they are valid."""
    for kind, data in _documents(tmp_path):
        is_valid = schema.fast_check_for("slacheck/v1", kind)
        validator = schema.validator_for("slacheck/v1", kind)
        assert is_valid is not None and validator is not None
        assert is_valid(data) == validator.is_valid(data), (kind, data)


def _findings(paths: list[str]) -> list[Any]:
    loaded = load_definitions(paths)
    return sorted(loaded.findings, key=lambda f: f.sort_key())


def test_findings_same_without_fast_check(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [str(REPO / "examples")]
    with_fast = _findings(paths)
    monkeypatch.setattr(schema, "USE_FAST_CHECK", False)
    without = _findings(paths)
    assert with_fast == without
    assert any(f.code == "SC010" for f in with_fast)


# (schema, value, valid?) cases where Python equality and JSON Schema differ.
CASES: list[tuple[dict[str, Any], Any, bool]] = [
    ({"enum": ["a", "b"]}, "a", True),
    ({"enum": ["a", "b"]}, "c", False),
    ({"enum": [True]}, 1, False),
    ({"const": True}, True, True),
    ({"const": True}, 1, False),
    ({"const": False}, 0, False),
    ({"type": "integer"}, True, False),
    ({"type": "integer"}, 3, True),
    ({"type": "integer"}, Decimal("3.0"), False),
    ({"type": "number"}, Decimal("3.5"), True),
    ({"type": "number"}, False, False),
    ({"type": ["string", "number"]}, None, False),
    ({"minimum": 0, "maximum": 1}, Decimal("1.0"), True),
    ({"minimum": 0, "maximum": 1}, Decimal("1.01"), False),
    ({"minimum": 0}, "text", True),
    ({"exclusiveMaximum": 1}, 1, False),
    ({"exclusiveMinimum": 0}, Decimal("0.001"), True),
    ({"minLength": 2}, "é", False),
    ({"maxLength": 1}, "é", True),
    ({"pattern": "b"}, "abc", True),
    ({"pattern": "^b"}, "abc", False),
    ({"uniqueItems": True}, ["a", "b"], True),
    ({"uniqueItems": True}, ["a", "a"], False),
    ({"required": ["a"]}, {"b": 1}, False),
    ({"required": ["a"]}, ["a"], True),
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": False},
     {"a": "x", "b": 1}, False),
    ({"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": False},
     {"x-a": "y"}, True),
    ({"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": False},
     {"x-a": 1}, False),
    ({"dependentRequired": {"op": ["value"]}}, {"op": "lte"}, False),
    ({"dependentRequired": {"op": ["value"]}}, {"value": 1}, True),
    ({"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}, {"a": 1, "b": 2}, False),
    ({"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}, {"b": 2}, True),
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, Decimal("1.5"), False),
    ({"not": {"required": ["a"]}}, {"a": 1}, False),
    ({"if": {"properties": {"r": {"const": True}}}, "then": {"required": ["d"]},
      "else": {"required": ["c"]}}, {"r": False, "c": 1}, True),
    ({"if": {"properties": {"r": {"const": True}}}, "then": {"required": ["d"]},
      "else": {"required": ["c"]}}, {"r": True, "c": 1}, False),
    ({"items": {"type": "string"}, "minItems": 1, "maxItems": 2}, ["a", "b", "c"], False),
    ({"format": "date"}, "2026-02-30", False),
    ({"format": "date"}, "2026-02-28", True),
    ({"format": "date"}, "2026-02-28\n", False),
    ({"format": "date"}, "2026-2-28", False),
    ({"format": "date"}, "\uff12\uff10\uff12\uff16-02-28", False),
    ({"format": "date"}, 20260228, True),
    ({"$defs": {"a/b~": {"type": "string"}}, "$ref": "#/$defs/a~1b~0"}, "x", True),
    ({"$defs": {"a/b~": {"type": "string"}}, "$ref": "#/$defs/a~1b~0"}, 1, False),
    ({"allOf": [{"type": "integer"}], "$ref": "#/allOf/0"}, 2, True),
    ({"$defs": {"node": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
      "$ref": "#/$defs/node"}, [[[]], []], True),
    ({"$defs": {"node": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
      "$ref": "#/$defs/node"}, [[1]], False),
    ({"format": "iana-time-zone"}, "Europe/Berlin", True),
    ({"format": "iana-time-zone"}, "Europe/Atlantis", False),
    ({"minProperties": 1}, {}, False),
    ({"title": "annotations only", "x-note": 1}, 5, True),
]


@pytest.mark.parametrize(("body", "value", "valid"), CASES)
def test_keyword_matches_jsonschema(body: dict[str, Any], value: Any, valid: bool) -> None:
    body = {"$schema": "https://json-schema.org/draft/2020-12/schema", **body}
    reference = Draft202012Validator(body, format_checker=schema.format_checker())
    assert reference.is_valid(value) is valid
    resolver = Resolver({}, "", body)
    assert compile_check(body, resolver, schema.FORMATS)(value) is valid


# Values the check cannot judge exactly: it answers "not sure" (False), and
# jsonschema, which then runs, gives the real answer.
UNSURE: list[tuple[dict[str, Any], Any]] = [
    ({"type": "integer"}, 2.0),
    ({"uniqueItems": True}, [1, True]),
    ({"enum": [1, 2]}, 1),
    ({"contains": {"type": "string"}}, ["a"]),
    ({"multipleOf": 2}, 4),
    ({"format": "email"}, "a@example.com"),
    ({"$defs": {"a": {"$anchor": "here"}}, "$ref": "#here"}, 1),
    ({"$ref": "https://example.com/elsewhere.json"}, 1),
]


@pytest.mark.parametrize(("body", "value"), UNSURE)
def test_unsure_values_fall_back(body: dict[str, Any], value: Any) -> None:
    resolver = Resolver({}, "", body)
    check = Compiler({}).compile(body, resolver)
    with pytest.raises(Unsure):
        check(value)
    assert compile_check(body, resolver, {})(value) is False


def test_valid_files_are_checked_without_loading_jsonschema() -> None:
    code = (
        "import sys\n"
        "from slacheck.lint import load_definitions\n"
        f"loaded = load_definitions([{str(REPO / 'examples' / 'b2b-api')!r}])\n"
        "assert loaded.catalog.documents and not loaded.findings, loaded.findings\n"
        "print('jsonschema' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
