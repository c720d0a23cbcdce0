"""Configuration: ``slacheck.yaml`` or ``[tool.slacheck]`` in ``pyproject.toml``.

The file is looked for in the current folder and each parent up to the
repository root, which is the folder that contains ``.git``. Outside a
repository only the current folder is searched. Both files configuring
slacheck in one folder is an error, because it would be unclear which one
applies.

Paths and globs in the file are relative to the folder that holds it.
Every problem raises :class:`slacheck.console.UsageError` naming the file, the
line where it is known, the key and the accepted values, so the command
exits 2.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

from slacheck.configkeys import KEYS, Invalid, Rebase, suggest
from slacheck.console import UsageError
from slacheck.findings import Severity
from slacheck.settings import LintSettings

log = logging.getLogger(__name__)

YAML_NAME = "slacheck.yaml"
PYPROJECT_NAME = "pyproject.toml"


@dataclass
class ConfigText:
    """A config file's text and where it lives in the working tree.

    ``revision`` is set when the text was read from git rather than from
    disk; ``path`` is then where the file sits in a checkout.
    """

    path: Path
    text: str
    revision: str | None = None

    @property
    def shown(self) -> str:
        shown = Path(os.path.relpath(self.path, Path.cwd())).as_posix()
        return f"{self.revision}:{shown}" if self.revision else shown

    @property
    def is_pyproject(self) -> bool:
        return self.path.name == PYPROJECT_NAME


@dataclass
class Config:
    """A validated config file: normalised values and where each came from."""

    file: ConfigText
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    # Policy folders to use in place of ``values["policies"]``, such as
    # copies extracted from a git revision.
    policy_dirs: list[str] | None = None


def apply_config(settings: LintSettings, path: Path | None) -> Config | None:
    """Load the config (``path``, or the one found upwards) into ``settings``.

    With ``settings.config_from`` set, the config and its policy files are
    read from that git revision, and differences from the working tree are
    added to ``settings.config_findings``.
    """
    if settings.config_from:
        from slacheck.gitrev import config_from_revision

        config, findings = config_from_revision(settings.config_from, path)
        settings.config_findings.extend(findings)
    else:
        config = load_config(path)
    if config is not None:
        apply_values(settings, config.values)
        if config.policy_dirs is not None:
            settings.policy_paths = list(config.policy_dirs)
        log.info("using configuration from %s", config.file.shown)
    return config


def load_config(path: Path | None) -> Config | None:
    """Read and validate the config file; None when there is none."""
    found = read_explicit(path) if path is not None else locate(Path.cwd())
    return parse_config(found) if found is not None else None


# -- finding the file --------------------------------------------------------


def find_repo_root(start: Path) -> Path | None:
    """Return the nearest folder at or above ``start`` that contains ``.git``."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def search_folders(start: Path) -> list[Path]:
    """List the folders to search for a config, nearest first."""
    start = start.resolve()
    root = find_repo_root(start)
    if root is None:
        return [start]
    folders = [start]
    for parent in start.parents:
        if not parent.is_relative_to(root):
            break
        folders.append(parent)
    return folders


def locate(start: Path) -> ConfigText | None:
    """Find the nearest config file from ``start`` up to the repository root."""
    for folder in search_folders(start):
        found = config_in_folder(folder, _read_disk)
        if found is not None:
            return found
    return None


def config_in_folder(folder: Path, read: Any) -> ConfigText | None:
    """Return the config in ``folder``, reading files through ``read(path)``.

    ``read`` returns the file's text or None when it does not exist, so the
    same search runs on the working tree and on a git revision.
    """
    yaml_path, pyproject_path = folder / YAML_NAME, folder / PYPROJECT_NAME
    yaml_text = read(yaml_path)
    pyproject_text = read(pyproject_path)
    pyproject = None
    if pyproject_text is not None and _has_tool_table(pyproject_path, pyproject_text):
        pyproject = ConfigText(pyproject_path, pyproject_text)
    if yaml_text is not None and pyproject is not None:
        raise UsageError(
            f"{folder}: both {YAML_NAME} and {PYPROJECT_NAME} [tool.slacheck] "
            "configure slacheck; keep one of them"
        )
    if yaml_text is not None:
        return ConfigText(yaml_path, yaml_text)
    return pyproject


def _read_disk(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read config file: {exc}") from None


def read_explicit(path: Path) -> ConfigText:
    if path.suffix not in (".yaml", ".yml", ".toml"):
        raise UsageError(
            f"--config {str(path)!r} is invalid; name a .yaml file or pyproject.toml"
        )
    text = _read_disk(path)
    if text is None:
        raise UsageError(f"--config {str(path)!r} does not exist")
    found = ConfigText(path.resolve(), text)
    if path.suffix == ".toml" and not _has_tool_table(path, text):
        raise UsageError(
            f"{path}: no [tool.slacheck] table; add one or name another file"
        )
    return found


def _has_tool_table(path: Path, text: str) -> bool:
    tool = _toml(path, text).get("tool")
    return isinstance(tool, dict) and "slacheck" in tool


def _toml(path: Path, text: str) -> dict[str, Any]:
    import tomllib  # only repositories configured in pyproject.toml need it

    from slacheck.discovery import display_path

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{display_path(path)}: invalid TOML: {exc}") from None


# -- reading and validating --------------------------------------------------


def parse_config(
    found: ConfigText, exists: Callable[[Path], bool] = Path.exists
) -> Config:
    """Validate a config file's keys and values and normalise them.

    ``exists`` checks the files the config names (policy folders).
    """
    raw, locate_line = _read_table(found)
    config = Config(found)
    rebase = Rebase(found.path.parent, Path.cwd(), exists)
    for key, value in raw.items():
        spec = KEYS.get(key)
        if spec is None:
            _fail(found, locate_line((key,)), _unknown_key(key))
        try:
            config.values[key] = spec.parse(value, rebase)
        except Invalid as exc:
            line = locate_line((key, *exc.parts))
            _fail(found, line, f"key {_dotted(key, exc.parts)!r} {exc.message}")
        line = locate_line((key,))
        config.origins[key] = _where(found, line)
        config.lines[key] = line or 1
    if "waivers" in config.values:
        config.values["waivers"] = _place_waivers(config, locate_line)
    return config


def _unknown_key(key: str) -> str:
    message = f"unknown key {key!r}"
    close = suggest(key)
    if close:
        message += f" (did you mean {close!r}?)"
    return f"{message}; accepted keys: {', '.join(sorted(KEYS))}"


def _dotted(key: str, parts: tuple[str | int, ...]) -> str:
    text = key
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _where(found: ConfigText, line: int | None) -> str:
    return f"{found.shown}:{line}" if line else found.shown


def _fail(found: ConfigText, line: int | None, message: str) -> NoReturn:
    table = " [tool.slacheck]" if found.is_pyproject else ""
    raise UsageError(f"{_where(found, line)}:{table} {message}")


def _place_waivers(config: Config, locate_line: Any) -> list[Any]:
    """Give each config waiver the file and line it is written on."""
    placed = []
    for index, waiver in enumerate(config.values["waivers"]):
        line = locate_line(("waivers", index)) or 1
        placed.append(replace(waiver, source=config.file.shown, line=line, column=1))
    return placed


def _read_table(found: ConfigText) -> tuple[dict[str, Any], Any]:
    if found.is_pyproject:
        table = _toml(found.path, found.text)["tool"]["slacheck"]
        if not isinstance(table, dict):
            _fail(found, None, "tool.slacheck must be a table")
        return table, lambda parts: toml_line(found.text, parts)
    return _read_yaml(found)


def _read_yaml(found: ConfigText) -> tuple[dict[str, Any], Any]:
    from slacheck.yamlload import load_text

    loaded = load_text(found.shown, found.text)
    errors = [f for f in loaded.findings if f.severity >= Severity.ERROR]
    if errors:
        first = errors[0]
        raise UsageError(f"{found.shown}:{first.line}: {first.message}")
    if not loaded.documents:
        return {}, lambda parts: None
    if len(loaded.documents) > 1:
        _fail(
            found, loaded.documents[1].line, "holds several documents; keep one mapping"
        )
    document = loaded.documents[0]
    if not isinstance(document.data, dict):
        _fail(
            found, document.line, "must be a mapping of keys such as select and ignore"
        )

    def locate_line(parts: tuple[str | int, ...]) -> int | None:
        if len(parts) == 1:
            return document.key_position(parts)[0]
        return document.position(parts)[0]

    return document.data, locate_line


_HEADER = re.compile(r"\s*\[(\[)?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def toml_line(text: str, parts: tuple[str | int, ...]) -> int | None:
    """Find the line of a ``[tool.slacheck]`` key, best effort.

    tomllib keeps no positions, so this scans the text for the table
    headers and ``key =`` lines; None when the key is spelled some other
    way (a dotted key or an inline table).
    """
    lines = text.splitlines()
    headers = [
        (n, m[2].replace('"', "").replace("'", "").replace(" ", ""), bool(m[1]))
        for n, line in enumerate(lines)
        if (m := _HEADER.match(line))
    ]
    table, start, best = "tool.slacheck", None, None
    for number, name, _ in headers:
        if name == table:
            start = best = number
    if start is None:
        return None
    for part in parts:
        if isinstance(part, int):
            matches = [n for n, name, is_array in headers if name == table and is_array]
            if part >= len(matches):
                break
            start = best = matches[part]
            continue
        sub = f"{table}.{part}"
        header = next((n for n, name, _ in headers if name == sub), None)
        if header is not None:
            table, start, best = sub, header, header
            continue
        found = _key_line(lines, start, str(part))
        if found is None:
            break
        start = best = found
    return best + 1 if best is not None else None


def _key_line(lines: list[str], start: int, key: str) -> int | None:
    pattern = re.compile(rf"""\s*["']?{re.escape(key)}["']?\s*=""")
    for number in range(start + 1, len(lines)):
        if _HEADER.match(lines[number]):
            return None
        if pattern.match(lines[number]):
            return number
    return None


# -- applying ----------------------------------------------------------------


def apply_values(settings: LintSettings, values: dict[str, Any]) -> None:
    """Copy validated config values onto the run settings."""
    simple = {
        "select": "select",
        "ignore": "ignore",
        "fail-on": "fail_on",
        "severity": "severities",
        "per-path-ignores": "per_path_ignores",
        "include": "include",
        "exclude": "exclude",
        "policies": "policy_paths",
        "default-policies": "use_default_policies",
        "waivers": "waivers",
    }
    for key, attribute in simple.items():
        if key in values:
            setattr(settings, attribute, values[key])
    options = {
        spec.option: values[key]
        for key, spec in KEYS.items()
        if spec.option and key in values
    }
    if options:
        settings.options = replace(settings.options, **options)
