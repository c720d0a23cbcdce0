"""Baselines: record today's findings, report only new ones later."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

STANDARD = "slas/standard.yaml"
BASELINE = ".slacheck-baseline.json"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "b2b-api", target)
    return target


def edit(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text()
    assert old in text, f"{path} no longer contains {old!r}"
    file.write_text(text.replace(old, new, 1))


def test_write_baseline_records_findings(repo: Path) -> None:
    written = run_cli("lint", "--baseline", BASELINE, "--write-baseline", ".", cwd=repo)
    assert written.returncode == 0
    assert written.stdout == f"Recorded 3 findings in baseline {BASELINE}.\n"
    data = json.loads((repo / BASELINE).read_text())
    assert data["version"] == 1
    entries = [
        (e["path"], e["kind"], e["name"], e["code"], e["key"]) for e in data["findings"]
    ]
    assert entries == [
        (
            "slas/enterprise.yaml",
            "SLA",
            "b2b-api-enterprise",
            "SC206",
            "monthly-uptime",
        ),
        ("slas/enterprise.yaml", "SLA", "b2b-api-enterprise", "SC206", "response-time"),
        ("slas/standard.yaml", "SLA", "b2b-api-standard", "SC206", "monthly-uptime"),
    ]


def test_baseline_hides_recorded_findings(repo: Path) -> None:
    run_cli("lint", "--baseline", BASELINE, "--write-baseline", ".", cwd=repo)
    later = run_cli(
        "lint", "--fail-on", "warning", "--baseline", BASELINE, ".", cwd=repo
    )
    assert later.returncode == 0
    assert later.stdout == ""
    assert later.stderr == "No findings in 9 files. (3 suppressed)\n"


def test_baseline_survives_moved_lines(repo: Path) -> None:
    run_cli("lint", "--baseline", BASELINE, "--write-baseline", ".", cwd=repo)
    edit(
        repo,
        STANDARD,
        "apiVersion: slacheck/v1\n",
        "# Standard plan\n\napiVersion: slacheck/v1\n",
    )
    later = run_cli(
        "lint", "--fail-on", "warning", "--baseline", BASELINE, ".", cwd=repo
    )
    assert later.returncode == 0
    assert later.stdout == ""


def test_baseline_reports_new_findings(repo: Path) -> None:
    run_cli("lint", "--baseline", BASELINE, "--write-baseline", ".", cwd=repo)
    edit(repo, STANDARD, "      target: 99%\n", "      target: 99.9%\n")
    later = run_cli("lint", "--baseline", BASELINE, "--format", "json", ".", cwd=repo)
    assert later.returncode == 1
    findings = json.loads(later.stdout)["findings"]
    new = sorted({f["code"] for f in findings if "suppressed" not in f})
    assert "SC201" in new
    assert "SC206" not in new
    kinds = {f["suppressed"]["kind"] for f in findings if "suppressed" in f}
    assert kinds == {"baseline"}


def test_baseline_counts_each_entry_once(repo: Path) -> None:
    run_cli("lint", "--baseline", BASELINE, "--write-baseline", ".", cwd=repo)
    data = json.loads((repo / BASELINE).read_text())
    data["findings"] = data["findings"][:1] + data["findings"][2:]
    (repo / BASELINE).write_text(json.dumps(data))
    later = run_cli(
        "lint", "--fail-on", "warning", "--baseline", BASELINE, ".", cwd=repo
    )
    assert later.returncode == 1
    assert later.stdout.startswith("slas/enterprise.yaml:29:15: SC206 ")
    assert later.stderr == "Found 1 warning in 9 files. (2 suppressed)\n"


def test_stale_entries_are_reported(repo: Path) -> None:
    run_cli("lint", "--baseline", BASELINE, "--write-baseline", ".", cwd=repo)
    data = json.loads((repo / BASELINE).read_text())
    extra = dict(data["findings"][0], key="retired-commitment")
    data["findings"].append(extra)
    (repo / BASELINE).write_text(json.dumps(data))
    later = run_cli("lint", "--baseline", BASELINE, ".", cwd=repo)
    assert later.returncode == 0
    assert later.stdout == (
        f"{BASELINE}:1:1: SC805 1 baseline entry matches no finding any more; "
        "record the baseline again with --write-baseline\n"
    )


def test_baseline_from_config(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text(f"baseline: {BASELINE}\n")
    written = run_cli("lint", "--write-baseline", ".", cwd=repo)
    assert written.returncode == 0
    later = run_cli("lint", "--fail-on", "warning", ".", cwd=repo)
    assert later.returncode == 0
    assert later.stderr == "No findings in 9 files. (3 suppressed)\n"


BAD_BASELINES = [
    pytest.param(
        None,
        f"slacheck: error: baseline '{BASELINE}' does not exist; record one "
        "with --write-baseline\n",
        id="missing",
    ),
    pytest.param(
        "{",
        f"slacheck: error: {BASELINE}:1: baseline is not valid JSON "
        "(Expecting property name enclosed in double quotes); record it again "
        "with --write-baseline\n",
        id="not-json",
    ),
    pytest.param(
        '{"version": 7}',
        f"slacheck: error: {BASELINE}: not a slacheck baseline "
        "of format version 1; record it again with --write-baseline\n",
        id="wrong-version",
    ),
    pytest.param(
        '{"version": 1, "findings": [{"path": 1}]}',
        f"slacheck: error: {BASELINE}: findings[0] needs the text fields path, "
        "kind, name, code, key\n",
        id="bad-entry",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_BASELINES)
def test_unusable_baseline_exits_2(
    repo: Path, content: str | None, message: str
) -> None:
    if content is not None:
        (repo / BASELINE).write_text(content)
    result = run_cli("lint", "--baseline", BASELINE, ".", cwd=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_write_baseline_needs_a_file(repo: Path) -> None:
    result = run_cli("lint", "--write-baseline", ".", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == (
        "slacheck: error: --write-baseline needs --baseline FILE or a baseline key "
        "in the config\n"
    )


def test_write_baseline_refuses_changed_only(repo: Path) -> None:
    result = run_cli(
        "lint",
        "--changed-only",
        "--baseline",
        BASELINE,
        "--write-baseline",
        STANDARD,
        cwd=repo,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "slacheck: error: --write-baseline records every file; drop --changed-only\n"
    )
