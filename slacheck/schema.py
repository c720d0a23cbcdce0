"""JSON Schema validation of definition documents, with positions and hints."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slacheck.display import clip, close_matches, describe_value, number_text, quote
from slacheck.findings import Finding, format_field
from slacheck.resources import schemas_dir
from slacheck.yamlload import FieldPath, SourceDocument
from slacheck.yamlscalars import OVERSIZED_NUMBER, is_oversized_number

if TYPE_CHECKING:
    # jsonschema is imported only when a document fails the compiled check,
    # so a run over valid files does not pay for loading it.
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError

_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?\Z")
# A date of the right shape, so that a failure means no such calendar day.
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# Durations such as 1m or 30d, written where a calendar period belongs.
_DURATION_TEXT = re.compile(r"\s*[0-9]+(\.[0-9]+)?\s*(ms|s|m|h|d|w)\s*\Z")
# Calendar words written where a duration belongs: 1 month, 1mo, quarter, 1y.
_CALENDAR_WORD = re.compile(
    r"\s*([0-9]+\s*)?(mo|mon|month|months|quarter|quarters|q|y|yr|year|years)\s*\Z",
    re.IGNORECASE,
)

# Schema file per (apiVersion, kind); the folder name is the apiVersion with
# '/' replaced: schemas/v1 contains slacheck/v1 and schemas/openslo-v1 OpenSLO.
SCHEMA_FOLDERS = {"slacheck/v1": "v1", "openslo/v1": "openslo-v1"}


@cache
def iana_time_zones() -> frozenset[str]:
    """Return the IANA zone names shipped by the tzdata package.

    Reading tzdata's own list (not the host's /usr/share/zoneinfo) makes the
    same file valid or invalid on every machine.
    """
    import tzdata

    listing = Path(tzdata.__file__).parent / "zones"
    if listing.is_file():
        text = listing.read_text(encoding="utf-8")
    else:  # a zipped installation; importlib.resources costs more to import
        from importlib import resources

        text = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def _is_time_zone(value: object) -> bool:
    return not isinstance(value, str) or value in iana_time_zones()


# jsonschema's own "date" pattern: ASCII digits only.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _is_date(value: object) -> bool:
    """Judge the "date" format as jsonschema's format checker does."""
    if not isinstance(value, str):
        return True
    if _DATE.match(value) is None:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


# The formats the schemas assert, for both the compiled check and jsonschema.
FORMATS: Mapping[str, Callable[[Any], bool]] = {
    "date": _is_date,
    "iana-time-zone": _is_time_zone,
}


@cache
def format_checker() -> FormatChecker:
    """Return jsonschema's format checker for :data:`FORMATS`."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name, raises=())(check)
    return checker


def schema_file(api_version: str, kind: str) -> str:
    return f"{SCHEMA_FOLDERS[api_version]}/{kind.lower()}.json"


@cache
def _schema_documents() -> dict[str, Any]:
    """Return every shipped schema by its ``$id``."""
    documents = {}
    for path in sorted(schemas_dir().glob("*/*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        documents[contents["$id"]] = contents
    return documents


@cache
def _registry() -> Any:
    """Return the shipped schemas as a registry for jsonschema."""
    from referencing import Registry, Resource

    resources_list = [
        (uri, Resource.from_contents(contents))
        for uri, contents in _schema_documents().items()
    ]
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
    from jsonschema import Draft202012Validator

    schema = load_schema(api_version, kind)
    if schema is None:
        return None
    return Draft202012Validator(
        schema, registry=_registry(), format_checker=format_checker()
    )


# Set to False to always run jsonschema (tests compare both paths).
USE_FAST_CHECK = True


@cache
def fast_check_for(api_version: str, kind: str) -> Callable[[Any], bool] | None:
    """Compile (once per process) the yes-or-no validity check for one kind."""
    from slacheck.fastschema import Resolver, compile_check

    schema = load_schema(api_version, kind)
    if schema is None:
        return None
    resolver = Resolver(_schema_documents(), str(schema.get("$id", "")), schema)
    return compile_check(schema, resolver, FORMATS)


def validate(source: SourceDocument, api_version: str, kind: str) -> list[Finding]:
    # Most documents are valid: a compiled check confirms that in a fraction of
    # jsonschema's time, and jsonschema runs only to describe the errors.
    is_valid = fast_check_for(api_version, kind) if USE_FAST_CHECK else None
    if is_valid is not None and is_valid(source.data):
        return []
    validator = validator_for(api_version, kind)
    if validator is None:
        return []
    findings = []
    for error in _leaf_errors(validator.iter_errors(source.data)):
        if error.validator == "additionalProperties":
            findings.extend(_unknown_fields(source, error))
        else:
            findings.append(_to_finding(source, error))
    return findings


def _leaf_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    """Yield errors, replacing an opaque oneOf/anyOf by its most useful branch."""
    from jsonschema.exceptions import best_match

    for error in errors:
        if error.validator in ("oneOf", "anyOf") and not _is_choice_of_required(error):
            best = best_match(error.context or [error])
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
    if isinstance(error.instance, str) and is_oversized_number(error.instance):
        # The loader keeps such a number as text, whatever the field expects.
        where = format_field(parts)
        message = f"{where} is {quote(error.instance)}, {OVERSIZED_NUMBER}"
        at = source.position(parts)
    else:
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
    if validator == "required":
        missing = _missing_names(error)
        return f"{where} is missing required field {missing}", source.key_position(parts)
    if validator in ("oneOf", "anyOf"):
        names = _choice_names(error)
        if validator == "oneOf" and _count_present(error.instance, names) > 1:
            return f"{where} sets {_join(names)}; keep only one of them", value_at
        return f"{where} needs one of {_join(names, 'or')}", source.key_position(parts)
    if validator == "not" and isinstance(error.validator_value, dict):
        names = error.validator_value.get("required", [])
        if len(names) == 1:
            return f"{where} must not set {_join(names)} here; remove it", value_at
        return f"{where} sets {_join(names)}; keep only one of them", value_at
    if validator == "dependentRequired":
        return _missing_partner(error, where), value_at
    if validator == "enum":
        return _bad_enum(error, where), value_at
    if validator == "const":
        wanted = quote(str(error.validator_value))
        return f"{where} must be {wanted}, not {_show(error.instance)}", value_at
    hinted = _describe_hinted(error, parts)
    if hinted is not None:
        return hinted, value_at
    if validator == "format":
        return _bad_format(error, where), value_at
    if validator == "type":
        wanted = error.validator_value
        wanted_text = " or ".join(wanted) if isinstance(wanted, list) else wanted
        shown = _show(error.instance)
        return f"{where} should be {_article(wanted_text)}, not {shown}", value_at
    return f"{where} {_plain_message(error)}", value_at


def _describe_hinted(error: ValidationError, parts: FieldPath) -> str | None:
    """Explain a ratio or duration error by the field's ``x-slacheck-hint``."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("x-slacheck-hint")
    validator, where = error.validator, format_field(parts)
    if hint == "ratio" and validator in ("maximum", "pattern", "minimum"):
        return _bad_ratio(error, parts)
    if hint == "duration" and validator == "pattern":
        return _bad_duration(error, where)
    if hint == "duration" and validator == "type" and _is_number(error.instance):
        number = number_text(error.instance)
        return (
            f"{where} is the number {number}, but a duration needs a unit: "
            f"ms, s, m (minutes), h, d or w, such as {number}d"
        )
    return None


def _unknown_fields(source: SourceDocument, error: ValidationError) -> list[Finding]:
    """Report each unknown field at its own key, with the closest known name."""
    parts: FieldPath = tuple(error.absolute_path)
    where = format_field(parts)
    allowed = sorted((error.schema.get("properties") or {}).keys())
    instance = error.instance if isinstance(error.instance, dict) else {}
    findings = []
    for key in (k for k in instance if k not in allowed):
        message = f"unknown field {quote(key)} in {where}"
        close = close_matches(key, allowed, n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
        elif allowed:
            message += f"; allowed fields: {', '.join(allowed)}"
        line, column = source.key_position((*parts, key))
        field_path = format_field((*parts, key))
        finding = Finding(
            source.path,
            line,
            column,
            "SC010",
            message,
            field_path=field_path,
            key=f"{field_path}:unknown",
        )
        findings.append(finding)
    return findings


def _missing_partner(error: ValidationError, where: str) -> str:
    """Name the field that must come with another, such as value with op."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    for name, partners in (error.validator_value or {}).items():
        missing = [p for p in partners if p not in instance]
        if name in instance and missing:
            return (
                f"{where} sets {name!r} but not {_join(missing)}; set both or neither"
            )
    return f"{where} {_plain_message(error)}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _show(value: Any) -> str:
    """Describe a YAML value in a message the way the file spells it, clipped."""
    return describe_value(value)


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
    shown = _show(error.instance)
    message = f"{where} is {shown}; use one of {clip(', '.join(choices), 400)}"
    if isinstance(error.instance, str):
        close = close_matches(error.instance, choices, n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
        elif "month" in choices and _DURATION_TEXT.match(error.instance):
            message += (
                "; a contract period is a calendar unit, not a duration "
                "('m' means minutes)"
            )
    return message


def _bad_ratio(error: ValidationError, parts: FieldPath) -> str:
    where, value = format_field(parts), error.instance
    if isinstance(value, str):
        return _bad_ratio_text(where, value)
    shown = number_text(value)
    if error.validator == "maximum" and value <= 100:
        alternative = ""
        if parts[-1:] == ("target",):
            alternative = f" (or targetPercent: {shown})"
        return (
            f"{where} is {shown}, but this field is a ratio between 0 and 1; "
            f"did you mean '{shown}%'{alternative}?"
        )
    return (
        f"{where} is {shown}, but a ratio lies between 0 and 1; "
        "write a ratio such as 0.999 or a percentage such as '99.9%'"
    )


def _bad_ratio_text(where: str, value: str) -> str:
    shown = _show(value)
    number = value.strip().rstrip("%").strip()
    if _NUMBER.match(number) and value.strip().endswith("%"):
        if value != value.strip() or number + "%" != value.strip():
            return f"{where} is {shown}; remove the space: write '{clip(number)}%'"
        return f"{where} is {shown}, but a percentage lies between 0% and 100%"
    if _NUMBER.match(number) and Decimal(number) > 1:
        suggestion = f"'{clip(number)}%'"
        return f"{where} is {shown}, a number in quotes; did you mean {suggestion}?"
    if _NUMBER.match(number):
        return (
            f"{where} is {shown}, a number in quotes; write {clip(number)} "
            "without quotes"
        )
    return (
        f"{where} is {shown}, not a percentage or ratio; "
        "write a percentage such as '99.9%' or a ratio such as 0.999"
    )


_ZERO_DURATION = re.compile(r"0+(\.0+)?(ms|s|m|h|d|w)\Z")


def _bad_duration(error: ValidationError, where: str) -> str:
    value = error.instance
    if isinstance(value, str) and _ZERO_DURATION.match(value.strip()):
        return f"{where} is {_show(value)}; a duration must be longer than zero"
    message = (
        f"{where} is {_show(value)}, not a duration; write a number and one of the "
        "units ms, s, m (minutes), h, d, w, such as 30d"
    )
    if isinstance(value, str) and _CALENDAR_WORD.match(value):
        message += (
            "; calendar months, quarters and years are contract periods "
            "(period: month), not durations"
        )
    return message


def _bad_format(error: ValidationError, where: str) -> str:
    fmt, value = error.validator_value, error.instance
    shown = _show(value)
    if fmt == "iana-time-zone":
        close = _close_time_zone(value)
        hint = "; use a name such as UTC or Europe/Berlin"
        if close:
            hint = f"; did you mean {close!r}?"
        return f"{where} is {shown}, not an IANA time zone{hint}"
    if fmt == "date" and isinstance(value, str) and _DATE_SHAPE.match(value):
        problem = _calendar_problem(value)
        return f"{where} is {shown}, which is not a valid calendar date: {problem}"
    if fmt == "date":
        return f"{where} is {shown}, not a date; write YYYY-MM-DD in quotes"
    return f"{where} is {shown}, not a valid {fmt}"


def _calendar_problem(text: str) -> str:
    """Say why a YYYY-MM-DD text names no calendar day."""
    import calendar

    year, month, day = (int(part) for part in text.split("-"))
    if year < 1:
        return "years start at 0001"
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    if day < 1:
        return "days start at 01"
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days, not {day}"


def _close_time_zone(value: Any) -> str | None:
    """Return the IANA zone name closest to ``value``, if one is close."""
    if not isinstance(value, str) or len(value) > 100:
        return None  # difflib's time grows with the length of the text
    close = close_matches(value, sorted(iana_time_zones()), n=1)
    return close[0] if close else None


_LIMITS: dict[str, str] = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "greater than",
    "exclusiveMaximum": "less than",
}


def _plain_message(error: ValidationError) -> str:
    """Word the validators without a dedicated message, without Python reprs."""
    validator, limit = error.validator, error.validator_value
    shown = _show(error.instance)
    if validator in _LIMITS:
        return f"is {shown}; it must be {_LIMITS[validator]} {_show_number(limit)}"
    if validator == "pattern":
        expected = error.schema.get("description") if isinstance(error.schema, dict) else None
        return f"is {shown}, which is not of the expected form" + (
            f"; expected: {expected}" if expected else ""
        )
    if validator == "minLength":
        return "must not be empty"
    if validator == "maxLength":
        return f"is longer than {limit} characters; shorten it"
    if validator == "minItems":
        return f"needs at least {limit} item{'' if limit == 1 else 's'}"
    if validator == "maxItems":
        return f"takes at most {limit} item{'' if limit == 1 else 's'}"
    if validator == "uniqueItems":
        return "lists the same item more than once; remove the repeat"
    detail = re.sub(r"Decimal\('([^']*)'\)", r"\1", " ".join(error.message.split()))
    return f"is invalid: {clip(detail, 200)}"


def _show_number(value: Any) -> str:
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return number_text(value)
    return clip(str(value))


def _join(names: list[str], conjunction: str = "and") -> str:
    quoted = [f"'{n}'" for n in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + f" {conjunction} " + quoted[-1]


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"
