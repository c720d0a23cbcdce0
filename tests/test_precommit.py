"""The pre-commit hook, run by the real pre-commit on real commits.

A throwaway git repository contains a copy of this source tree, as a team's
``.pre-commit-config.yaml`` would point at slacheck's repository. pre-commit
builds the hook's own virtualenv from it (pip may fetch the dependencies
from the package index), then guards commits in a second repository of
definitions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed"
)

PROJECT = Path(__file__).resolve().parents[1]
# What pip needs to build the package, and the hook definition itself.
SOURCE_ITEMS = (
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
    "slacheck",
    "schemas",
    "policies",
)


def git(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def commit(
    repo: Path, message: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    added = git(repo, "add", "-A", env=env)
    assert added.returncode == 0, added.stderr
    return git(repo, "commit", "-m", message, env=env)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment that isolates git and pre-commit from the user's own."""
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Hook Test\n\temail = hook@example.com\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )
    values = {
        k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))
    }
    values.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(home / "pre-commit"),
        PIP_NO_INPUT="1",
    )
    return values


@pytest.fixture(scope="module")
def hook_repo(
    tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]
) -> tuple[Path, str]:
    """Commit a copy of this source tree; return its path and commit."""
    target = tmp_path_factory.mktemp("slacheck-source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_data")
    for item in SOURCE_ITEMS:
        source = PROJECT / item
        assert source.exists(), f"{item} is missing from the source tree"
        if source.is_dir():
            shutil.copytree(source, target / item, ignore=ignore)
        else:
            shutil.copy2(source, target / item)
    assert git(target, "init", "-q", env=env).returncode == 0
    done = commit(target, "snapshot", env=env)
    assert done.returncode == 0, done.stderr
    head = git(target, "rev-parse", "HEAD", env=env).stdout.strip()
    return target, head


@pytest.fixture
def definitions(
    tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str]
) -> Path:
    """A definitions repository that uses the hook through a plain repos: entry."""
    repo = tmp_path / "definitions"
    shutil.copytree(PROJECT / "examples" / "b2b-api", repo)
    source, head = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source.as_posix()}\n    rev: {head}\n"
        "    hooks:\n      - id: slacheck\n"
    )
    assert git(repo, "init", "-q", env=env).returncode == 0
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return repo


def log_count(repo: Path, env: dict[str, str]) -> int:
    listed = git(repo, "rev-list", "--count", "HEAD", env=env)
    return int(listed.stdout.strip()) if listed.returncode == 0 else 0


def test_hook_passes_good_commits_and_stops_bad_one(
    definitions: Path, env: dict[str, str]
) -> None:
    first = commit(definitions, "add definitions", env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "slacheck lint" in first.stdout + first.stderr
    assert log_count(definitions, env) == 1

    # A change to one SLA: its SLO, SLI and service live in files the hook
    # is not given, so this passes only if the hook loads them for context.
    # The Helm-style template is YAML that is not a definition: skipped.
    sla = definitions / "slas" / "enterprise.yaml"
    text = sla.read_text()
    sla.write_text(
        text.replace("description: Service level agreement", "description: The SLA", 1)
    )
    templates = definitions / "charts" / "templates"
    templates.mkdir(parents=True)
    (templates / "deployment.yaml").write_text("replicas: {{ .Values.replicas }\n")
    second = commit(definitions, "reword the enterprise SLA", env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout + second.stderr
    assert log_count(definitions, env) == 2

    broken = sla.read_text().replace(
        "sloRef: api-availability", "sloRef: api-availabilty"
    )
    assert broken != sla.read_text(), "the example SLA no longer names api-availability"
    sla.write_text(broken)
    third = commit(definitions, "point at a misspelt SLO", env)
    output = third.stdout + third.stderr
    assert third.returncode != 0, output
    assert "Failed" in output
    assert "slas/enterprise.yaml" in output
    assert "SC101" in output
    assert log_count(definitions, env) == 2
