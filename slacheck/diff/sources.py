"""The two trees a diff compares: folders, or git revisions unpacked to temporary ones.

A revision is read with ``git archive``, so the working tree, the index and
the checked-out branch are never touched.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from slacheck.discovery import display_path

log = logging.getLogger(__name__)

# Files a diff reads from a revision: definitions, config and waiver lists.
_WANTED_SUFFIXES = (".yaml", ".yml", ".toml", ".json")

# Config files at the repository root apply to every path, so they are read
# even when --path narrows the comparison to a subfolder.
CONFIG_FILES = ("slacheck.yaml", "pyproject.toml")


class SourceError(Exception):
    """A revision or folder that cannot be read; the message names the fix."""


@dataclass
class Tree:
    """One side of a diff: where its files are and how to show their paths."""

    label: str
    root: Path
    revision: str = ""  # the full commit id for a git revision
    show_root: Path | None = None  # shown paths are relative to this folder
    temporary: bool = False
    scan: list[Path] = field(default_factory=list)

    def shown(self, path: str) -> str:
        """Return a file path for output: repository-relative for revisions."""
        relative = self.relative(path)
        if self.show_root is None:
            return relative
        return display_path(self.show_root / relative)

    def relative(self, path: str) -> str:
        resolved = Path(path).resolve()
        try:
            return resolved.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def cleanup(self) -> None:
        if self.temporary:
            shutil.rmtree(self.root, ignore_errors=True)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise SourceError("git is not installed; compare two folders instead") from None


def repo_root(cwd: Path) -> Path | None:
    done = _git(["rev-parse", "--show-toplevel"], cwd)
    if done.returncode != 0:
        return None
    return Path(done.stdout.decode().strip())


def open_tree(spec: str, paths: list[str], *, cwd: Path) -> Tree:
    """Open ``spec``: an existing folder, or else a git revision."""
    folder = Path(spec)
    if folder.is_dir():
        tree = Tree(spec, folder, show_root=folder)
        tree.scan = _scan_paths(folder, paths)
        return tree
    return open_revision(spec, paths, cwd=cwd)


def working_tree(paths: list[str], *, cwd: Path) -> Tree:
    """Return the checked-out files (the default HEAD side)."""
    root = repo_root(cwd) or cwd
    tree = Tree("working tree", root, show_root=root)
    tree.scan = _scan_paths(root, _from_repo_root(paths, root, cwd))
    return tree


def open_revision(revision: str, paths: list[str], *, cwd: Path) -> Tree:
    root = repo_root(cwd)
    if root is None:
        raise SourceError(
            f"{revision!r} is not a folder, and {cwd} is not inside a git repository "
            "that could resolve it as a revision"
        )
    commit = _resolve(revision, root)
    target = Path(tempfile.mkdtemp(prefix="slacheck-diff-"))
    tree = Tree(f"{revision} ({commit[:12]})", target, revision=commit, temporary=True)
    relative = _from_repo_root(paths, root, cwd)
    try:
        _unpack(commit, root, target, relative)
    except BaseException:
        tree.cleanup()
        raise
    tree.scan = _scan_paths(target, relative)
    return tree


def _resolve(revision: str, root: Path) -> str:
    if revision.startswith("-"):
        raise SourceError(f"revision {revision!r} is invalid: it starts with '-'")
    done = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root)
    if done.returncode == 0:
        return done.stdout.decode().strip()
    raise SourceError(_missing_revision_message(revision, root))


def _missing_revision_message(revision: str, root: Path) -> str:
    shallow = _git(["rev-parse", "--is-shallow-repository"], root)
    if shallow.stdout.decode().strip() == "true":
        return (
            f"revision {revision!r} is not in this shallow clone; fetch more history "
            f"with 'git fetch --deepen=1' (one more commit per step), or fetch the "
            f"revision itself with 'git fetch origin {revision}'"
        )
    return (
        f"unknown revision {revision!r}; name a commit, branch or tag, or an existing "
        f"folder (for a branch of a remote, run 'git fetch origin {revision}' first)"
    )


def _from_repo_root(paths: list[str], root: Path, cwd: Path) -> list[str]:
    """Turn paths given relative to ``cwd`` into paths relative to the repository."""
    relative = []
    for path in paths:
        absolute = (cwd / path).resolve()
        try:
            relative.append(absolute.relative_to(root.resolve()).as_posix())
        except ValueError:
            raise SourceError(
                f"--path {path!r} lies outside the repository {root}"
            ) from None
    return relative


def _scan_paths(root: Path, paths: list[str]) -> list[Path]:
    if not paths:
        return [root]
    return [root / path for path in paths]


def _unpack(commit: str, repo: Path, target: Path, paths: list[str]) -> None:
    """Extract the wanted files of ``commit`` below ``target``."""
    command = ["git", "archive", "--format=tar", commit]
    log.info("reading %s with %s", commit, " ".join(command))
    with subprocess.Popen(
        command, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None
        with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
            for member in archive:
                if member.isfile() and _wanted(member.name, paths):
                    archive.extract(member, target, filter="data")
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise SourceError(f"git archive {commit[:12]} failed: {error.strip()}")


def _wanted(name: str, paths: list[str]) -> bool:
    if not name.endswith(_WANTED_SUFFIXES):
        return False
    if not paths or name in CONFIG_FILES:
        return True
    return any(
        path in (".", "") or name == path or name.startswith(path.rstrip("/") + "/")
        for path in paths
    )
