"""The keys a config file accepts: how each is read and what it accepts.

Each parser takes the raw value (from YAML or TOML) and returns the value
the run settings use, or raises :class:`Invalid` with a message that names
the accepted values.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from slacheck.display import close_matches
from slacheck.findings import Severity
from slacheck.waivers import Waiver, check_code, parse_date

FieldParts = tuple[str | int, ...]


class Invalid(Exception):
    """A config value that is not accepted; ``parts`` locate it below its key."""

    def __init__(self, message: str, parts: FieldParts = ()) -> None:
        super().__init__(message)
        self.message = message
        self.parts = parts


@dataclass(frozen=True)
class Rebase:
    """Turn paths and globs written relative to the config file's folder into
    paths relative to the current folder, which is how findings show them.

    ``exists`` checks a path below ``folder``; a config read from a git
    revision checks that revision's files instead of the disk.
    """

    folder: Path
    cwd: Path
    exists: Callable[[Path], bool] = field(default=Path.exists)

    def path(self, text: str) -> str:
        if os.path.isabs(text):
            return text
        return Path(os.path.relpath(self.folder / text, self.cwd)).as_posix()

    def glob(self, pattern: str) -> str:
        """Rebase a glob; patterns starting with ``*`` match at any depth."""
        folder = Path(os.path.relpath(self.folder, self.cwd)).as_posix()
        if folder == "." or pattern.startswith("*") or os.path.isabs(pattern):
            return pattern
        if not folder.startswith(".."):
            return f"{folder}/{pattern}"
        below = Path(os.path.relpath(self.cwd, self.folder)).as_posix() + "/"
        if pattern.startswith(below):
            return pattern[len(below) :]
        # NOTE: files outside the current folder are shown as named on the
        # command line, so this only matches when they were named relative.
        return f"{folder}/{pattern}"


@dataclass(frozen=True)
class KeySpec:
    parse: Callable[[Any, Rebase], Any]
    accepted: str
    # The RuleOptions field this key sets, if it is a rule threshold.
    option: str = ""


def _strings(value: Any, accepted: str) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        raise Invalid(f"is {_show(value)}; accepted values: {accepted}")
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise Invalid(f"is {_show(item)}; accepted values: {accepted}", (index,))
        out.append(item.strip())
    return out


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    return repr(value)


_CODE_PREFIX = re.compile(r"SC[0-9]{0,3}\Z")
CODES_ACCEPTED = "a list of codes or code prefixes, such as [SC2, SC101]"


def code_or_prefix(text: str) -> str:
    code = text.strip().upper()
    if _CODE_PREFIX.match(code) and len(code) < 5:
        return code
    problem = check_code(code)
    if problem:
        raise Invalid(f"names an {problem}; 'slacheck rules' lists the codes")
    return code


def _codes(value: Any, rebase: Rebase) -> list[str]:
    codes = []
    for index, text in enumerate(_strings(value, CODES_ACCEPTED)):
        try:
            codes.append(code_or_prefix(text))
        except Invalid as exc:
            raise Invalid(exc.message, (index,)) from None
    return codes


SEVERITIES = "error, warning or info"


def _severity(value: Any, rebase: Rebase) -> Severity:
    if isinstance(value, str):
        try:
            return Severity.parse(value)
        except ValueError:
            pass
    raise Invalid(f"is {_show(value)}; accepted values: {SEVERITIES}")


def _mapping(value: Any, accepted: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"is {_show(value)}; accepted values: {accepted}")
    return value


def _severity_map(value: Any, rebase: Rebase) -> dict[str, Severity]:
    accepted = f"a mapping of codes to {SEVERITIES}, such as {{SC206: error}}"
    out = {}
    for code, level in _mapping(value, accepted).items():
        problem = check_code(str(code).upper())
        if problem:
            raise Invalid(
                f"names an {problem}; 'slacheck rules' lists the codes", (code,)
            )
        try:
            out[str(code).upper()] = _severity(level, rebase)
        except Invalid as exc:
            raise Invalid(exc.message, (code,)) from None
    return out


def _per_path(value: Any, rebase: Rebase) -> dict[str, list[str]]:
    accepted = 'a mapping of globs to code lists, such as {"legacy/**": [SC3]}'
    out = {}
    for pattern, codes in _mapping(value, accepted).items():
        try:
            out[rebase.glob(str(pattern))] = _codes(codes, rebase)
        except Invalid as exc:
            raise Invalid(exc.message, (pattern, *exc.parts)) from None
    return out


GLOBS_ACCEPTED = 'a list of globs relative to the config file, such as ["legacy/**"]'


def _globs(value: Any, rebase: Rebase) -> list[str]:
    return [rebase.glob(p) for p in _strings(value, GLOBS_ACCEPTED)]


def _paths(value: Any, rebase: Rebase) -> list[str]:
    accepted = "a list of policy files or folders relative to the config file"
    paths = _strings(value, accepted)
    for index, text in enumerate(paths):
        if not rebase.exists(rebase.folder / text):
            raise Invalid(f"names {text!r}, which does not exist; {accepted}", (index,))
    return [rebase.path(p) for p in paths]


def _path(value: Any, rebase: Rebase) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(
            f"is {_show(value)}; accepted values: a file path relative to the config"
        )
    return rebase.path(value.strip())


def _flag(value: Any, rebase: Rebase) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"is {_show(value)}; accepted values: true or false")
    return value


def _number(minimum: Decimal, unit: str) -> Callable[[Any, Rebase], Decimal]:
    accepted = f"a number of {unit} of at least {minimum}"

    def parse(value: Any, rebase: Rebase) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise Invalid(f"is {_show(value)}; accepted values: {accepted}")
        number = Decimal(str(value))
        if not number.is_finite() or number < minimum:
            raise Invalid(f"is {_show(value)}; accepted values: {accepted}")
        return number

    return parse


WAIVER_FIELDS = ("code", "document", "path", "owner", "until", "reason")
WAIVER_ACCEPTED = (
    "a list of mappings with code, document (Kind/name or name) or path, "
    "owner, until (YYYY-MM-DD) and reason"
)


def _waivers(value: Any, rebase: Rebase) -> list[Waiver]:
    if not isinstance(value, list):
        raise Invalid(f"is {_show(value)}; accepted values: {WAIVER_ACCEPTED}")
    return [_waiver(item, index, rebase) for index, item in enumerate(value)]


def _waiver(item: Any, index: int, rebase: Rebase) -> Waiver:
    if not isinstance(item, dict):
        raise Invalid(f"is {_show(item)}; accepted values: {WAIVER_ACCEPTED}", (index,))
    for key in item:
        if key not in WAIVER_FIELDS:
            fields = ", ".join(WAIVER_FIELDS)
            raise Invalid(f"is an unknown waiver field; use {fields}", (index, key))
    text = {key: _text(item, key, index) for key in WAIVER_FIELDS if key in item}
    for key in ("code", "owner", "until", "reason"):
        if key not in text:
            raise Invalid(f"is missing; every waiver needs {key}", (index, key))
    if "document" not in text and "path" not in text:
        raise Invalid("needs a document or a path to say what it waives", (index,))
    until = parse_date(text["until"])
    if until is None:
        raise Invalid(
            f"is {text['until']!r}; accepted values: a YYYY-MM-DD date",
            (index, "until"),
        )
    code = text["code"].upper()
    problem = check_code(code)
    if problem:
        raise Invalid(
            f"names an {problem}; 'slacheck rules' lists the codes", (index, "code")
        )
    kind, name = _document(text.get("document", ""), index)
    path = rebase.glob(text["path"]) if "path" in text else ""
    return Waiver(code, text["owner"], until, text["reason"], kind, name, path)


def _text(item: dict[str, Any], key: str, index: int) -> str:
    value = item[key]
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        raise Invalid(
            f"is {_show(value)}; accepted values: non-empty text", (index, key)
        )
    return value.strip()


def _document(text: str, index: int) -> tuple[str, str]:
    """Split ``Kind/name``; a name alone matches documents of any kind."""
    from slacheck.model import OPENSLO_KINDS, SLACHECK_KINDS

    prefix, sep, rest = text.partition("/")
    if not sep:
        return "", text
    kinds = {k.lower(): k for k in (*SLACHECK_KINDS, *OPENSLO_KINDS)}
    kind = kinds.get(prefix.lower())
    if kind is None:
        accepted = ", ".join(sorted(set(kinds.values())))
        raise Invalid(
            f"names unknown kind {prefix!r}; use one of {accepted}", (index, "document")
        )
    return kind, rest


KEYS: dict[str, KeySpec] = {
    "select": KeySpec(_codes, CODES_ACCEPTED),
    "ignore": KeySpec(_codes, CODES_ACCEPTED),
    "fail-on": KeySpec(_severity, SEVERITIES),
    "severity": KeySpec(_severity_map, f"a mapping of codes to {SEVERITIES}"),
    "per-path-ignores": KeySpec(_per_path, "a mapping of globs to code lists"),
    "include": KeySpec(_globs, GLOBS_ACCEPTED),
    "exclude": KeySpec(_globs, GLOBS_ACCEPTED),
    "policies": KeySpec(_paths, "a list of policy files or folders"),
    "default-policies": KeySpec(_flag, "true or false"),
    "min-margin-points": KeySpec(
        _number(Decimal(0), "percentage points"),
        "a number of points",
        "min_margin_points",
    ),
    "min-budget-multiple": KeySpec(
        _number(Decimal(1), "times the SLO's error budget"),
        "a number",
        "min_budget_multiple",
    ),
    "baseline": KeySpec(_path, "a file path"),
    "waivers": KeySpec(_waivers, WAIVER_ACCEPTED),
}


def suggest(key: str) -> str | None:
    """Return the accepted key closest to a misspelt one."""
    normal = key.strip().lower().replace("_", "-")
    if normal in KEYS:
        return normal
    close = close_matches(normal, list(KEYS), n=1)
    return close[0] if close else None


def default_values() -> dict[str, Any]:
    """Return each key's value when no config sets it."""
    from slacheck.settings import LintSettings

    settings = LintSettings()
    return {
        "select": settings.select,
        "ignore": settings.ignore,
        "fail-on": settings.fail_on,
        "severity": settings.severities,
        "per-path-ignores": settings.per_path_ignores,
        "include": settings.include,
        "exclude": settings.exclude,
        "policies": settings.policy_paths,
        "default-policies": settings.use_default_policies,
        "min-margin-points": settings.options.min_margin_points,
        "min-budget-multiple": settings.options.min_budget_multiple,
        "baseline": None,
        "waivers": [],
    }


def display_value(value: Any) -> str:
    """Render a config value the way a user would write it in YAML."""
    if isinstance(value, Severity):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(display_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{k}: {display_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, Waiver):
        target = value.target if value.name or value.path else "?"
        return (
            f"{value.code} on {target} until {value.until.isoformat()} ({value.owner})"
        )
    return str(value)


def comparable(value: Any) -> Any:
    """Return a form of a config value that ignores where it was written."""
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, Waiver):
        return (
            value.code,
            value.kind,
            value.name,
            value.path,
            value.owner,
            value.until,
            value.reason,
        )
    return value
