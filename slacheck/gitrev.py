"""Read the gate's own configuration from a git revision (``--config-from``).

A pull request can weaken the check it is judged by: drop a policy, add an
ignore or a waiver. With ``--config-from REV`` the config file, its waivers,
its policy files and the inline waiver comments are taken from ``REV``, and
each difference from the working tree becomes an SC804 finding so that
reviewers see it.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slacheck.console import UsageError
from slacheck.findings import Finding

if TYPE_CHECKING:
    from slacheck.config import Config, ConfigText
    from slacheck.waivers import Waiver

log = logging.getLogger(__name__)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("--config-from needs git, which is not installed") from None


@dataclass(frozen=True)
class Revision:
    """A commit of the repository whose working tree contains the current folder."""

    rev: str
    root: Path

    def repo_path(self, path: Path) -> str | None:
        """Return ``path`` relative to the repository root, or None outside it."""
        absolute = Path(os.path.abspath(path))
        if not absolute.is_relative_to(self.root):
            return None
        return absolute.relative_to(self.root).as_posix()

    def read_bytes(self, path: Path) -> bytes | None:
        """Return the file's content at this revision; None when it has none."""
        inside = self.repo_path(path)
        if inside is None or inside == ".":
            return None
        # cat-file reads blobs only, so a folder at this path reads as missing.
        shown = _git(["cat-file", "blob", f"{self.rev}:{inside}"], self.root)
        if shown.returncode != 0:
            return None
        return shown.stdout

    def read(self, path: Path) -> str | None:
        raw = self.read_bytes(path)
        if raw is None:
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(
                f"{self.rev}:{self.repo_path(path)} is not UTF-8 text"
            ) from None

    def files_under(self, path: Path) -> list[str]:
        """List the files at or below ``path`` in this revision."""
        inside = self.repo_path(path)
        if inside is None:
            return []
        spec = [] if inside == "." else ["--", inside]
        listed = _git(
            ["ls-tree", "-r", "-z", "--name-only", self.rev, *spec], self.root
        )
        if listed.returncode != 0:
            return []
        return sorted(name for name in listed.stdout.decode().split("\0") if name)

    def exists(self, path: Path) -> bool:
        return bool(self.files_under(path))


@cache
def open_revision(rev: str) -> Revision:
    """Check that ``rev`` names a commit of the repository around the current folder."""
    cwd = Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise UsageError(
            f"--config-from {rev!r} needs a git repository; {cwd} is not in one"
        )
    root = Path(top.stdout.decode().strip()).resolve()
    verified = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if verified.returncode != 0:
        raise UsageError(
            f"--config-from {rev!r} is not a commit in {root}; name a branch, tag or "
            "commit such as origin/main (fetch it first in a shallow clone)"
        )
    return Revision(rev, root)


def config_from_revision(
    rev: str, explicit: Path | None
) -> tuple[Config | None, list[Finding]]:
    """Load the config of ``rev`` and report how the working tree differs."""
    from slacheck.config import parse_config

    revision = open_revision(rev)
    found = _locate_at(revision, explicit)
    fallback = _display(found.path) if found is not None else "."
    working, findings = _working_config(explicit, rev, fallback)
    config = parse_config(found, revision.exists) if found is not None else None
    findings.extend(_config_changes(config, working, rev))
    if config is not None and config.values.get("policies"):
        config.policy_dirs, changed = _extract_policies(
            revision, config.values["policies"]
        )
        findings.extend(changed)
    return config, findings


def _locate_at(revision: Revision, explicit: Path | None) -> ConfigText | None:
    from slacheck.config import ConfigText, config_in_folder, search_folders

    if explicit is not None:
        text = revision.read(explicit)
        if text is None:
            raise UsageError(
                f"--config {str(explicit)!r} does not exist at {revision.rev}"
            )
        return ConfigText(explicit.resolve(), text, revision.rev)
    for folder in search_folders(Path.cwd()):
        found = config_in_folder(folder, revision.read)
        if found is not None:
            found.revision = revision.rev
            return found
    return None


def _working_config(
    explicit: Path | None, rev: str, path: str
) -> tuple[Config | None, list[Finding]]:
    from slacheck.config import load_config

    try:
        return load_config(explicit), []
    except UsageError as exc:
        message = (
            f"the working tree's configuration is invalid ({exc}); "
            f"this run uses {rev}'s"
        )
        return None, [_change(path, 1, message, key="invalid")]


def _config_changes(
    config: Config | None, working: Config | None, rev: str
) -> list[Finding]:
    from slacheck.configkeys import comparable, display_value

    if config is None and working is None:
        return []
    if config is None:
        assert working is not None
        message = (
            f"{rev} has no slacheck configuration; "
            f"this run ignores {working.file.shown}"
        )
        return [_change(_shown(working), 1, message, key="added")]
    if working is None:
        message = (
            "the configuration file is missing from the working tree; "
            f"this run uses {rev}'s"
        )
        return [_change(_shown(config), 1, message, key="removed")]
    out = []
    for key in sorted(set(config.values) | set(working.values)):
        before, after = config.values.get(key), working.values.get(key)
        if comparable(before) == comparable(after):
            continue
        message = (
            f"config key {key!r} differs from {rev} ({rev}: {display_value(before)}; "
            f"working tree: {display_value(after)}); this run uses {rev}'s value"
        )
        out.append(
            _change(_shown(working), working.lines.get(key, 1), message, key=key)
        )
    return out


def _shown(config: Config) -> str:
    return _display(config.file.path)


def _display(path: Path) -> str:
    from slacheck.discovery import display_path

    return display_path(path)


def _change(path: str, line: int, message: str, *, key: str) -> Finding:
    return Finding(path, line, 1, "SC804", message, key=key)


def _extract_policies(
    revision: Revision, paths: list[str]
) -> tuple[list[str], list[Finding]]:
    """Copy the policy files of ``revision`` to a temporary folder.

    Returns the copies' paths, in the order of ``paths``, and one finding per
    policy file that differs in the working tree.
    """
    target = Path(tempfile.mkdtemp(prefix="slacheck-rev-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    copies, findings = [], []
    for path in paths:
        inside = revision.repo_path(Path(path))
        if inside is None:
            copies.append(path)  # outside the repository: not under review
            continue
        for name in revision.files_under(Path(path)):
            content = revision.read_bytes(revision.root / name) or b""
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(content)
        copies.append(str(target / inside))
        findings.extend(_policy_changes(revision, Path(path), target))
    return copies, findings


def _policy_changes(revision: Revision, path: Path, copies: Path) -> list[Finding]:
    from slacheck.discovery import display_path

    at_rev = set(revision.files_under(path))
    on_disk = {inside for f in _files(path) if (inside := revision.repo_path(f))}
    out = []
    for name in sorted(at_rev | on_disk):
        working = revision.root / name
        if name not in at_rev:
            state = f"is not in {revision.rev}; this run does not use it"
        elif name not in on_disk:
            state = (
                f"is deleted in the working tree; this run uses {revision.rev}'s copy"
            )
        elif working.read_bytes() != (copies / name).read_bytes():
            state = (
                f"differs from {revision.rev}; this run uses {revision.rev}'s version"
            )
        else:
            continue
        out.append(
            _change(
                display_path(working), 1, f"policy file {state}", key=f"policy {name}"
            )
        )
    return out


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []


def drop_new_inline_waivers(
    waivers: list[Waiver], rev: str
) -> tuple[list[Waiver], list[Finding]]:
    """Keep the inline waivers that ``rev`` already has; report the others."""
    from slacheck.waivers import comment_waivers

    revision = open_revision(rev)
    kept: list[Waiver] = []
    findings: list[Finding] = []
    known: dict[str, Counter[Any]] = {}
    for waiver in waivers:
        if not waiver.inline:
            kept.append(waiver)
            continue
        if waiver.source not in known:
            text = revision.read(Path(waiver.source)) or ""
            known[waiver.source] = Counter(
                _signature(w) for w in comment_waivers("", text)
            )
        counts = known[waiver.source]
        if counts[_signature(waiver)] > 0:
            counts[_signature(waiver)] -= 1
            kept.append(waiver)
            continue
        message = (
            f"inline waiver for {waiver.code} is not in {rev}; it is not applied "
            f"while the gate's configuration comes from {rev}"
        )
        findings.append(
            Finding(
                waiver.source,
                waiver.line,
                waiver.column,
                "SC804",
                message,
                kind=waiver.kind,
                name=waiver.name,
                key=f"waiver {waiver.code}",
            )
        )
    return kept, findings


def _signature(waiver: Waiver) -> tuple[str, str, str, str]:
    return (waiver.code, waiver.owner, waiver.until.isoformat(), waiver.reason)
