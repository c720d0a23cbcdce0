"""``slacheck diff`` between git revisions: version findings, exit codes, fetch hints."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

DEFINITIONS = """\
apiVersion: slacheck/v1
kind: Service
metadata: {name: api}
spec: {description: An API}
---
apiVersion: slacheck/v1
kind: SLI
metadata: {name: api-availability}
spec:
  service: api
  ratioMetric:
    good: {source: prometheus, query: good}
    total: {source: prometheus, query: total}
---
apiVersion: slacheck/v1
kind: SLO
metadata: {name: api-availability}
spec:
  service: api
  indicatorRef: api-availability
  budgetingMethod: Occurrences
  timeWindow:
    - isRolling: false
      calendar: {period: month, timeZone: UTC}
  objectives:
    - target: 99.95%
"""

SLA = """\
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: api-gold
  version: {version}
spec:
  service: api
  effectiveDate: "2026-01-01"
  commitments:
    - name: uptime
      sloRef: api-availability
      target: {target}
      period: month
      timeZone: UTC
"""


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "HOME": str(repo.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit_sla(repo: Path, *, version: str, target: str, message: str) -> None:
    (repo / "sla.yaml").write_text(SLA.format(version=version, target=target))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    (folder / "definitions.yaml").write_text(DEFINITIONS)
    commit_sla(folder, version="1.0.0", target="99.9%", message="Add the gold SLA")
    return folder


def test_weakening_without_bump_exit_1(repo: Path, cli) -> None:  # noqa: ANN001
    commit_sla(repo, version="1.0.0", target="99.5%", message="Lower the target")
    result = cli("diff", "HEAD~1", "HEAD", cwd=repo)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Comparing HEAD~1 (")
    assert lines[2:] == [
        "SLA api-gold (changed, sla.yaml), version 1.0.0",
        "  weakening      commitment 'uptime': target lowered from 99.9% to 99.5%",
        "",
        "sla.yaml:5:12: SC901 SLA 'api-gold' changes its commitments (commitment "
        "'uptime': target lowered from 99.9% to 99.5%) but metadata.version stays "
        "1.0.0; set it to 2.0.0",
    ]
    assert result.stderr == (
        "1 weakening, 0 unclear, 0 strengthening, 0 neutral changes in 1 document; "
        "1 finding.\n"
    )


def test_weakening_with_major_bump_exit_0(repo: Path, cli) -> None:  # noqa: ANN001
    commit_sla(repo, version="2.0.0", target="99.5%", message="Lower the target")
    result = cli("diff", "HEAD~1", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[2:] == [
        "SLA api-gold (changed, sla.yaml), version 1.0.0 -> 2.0.0",
        "  weakening      commitment 'uptime': target lowered from 99.9% to 99.5%",
        "  neutral        version changed from '1.0.0' to '2.0.0'",
    ]


def test_weakening_with_minor_bump_exit_1(repo: Path, cli) -> None:  # noqa: ANN001
    commit_sla(repo, version="1.1.0", target="99.5%", message="Lower the target")
    result = cli("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 1
    assert '"code": "SC902"' in result.stdout
    assert "is not a new major version; use 2.0.0" in result.stdout


def test_strengthening_with_minor_bump_exit_0(repo: Path, cli) -> None:  # noqa: ANN001
    commit_sla(repo, version="1.1.0", target="99.92%", message="Raise the target")
    result = cli("diff", "HEAD~1", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stdout
    assert (
        "  strengthening  commitment 'uptime': target raised from 99.9% to 99.92%"
        in (result.stdout)
    )


def test_working_tree_is_default_head(repo: Path, cli) -> None:  # noqa: ANN001
    (repo / "sla.yaml").write_text(SLA.format(version="1.0.0", target="99.8%"))
    result = cli("diff", "HEAD", cwd=repo)
    assert result.returncode == 1
    assert "with working tree" in result.stdout.splitlines()[0]
    assert "target lowered from 99.9% to 99.8%" in result.stdout


def test_unknown_revision_exit_2(repo: Path, cli) -> None:  # noqa: ANN001
    result = cli("diff", "no-such-branch", cwd=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "slacheck: error: unknown revision 'no-such-branch'; name a commit, branch or "
        "tag, or an existing folder (for a branch of a remote, run 'git fetch origin "
        "no-such-branch' first)\n"
    )


def test_shallow_clone_names_fetch(repo: Path, tmp_path: Path, cli) -> None:  # noqa: ANN001
    commit_sla(repo, version="2.0.0", target="99.5%", message="Lower the target")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", repo.as_uri(), str(clone))
    result = cli("diff", "HEAD~1", "HEAD", cwd=clone)
    assert result.returncode == 2
    assert result.stderr == (
        "slacheck: error: revision 'HEAD~1' is not in this shallow clone; fetch more "
        "history with 'git fetch --deepen=1' (one more commit per step), or fetch the "
        "revision itself with 'git fetch origin HEAD~1'\n"
    )
    git(clone, "fetch", "-q", "--deepen=1")
    fetched = cli("diff", "HEAD~1", "HEAD", cwd=clone)
    assert fetched.returncode == 0, fetched.stderr
    assert "target lowered from 99.9% to 99.5%" in fetched.stdout


def test_revision_outside_repository(tmp_path: Path, cli) -> None:  # noqa: ANN001
    result = cli("diff", "HEAD~1", "HEAD", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("slacheck: error: 'HEAD~1' is not a folder, and ")
    assert "is not inside a git repository" in result.stderr
