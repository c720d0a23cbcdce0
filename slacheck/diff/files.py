"""Changes to what decides a check rather than what is promised.

The config (``slacheck.yaml`` or ``[tool.slacheck]`` in ``pyproject.toml``),
its waivers and baseline, inline waiver comments and policy files can turn
a failing check green, so the diff lists them next to the SLA changes.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from slacheck.diff.model import NEUTRAL, Change
from slacheck.diff.sources import Tree
from slacheck.discovery import SKIPPED_DIRS

_INLINE_WAIVER = re.compile(r"(?:^|\s)#\s*slacheck:\s*(waive\b.*)$")


def read_config(root: Path) -> tuple[str, dict[str, Any]] | None:
    """Return (file name, settings) of the config at a tree's root, if any."""
    yaml_path, pyproject = root / "slacheck.yaml", root / "pyproject.toml"
    if yaml_path.is_file():
        return "slacheck.yaml", _yaml_mapping(yaml_path)
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return "pyproject.toml [tool.slacheck]", {"<unreadable>": True}
        table = data.get("tool", {}).get("slacheck")
        if isinstance(table, dict):
            return "pyproject.toml [tool.slacheck]", table
    return None


def _yaml_mapping(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return {"<unreadable>": True}
    return data if isinstance(data, dict) else {}


def config_changes(base: Tree, head: Tree) -> list[Change]:
    old, new = read_config(base.root), read_config(head.root)
    if old is None and new is None:
        return []
    name = (new or old or ("config", {}))[0]
    if old is None:
        return [_file_change("config", name, f"config {name} added")]
    if new is None:
        return [_file_change("config", name, f"config {name} removed")]
    changes = []
    settings_old, settings_new = old[1], new[1]
    for key in sorted({*settings_old, *settings_new}):
        before, after = settings_old.get(key), settings_new.get(key)
        if before == after:
            continue
        if isinstance(before, list) or isinstance(after, list):
            changes.extend(_list_changes(name, key, before or [], after or []))
        else:
            message = f"{key} changed from {_brief(before)} to {_brief(after)}"
            changes.append(_file_change("config", name, message))
    return changes


def _list_changes(name: str, key: str, old: list[Any], new: list[Any]) -> list[Change]:
    label = "waiver" if key == "waivers" else f"{key} entry"
    changes = []
    for item in new:
        if item not in old:
            changes.append(
                _file_change("config", name, f"{label} added: {_brief(item)}")
            )
    for item in old:
        if item not in new:
            changes.append(
                _file_change("config", name, f"{label} removed: {_brief(item)}")
            )
    return changes


def referenced_file_changes(base: Tree, head: Tree) -> list[Change]:
    """Compare the baseline file and policy paths that either config names."""
    references: set[tuple[str, str]] = set()
    for tree in (base, head):
        found = read_config(tree.root)
        settings = found[1] if found else {}
        baseline = settings.get("baseline")
        if isinstance(baseline, str):
            references.add(("baseline", baseline))
        for policy in settings.get("policies") or []:
            if isinstance(policy, str):
                references.add(("policy", policy))
    changes = []
    for kind, relative in sorted(references):
        for file in _files_below(base.root, head.root, relative):
            change = _text_change(kind, file, base.root / file, head.root / file)
            if change is not None:
                changes.append(change)
    return changes


def _files_below(base_root: Path, head_root: Path, relative: str) -> list[str]:
    files: set[str] = set()
    for root in (base_root, head_root):
        target = root / relative
        if target.is_file():
            files.add(relative)
        elif target.is_dir():
            for path in sorted(target.rglob("*")):
                parts = path.relative_to(root).parts
                if path.is_file() and not any(p in SKIPPED_DIRS for p in parts):
                    files.add(path.relative_to(root).as_posix())
    return sorted(files)


def _text_change(kind: str, name: str, old: Path, new: Path) -> Change | None:
    before = _read(old)
    after = _read(new)
    if before == after:
        return None
    if before is None:
        return _file_change(kind, name, f"{kind} file {name} added")
    if after is None:
        return _file_change(kind, name, f"{kind} file {name} removed")
    added, removed = _line_counts(before, after)
    return _file_change(
        kind, name, f"{kind} file {name} changed (+{added} -{removed} lines)"
    )


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _line_counts(before: str, after: str) -> tuple[int, int]:
    added = removed = 0
    for line in difflib.unified_diff(
        before.splitlines(), after.splitlines(), lineterm="", n=0
    ):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return added, removed


def inline_waiver_changes(
    base_texts: dict[str, str], head_texts: dict[str, str]
) -> list[Change]:
    """Compare ``# slacheck: waive`` comments per file (keyed by tree-relative path)."""
    changes = []
    for path in sorted({*base_texts, *head_texts}):
        old = _waivers(base_texts.get(path, ""))
        new = _waivers(head_texts.get(path, ""))
        for text, line in new.items():
            if text not in old:
                change = _file_change("waiver", path, f"inline waiver added: {text}")
                changes.append(replace(change, line=line))
        for text in old:
            if text not in new:
                changes.append(
                    _file_change("waiver", path, f"inline waiver removed: {text}")
                )
    return changes


def _waivers(text: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _INLINE_WAIVER.search(line)
        if match:
            found.setdefault(match.group(1).strip(), number)
    return found


def _file_change(kind: str, name: str, message: str) -> Change:
    return Change(kind=kind, name=name, effect=NEUTRAL, message=message, path=name)


def _brief(value: Any) -> str:
    text = (
        json.dumps(value, default=str, sort_keys=True)
        if value is not None
        else "nothing"
    )
    return text if len(text) <= 80 else text[:77] + "..."
