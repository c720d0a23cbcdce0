"""A cache folder committed by someone else cannot change what lint reports."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from slacheck import __version__, cache
from slacheck.discovery import Candidate
from slacheck.lint import check_file


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "mistakes" / "duplicate-key", root)
    return root


def _forge(root: Path, path: str, key: str | None) -> None:
    """Write the entry someone could name without the user's key."""
    raw = (root / path).read_bytes()
    digest = hashlib.sha256()
    secret = "" if key is None else f"{key}\0"
    header = (
        f"{cache.FORMAT}\0{__version__}\0{cache.schema_fingerprint()}\0{secret}"
        f"{path}\0False\0"
    )
    digest.update(header.encode())
    digest.update(raw)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        entry = cache.encode(check_file(Candidate(path, False)))
    finally:
        os.chdir(cwd)
    assert entry is not None
    entry["findings"] = []
    cache.FileCache(root / ".slacheck_cache").put(digest.hexdigest(), entry)


def test_forged_entries_are_not_used(repo: Path) -> None:
    honest = run_cli("lint", "--no-cache", ".", cwd=repo)
    assert honest.returncode == 1
    assert "SC002" in honest.stdout
    for path in repo.rglob("*.yaml"):
        # Names as slacheck gave them before it had a key, and with a guess.
        for key in (None, "None", "0" * 64):
            _forge(repo, path.relative_to(repo).as_posix(), key)
    cached = run_cli("lint", ".", cwd=repo)
    assert (cached.returncode, cached.stdout) == (honest.returncode, honest.stdout)


def test_key_is_private_and_stable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.user_key.cache_clear()
    try:
        key = cache.user_key()
        path = tmp_path / "slacheck" / cache.KEY_FILE
        assert key is not None and len(key) == 64
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        cache.user_key.cache_clear()
        assert cache.user_key() == key
    finally:
        cache.user_key.cache_clear()


@pytest.mark.parametrize("problem", ["others-may-write", "not-a-key", "unwritable"])
def test_cache_is_off_without_a_trusted_key(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    home = tmp_path / "home"
    folder = home / "slacheck"
    if problem == "unwritable":
        home.write_text("a file where the cache folder should be\n")
    else:
        folder.mkdir(parents=True)
        key = folder / cache.KEY_FILE
        key.write_text("0" * 64 if problem == "others-may-write" else "hello\n")
        key.chmod(0o666 if problem == "others-may-write" else 0o600)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    honest = run_cli("lint", "--no-cache", ".", cwd=repo)
    result = run_cli("lint", ".", cwd=repo)
    assert (result.returncode, result.stdout) == (honest.returncode, honest.stdout)
    assert not (repo / ".slacheck_cache").exists()
