"""JSON Schema validation of definition documents, with positions and hints."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from slacheck.findings import Finding, format_field
from slacheck.resources import schemas_dir
from slacheck.yamlload import FieldPath, SourceDocument

# Schema file per (apiVersion, kind); the folder name is the apiVersion with
# '/' replaced, so schemas/v1 holds slacheck/v1 and schemas/openslo-v1 OpenSLO.
SCHEMA_FOLDERS = {"slacheck/v1": "v1", "openslo/v1": "openslo-v1"}


@cache
def iana_time_zones() -> frozenset[str]:
    """Return the IANA zone names shipped by the tzdata package.

    Reading tzdata's own list (not the host's /usr/share/zoneinfo) makes the
    same file valid or invalid on every machine.
    """
    text = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


_FORMATS = FormatChecker(formats=("date",))


@_FORMATS.checks("iana-time-zone", raises=())
def _is_time_zone(value: object) -> bool:
    return not isinstance(value, str) or value in iana_time_zones()


def schema_file(api_version: str, kind: str) -> str:
    return f"{SCHEMA_FOLDERS[api_version]}/{kind.lower()}.json"


@cache
def _registry() -> Registry:
    resources_list = []
    root = schemas_dir()
    for path in sorted(root.glob("*/*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources_list.append(
            (contents["$id"], Resource.from_contents(contents))
        )
    return Registry().with_resources(resources_list)


@cache
def load_schema(api_version: str, kind: str) -> dict[str, Any] | None:
    folder = SCHEMA_FOLDERS.get(api_version)
    if folder is None:
        return None
    path = schemas_dir() / folder / f"{kind.lower()}.json"
    if not path.is_file():
        return None
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@cache
def validator_for(api_version: str, kind: str) -> Draft202012Validator | None:
    """Build (once per process) the validator for one kind."""
    schema = load_schema(api_version, kind)
    if schema is None:
        return None
    return Draft202012Validator(schema, registry=_registry(), format_checker=_FORMATS)


def validate(source: SourceDocument, api_version: str, kind: str) -> list[Finding]:
    validator = validator_for(api_version, kind)
    if validator is None:
        return []
    findings = []
    for error in _leaf_errors(validator.iter_errors(source.data)):
        findings.append(_to_finding(source, error))
    return findings


def _leaf_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    """Yield errors, replacing an opaque oneOf/anyOf by its most useful branch."""
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and not _is_choice_of_required(error):
            best = jsonschema.exceptions.best_match(error.context or [error])
            yield best if best is not None else error
        else:
            yield error


def _is_choice_of_required(error: ValidationError) -> bool:
    branches = error.validator_value
    return isinstance(branches, list) and all(
        isinstance(b, dict) and set(b) == {"required"} for b in branches
    )


def _to_finding(source: SourceDocument, error: ValidationError) -> Finding:
    parts: FieldPath = tuple(error.absolute_path)
    message, at = _describe(error, parts, source)
    line, column = at
    return Finding(
        source.path,
        line,
        column,
        "SC010",
        message,
        field_path=format_field(parts),
        key=f"{format_field(parts)}:{error.validator}",
    )


def _describe(
    error: ValidationError, parts: FieldPath, source: SourceDocument
) -> tuple[str, tuple[int, int]]:
    where = format_field(parts)
    value_at = source.position(parts)
    validator = error.validator
    if validator == "additionalProperties":
        return _unknown_field(error, parts, source)
    if validator == "required":
        missing = _missing_names(error)
        return f"{where} is missing required field {missing}", source.key_position(parts)
    if validator in ("oneOf", "anyOf"):
        names = _choice_names(error)
        if validator == "oneOf" and _count_present(error.instance, names) > 1:
            return f"{where} sets {_join(names)}; keep only one of them", value_at
        return f"{where} needs one of {_join(names)}", source.key_position(parts)
    if validator == "not" and isinstance(error.validator_value, dict):
        names = error.validator_value.get("required", [])
        return f"{where} sets {_join(names)}; keep only one of them", value_at
    if validator == "enum":
        return _bad_enum(error, where), value_at
    if validator == "const":
        return f"{where} must be {error.validator_value!r}, not {error.instance!r}", value_at
    hint = error.schema.get("x-slacheck-hint") if isinstance(error.schema, dict) else None
    if hint == "ratio" and validator in ("maximum", "pattern", "minimum"):
        return _bad_ratio(error, where), value_at
    if hint == "duration" and validator == "pattern":
        return _bad_duration(error, where), value_at
    if validator == "format":
        return _bad_format(error, where), value_at
    if validator == "type":
        wanted = error.validator_value
        wanted_text = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return f"{where} should be {_article(wanted_text)}, not {error.instance!r}", value_at
    return f"{where}: {_plain_message(error)}", value_at


def _unknown_field(
    error: ValidationError, parts: FieldPath, source: SourceDocument
) -> tuple[str, tuple[int, int]]:
    allowed = sorted((error.schema.get("properties") or {}).keys())
    instance = error.instance if isinstance(error.instance, dict) else {}
    extra = [key for key in instance if key not in allowed]
    key = extra[0] if extra else "?"
    where = format_field(parts)
    message = f"unknown field {key!r} in {where}"
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        message += f"; did you mean {close[0]!r}?"
    elif allowed:
        message += f"; allowed fields: {', '.join(allowed)}"
    return message, source.key_position((*parts, key))


def _missing_names(error: ValidationError) -> str:
    message = error.message
    # jsonschema words it "'x' is a required property".
    name = message.split(" is a required property")[0]
    return name


def _choice_names(error: ValidationError) -> list[str]:
    names: list[str] = []
    for branch in error.validator_value or []:
        if isinstance(branch, dict):
            names.extend(branch.get("required", []))
    return names


def _count_present(instance: Any, names: list[str]) -> int:
    if not isinstance(instance, dict):
        return 0
    return sum(1 for name in names if name in instance)


def _bad_enum(error: ValidationError, where: str) -> str:
    choices = [str(c) for c in error.validator_value]
    message = f"{where} is {error.instance!r}; use one of {', '.join(choices)}"
    if isinstance(error.instance, str):
        close = difflib.get_close_matches(error.instance, choices, n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
    return message


def _bad_ratio(error: ValidationError, where: str) -> str:
    value = error.instance
    if isinstance(value, str):
        return (
            f"{where} is {value!r}, not a percentage or ratio; "
            "write a percentage such as '99.9%' or a ratio such as 0.999"
        )
    if error.validator == "maximum":
        return (
            f"{where} is {value}, but this field is a ratio between 0 and 1; "
            f"did you mean '{value}%' (or targetPercent: {value})?"
        )
    return f"{where} is {value}; a ratio lies between 0 and 1"


def _bad_duration(error: ValidationError, where: str) -> str:
    value = error.instance
    message = (
        f"{where} is {value!r}, not a duration; write a number and one of the "
        "units ms, s, m (minutes), h, d, w, such as 30d"
    )
    text = str(value).strip().lower()
    if text in ("month", "1month", "1 month", "1mo", "quarter", "year", "1y", "1m"):
        message += "; calendar months, quarters and years are contract periods, not durations"
    return message


def _bad_format(error: ValidationError, where: str) -> str:
    fmt = error.validator_value
    if fmt == "iana-time-zone":
        close = difflib.get_close_matches(str(error.instance), sorted(iana_time_zones()), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; use a name such as UTC or Europe/Berlin"
        return f"{where} is {error.instance!r}, not an IANA time zone{hint}"
    if fmt == "date":
        return f"{where} is {error.instance!r}, not a date; write YYYY-MM-DD in quotes"
    return f"{where} is {error.instance!r}, not a valid {fmt}"


def _plain_message(error: ValidationError) -> str:
    return " ".join(error.message.split())


def _join(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    if len(quoted) <= 2:
        return " and ".join(quoted) if len(quoted) == 2 else "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"
