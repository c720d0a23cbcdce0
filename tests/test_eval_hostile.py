"""Hostile inputs to evaluate and policies: each ends in a finding, never a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO, run_cli

BREACH = REPO / "examples" / "snapshots" / "2026-05-breach.yaml"


def _repo(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "examples" / "b2b-api", tmp_path / "b2b-api")
    return tmp_path


def _snapshot(tmp_path: Path, old: str, new: str) -> str:
    text = BREACH.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "snap.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return "snap.yaml"


def test_period_past_year_9999(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    snap = _snapshot(
        root, 'start: "2026-05-01"\n    end: "2026-06-01"',
        'start: "9999-12-01"\n    end: "9999-12-31"',
    )
    result = run_cli("evaluate", "--snapshot", snap, "b2b-api", cwd=root)
    assert result.returncode in (0, 1)
    assert "internal error" not in result.stderr
    assert "SC711" in result.stdout
    assert "runs past year 9999" in result.stdout


def test_unknown_snapshot_service(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    snap = _snapshot(root, "service: b2b-api", "service: nope")
    result = run_cli("evaluate", "--snapshot", snap, "b2b-api", cwd=root)
    assert result.returncode == 1
    assert "snap.yaml:10:12: SC101 no Service named 'nope' is defined" in result.stdout


def test_binary_file_named_explicitly(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_bytes(b"\x00\x01\xff")
    result = run_cli("lint", "b.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("b.yaml:1:1: SC003 ")


def test_policy_file_without_policy(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / "pol").mkdir()
    (root / "pol" / "p.yaml").write_text("foo: bar\n", encoding="utf-8")
    result = run_cli("lint", "--policy", "pol/p.yaml", "b2b-api", cwd=root)
    assert result.returncode == 1
    assert "pol/p.yaml:1:1: SC717 policy path 'pol/p.yaml' contains no" in result.stdout


def test_policy_folder_without_policy(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / "pol").mkdir()
    result = run_cli("lint", "--policy", "pol", "b2b-api", cwd=root)
    assert result.returncode == 1
    assert "pol:1:1: SC717 " in result.stdout
