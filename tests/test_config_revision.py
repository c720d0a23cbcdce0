"""``--config-from REV``: judge a change by the gate of its base revision."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, run_cli

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed"
)

POLICY = """\
apiVersion: slacheck/v1
kind: Policy
metadata:
  name: gate
spec:
  rules:
    - id: GATE001
      name: services-are-flagged
      severity: error
      appliesTo: Service
      assert: "false"
      message: every service is flagged by the gate
"""
WAIVER = '# slacheck: waive SC206 owner=legal until=2099-12-31 reason="Months are sold"'


def git(repo: Path, *args: str) -> None:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed definitions repository whose config runs one policy."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = T\n\temail = t@example.com\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    target = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "b2b-api", target)
    (target / "gate").mkdir()
    (target / "gate" / "services.yaml").write_text(POLICY)
    (target / "slacheck.yaml").write_text("policies: [gate]\nignore: [SC206]\n")
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "base")
    return target


def test_weakened_gate_is_judged_by_base(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text("ignore: [SC206, GATE001]\n")
    (repo / "gate" / "services.yaml").unlink()
    assert run_cli("lint", ".", cwd=repo).returncode == 0

    result = run_cli("lint", "--config-from", "HEAD", ".", cwd=repo)
    assert result.returncode == 1
    assert result.stdout == (
        "gate/services.yaml:1:1: SC804 policy file is deleted in the working tree; "
        "this run uses HEAD's copy\n"
        "service.yaml:1:1: GATE001 every service is flagged by the gate\n"
        "slacheck.yaml:1:1: SC804 config key 'ignore' differs from HEAD (HEAD: "
        "[SC206]; "
        "working tree: [SC206, GATE001]); this run uses HEAD's value\n"
        "slacheck.yaml:1:1: SC804 config key 'policies' differs from HEAD (HEAD: "
        "[gate]; "
        "working tree: (none)); this run uses HEAD's value\n"
    )


def test_changed_policy_file_is_reported(repo: Path) -> None:
    policy = repo / "gate" / "services.yaml"
    policy.write_text(POLICY.replace('assert: "false"', 'assert: "true"'))
    assert run_cli("lint", ".", cwd=repo).returncode == 0
    result = run_cli("lint", "--config-from", "HEAD", ".", cwd=repo)
    assert result.returncode == 1
    assert result.stdout == (
        "gate/services.yaml:1:1: SC804 policy file differs from HEAD; this run uses "
        "HEAD's version\n"
        "service.yaml:1:1: GATE001 every service is flagged by the gate\n"
    )


def test_unchanged_gate_reports_nothing_extra(repo: Path) -> None:
    plain = run_cli("lint", ".", cwd=repo)
    from_head = run_cli("lint", "--config-from", "HEAD", ".", cwd=repo)
    assert from_head.returncode == plain.returncode == 1
    assert from_head.stdout == plain.stdout


def test_new_inline_waiver_is_not_applied(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text("policies: [gate]\nfail-on: warning\n")
    git(repo, "commit", "-q", "-am", "fail on warnings")
    sla = repo / "slas" / "standard.yaml"
    sla.write_text(sla.read_text().replace("kind: SLA\n", f"kind: SLA\n{WAIVER}\n", 1))
    result = run_cli(
        "lint", "--config-from", "HEAD", "--select", "SC2,SC8", ".", cwd=repo
    )
    assert result.returncode == 1
    lines = [line.split(" (")[0].split("; ")[0] for line in result.stdout.splitlines()]
    assert lines[-2:] == [
        "slas/standard.yaml:3:1: SC804 inline waiver for SC206 is not in HEAD",
        "slas/standard.yaml:22:15: SC206 commitment 'monthly-uptime' is judged over a "
        "calendar month, UTC but SLO 'api-availability' uses a rolling 28d window",
    ]


def test_committed_inline_waiver_still_applies(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text("policies: [gate]\n")
    sla = repo / "slas" / "standard.yaml"
    sla.write_text(sla.read_text().replace("kind: SLA\n", f"kind: SLA\n{WAIVER}\n", 1))
    git(repo, "commit", "-q", "-am", "waive the month")
    result = run_cli(
        "lint",
        "--config-from",
        "HEAD",
        "--select",
        "SC206,SC8",
        "--format",
        "json",
        ".",
        cwd=repo,
    )
    assert '"code": "SC804"' not in result.stdout
    assert '"reason": "Months are sold"' in result.stdout


def test_config_added_after_base_is_ignored(repo: Path) -> None:
    git(repo, "rm", "-q", "slacheck.yaml")
    git(repo, "commit", "-q", "-m", "no config")
    (repo / "slacheck.yaml").write_text("ignore: [SC2]\n")
    result = run_cli("lint", "--config-from", "HEAD", "--select", "SC8", ".", cwd=repo)
    assert result.stdout == (
        "slacheck.yaml:1:1: SC804 HEAD has no slacheck configuration; this run ignores "
        "slacheck.yaml\n"
    )


def test_config_command_shows_base_and_changes(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text("policies: [gate]\nignore: [SC2]\n")
    result = run_cli("config", "--config-from", "HEAD", cwd=repo)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "# configuration file: HEAD:slacheck.yaml"
    assert "ignore:              [SC206]  # HEAD:slacheck.yaml:2" in result.stdout
    assert result.stdout.splitlines()[-2:] == [
        "# changes in the working tree that this run does not use:",
        "#   slacheck.yaml:2: config key 'ignore' differs from HEAD (HEAD: [SC206]; "
        "working tree: [SC2]); this run uses HEAD's value",
    ]


def test_unknown_revision_exits_2(repo: Path) -> None:
    result = run_cli("lint", "--config-from", "no-such-branch", ".", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == (
        f"slacheck: error: --config-from 'no-such-branch' is not a commit in "
        f"{repo.resolve()}; name a branch, tag or commit such as origin/main (fetch it "
        "first in a shallow clone)\n"
    )


def test_outside_git_exits_2(tmp_path: Path) -> None:
    result = run_cli("lint", "--config-from", "HEAD", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"slacheck: error: --config-from 'HEAD' needs a git repository; {tmp_path} is "
        "not in one\n"
    )
