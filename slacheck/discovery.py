"""Find definition files under the paths a user names."""

from __future__ import annotations

import fnmatch
import functools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")

# Folders a user running over a whole repository never means to lint.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".slacheck_cache",
        "site-packages",
        ".idea",
        ".vscode",
    }
)


@dataclass(frozen=True)
class Candidate:
    """A file to read; ``explicit`` when the user named it directly.

    ``error`` is set instead for a folder that cannot be listed, such as one
    without read permission, so that the folder is reported, not skipped.
    """

    path: str
    explicit: bool
    error: str = ""


def path_exists(path: str) -> bool:
    """Tell whether ``path`` names something, even something unreadable.

    A dangling symbolic link, a link loop or a file in a folder without
    search permission exists for this purpose: reading it reports why it
    cannot be read. ``os.path.exists`` returns False for all three.
    """
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def display_path(path: Path) -> str:
    """Return ``path`` relative to the current folder when it lies below it.

    A symbolic link shows as its target, so a file and a link to it are read
    once. A dangling link shows as itself, because its target does not exist.
    """
    if os.name == "posix":
        return _posix_display_path(path)
    target = path.resolve()
    if not os.path.exists(target):
        target = Path(os.path.abspath(path))
    try:
        return target.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _posix_display_path(path: Path) -> str:
    """Do what :func:`display_path` does with string functions.

    pathlib's resolve and relative_to cost more than reading a small file, so
    a scan of thousands of files spent most of its time here.
    """
    target = os.path.realpath(path)
    if not os.path.exists(target):
        target = os.path.abspath(path)
    base = _real_cwd(os.getcwd())
    if target == base:
        return "."
    prefix = base if base.endswith("/") else base + "/"
    if target.startswith(prefix):
        return target[len(prefix):]
    return path.as_posix()


@functools.lru_cache(maxsize=4)
def _real_cwd(cwd: str) -> str:
    return os.path.realpath(cwd)


def discover(
    paths: Iterable[str],
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> Iterator[Candidate]:
    """Yield files under ``paths`` in a stable order, each once."""
    include, exclude = list(include), list(exclude)
    seen: set[str] = set()
    for raw in paths:
        root = Path(raw)
        # os.path.isdir, unlike Path.is_dir on Python 3.11, returns False
        # instead of raising when a parent folder cannot be searched.
        if os.path.isdir(root):
            found = _walk(root)
            explicit = False
        else:
            found = [(display_path(root), "")]
            explicit = True
        for shown, error in found:
            if shown in seen or _excluded(shown, include, exclude, explicit):
                continue
            seen.add(shown)
            yield Candidate(shown, explicit, error)


def _walk(root: Path) -> list[tuple[str, str]]:
    """Return (display path, error) for each YAML file below ``root``, sorted.

    The error is empty for a file. A folder that cannot be listed comes back
    with the reason. FIFOs, sockets and devices are left out, because
    opening a FIFO waits for a writer. A folder below the current folder
    that is not a symbolic link shows as its parent's display path plus its
    name. So only links and folders outside the current folder need a
    lookup of their real path, and a scan of ".." still shows files below
    the current folder relative to it.
    """
    found: list[tuple[str, str]] = []
    pending = [_Folder(str(root), display_path(root))]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder.path), key=lambda entry: entry.name)
        except OSError as exc:
            found.append((folder.shown, exc.strerror or str(exc)))
            continue
        if folder.depth and _is_virtualenv(entries):
            continue
        subfolders = []
        for entry in entries:
            kind = _entry_kind(entry)
            if kind == "folder":
                if not _skip_dir(entry.name):
                    subfolders.append(folder.child(entry))
            elif kind == "other" or not entry.name.endswith(YAML_SUFFIXES):
                continue
            elif kind == "link":
                found.append((display_path(Path(entry.path)), ""))
            else:
                found.append((_join(folder.shown, entry.name), ""))
        pending.extend(reversed(subfolders))
    return found


@dataclass(frozen=True)
class _Folder:
    """A folder to list, how it shows, and how deep below the scanned path."""

    path: str
    shown: str
    depth: int = 0

    def child(self, entry: os.DirEntry[str]) -> _Folder:
        """Return a subfolder that is not a symbolic link."""
        if _is_below_cwd(self.shown):
            shown = _join(self.shown, entry.name)
        else:
            shown = display_path(Path(entry.path))
        return _Folder(entry.path, shown, self.depth + 1)


def _is_below_cwd(shown: str) -> bool:
    """Tell whether a display path is relative to the current folder, not above it.

    A path outside the current folder shows as the user spelt it, so it
    may be relative and still climb out with "..".
    """
    return not os.path.isabs(shown) and ".." not in shown.replace("\\", "/").split("/")


def _is_virtualenv(entries: list[os.DirEntry[str]]) -> bool:
    """Tell whether a folder contains a pyvenv.cfg, as every virtual environment does."""
    for entry in entries:
        if entry.name == "pyvenv.cfg":
            try:
                return entry.is_file()
            except OSError:
                return False
    return False


def _entry_kind(entry: os.DirEntry[str]) -> str:
    """Classify a folder entry as folder, link, file or other, without following."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return "folder"
        if entry.is_symlink():
            return "link"
        return "file" if entry.is_file(follow_symlinks=False) else "other"
    except OSError:
        return "file"  # reading it reports the error


def _join(folder: str, name: str) -> str:
    return name if folder == "." else f"{folder}/{name}"


def _skip_dir(name: str) -> bool:
    # Virtual environments under other names are found by their pyvenv.cfg
    # once listed; see _is_virtualenv.
    return name in SKIPPED_DIRS or (name.startswith(".") and name not in (".", ".."))


def _excluded(shown: str, include: list[str], exclude: list[str], explicit: bool) -> bool:
    if any(_matches(shown, pattern) for pattern in exclude):
        return True
    if include and not explicit:
        return not any(_matches(shown, pattern) for pattern in include)
    return False


def _matches(path: str, pattern: str) -> bool:
    """Match a glob against a path or any of its parent folders.

    ``**`` spans folders, so ``legacy/**`` excludes everything below legacy.
    """
    if fnmatch.fnmatch(path, pattern):
        return True
    if pattern.endswith("/**"):
        prefix = pattern[:-3]
        return path == prefix or path.startswith(prefix + "/")
    if pattern.startswith("**/"):
        return fnmatch.fnmatch(path, pattern[3:]) or any(
            fnmatch.fnmatch(path[i + 1 :], pattern[3:])
            for i, char in enumerate(path)
            if char == "/"
        )
    return False
