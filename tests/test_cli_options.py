"""Options that must not silently do nothing: --select, --ignore, --policy and
--changed-only with a folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

EXAMPLE = "examples/b2b-api/"
SNAPSHOT = "examples/snapshots/2026-03-good.yaml"
CODES_HINT = "('slacheck rules' lists every code)"
POLICY_HINT = (
    "('slacheck rules' lists every code; 'slacheck explain ID' shows a policy rule)"
)

ACME_POLICY = """\
apiVersion: slacheck/v1
kind: Policy
metadata:
  name: acme-standards
spec:
  rules:
    - id: ACME001
      name: enterprise-cap
      severity: error
      appliesTo: SLA
      assert: sla.commitments.all(c, !has(c.target) || c.target <= 0.9995)
      message: SLA {sla.name} promises more than 99.95%
"""

UNKNOWN_CODES = [
    pytest.param(
        ["--select", "SC999"],
        "--select 'SC999' matches no slacheck code; did you mean SC901, SC902 or "
        f"SC903? {CODES_HINT}",
        id="unknown-code",
    ),
    pytest.param(
        ["--select", "SC9X"],
        f"--select 'SC9X' matches no slacheck code; did you mean SC90? {CODES_HINT}",
        id="prefix-with-letter",
    ),
    pytest.param(
        ["--select", "SC2O1"],
        f"--select 'SC2O1' matches no slacheck code; did you mean SC201? {CODES_HINT}",
        id="letter-o-for-zero",
    ),
    pytest.param(
        ["--ignore", "sc206,SC2O6"],
        f"--ignore 'SC2O6' matches no slacheck code; did you mean SC206? {CODES_HINT}",
        id="second-of-a-list",
    ),
    pytest.param(
        ["--select", "ACME001"],
        "--select 'ACME001' matches no slacheck code and no rule of the policies "
        f"this run reads {POLICY_HINT}",
        id="unknown-policy-rule",
    ),
    pytest.param(
        ["--ignore", "POL0O1"],
        "--ignore 'POL0O1' matches no slacheck code and no rule of the policies "
        f"this run reads; did you mean POL001? {POLICY_HINT}",
        id="misspelt-policy-rule",
    ),
]


@pytest.mark.parametrize(("options", "message"), UNKNOWN_CODES)
def test_lint_rejects_unmatched_pattern(options: list[str], message: str) -> None:
    result = run_cli("lint", "--no-cache", *options, EXAMPLE)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"slacheck: error: {message}\n"


@pytest.mark.parametrize(("options", "message"), [UNKNOWN_CODES[0], UNKNOWN_CODES[4]])
def test_evaluate_rejects_unmatched_pattern(options: list[str], message: str) -> None:
    result = run_cli("evaluate", EXAMPLE, "--snapshot", SNAPSHOT, *options)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"slacheck: error: {message}\n"


THREE_WARNINGS = "Found 3 warnings in 9 files.\n"
NOTHING = "No findings in 9 files.\n"


@pytest.mark.parametrize(
    ("options", "summary"),
    [
        (["--select", "SC"], THREE_WARNINGS),
        (["--select", "SC2"], THREE_WARNINGS),
        (["--select", "SC206"], THREE_WARNINGS),
        (["--select", "SC9"], NOTHING),
        (["--ignore", "SC1,SC3"], THREE_WARNINGS),
        (["--select", "POL"], NOTHING),
        (["--ignore", "POL001"], THREE_WARNINGS),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_lint_accepts_patterns_that_match(options: list[str], summary: str) -> None:
    result = run_cli("lint", "--no-cache", *options, EXAMPLE)
    assert result.returncode == 0
    assert result.stderr == summary


def test_select_prefix_keeps_its_codes() -> None:
    result = run_cli("lint", "--no-cache", "--select", "SC20", EXAMPLE)
    assert result.returncode == 0
    assert [line.split(" ")[1] for line in result.stdout.splitlines()] == [
        "SC206",
        "SC206",
        "SC206",
    ]
    assert result.stderr == "Found 3 warnings in 9 files.\n"


def test_policy_rule_id_from_policy_option(tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text(ACME_POLICY, encoding="utf-8")
    result = run_cli(
        "lint", "--no-cache", "--policy", str(tmp_path), "--select", "ACME0", EXAMPLE
    )
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "No findings in 9 files.\n"


def test_policy_rule_not_checked_when_policies_are_broken(tmp_path: Path) -> None:
    # A rule in a policy file with problems cannot be listed, so any id may be meant.
    broken = ACME_POLICY.replace("  rules:", "  bogus: 1\n  rules:")
    (tmp_path / "acme.yaml").write_text(broken, encoding="utf-8")
    result = run_cli(
        "lint", "--no-cache", "--policy", str(tmp_path), "--select", "ACME001", EXAMPLE
    )
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "No findings in 9 files.\n"


def test_no_default_policies_leaves_pol_unknown() -> None:
    result = run_cli(
        "evaluate",
        EXAMPLE,
        "--snapshot",
        SNAPSHOT,
        "--no-default-policies",
        "--select",
        "POL001",
    )
    assert result.returncode == 2
    assert result.stderr == (
        "slacheck: error: --select 'POL001' matches no slacheck code and no rule "
        f"of the policies this run reads {POLICY_HINT}\n"
    )


@pytest.mark.parametrize("command", ["lint", "evaluate"])
def test_missing_policy_path(command: str) -> None:
    extra = ["--snapshot", SNAPSHOT] if command == "evaluate" else ["--no-cache"]
    result = run_cli(command, *extra, "--policy", "no/such/policies", EXAMPLE)
    assert result.returncode == 2
    assert result.stdout == ""
    message = "--policy 'no/such/policies' does not exist"
    assert result.stderr == f"slacheck: error: {message}\n"


# -- --changed-only with folders ----------------------------------------------

ONE_ERROR = "Found 1 error in 9 files.\n"
INVALID_FIELD = (
    "slas/standard.yaml:65:1: SC010 unknown field 'bogus' in $; allowed fields: "
    "apiVersion, kind, metadata, spec\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The example repository in a git checkout, with one invalid SLA."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / EXAMPLE, root)
    (root / ".git").mkdir()
    standard = root / "slas" / "standard.yaml"
    standard.write_text(standard.read_text(encoding="utf-8") + "bogus: 1\n", "utf-8")
    return root


CHANGED = [
    pytest.param(["slas"], INVALID_FIELD, ONE_ERROR, 1, id="folder"),
    pytest.param(["slas/"], INVALID_FIELD, ONE_ERROR, 1, id="folder-slash"),
    pytest.param(["."], INVALID_FIELD, ONE_ERROR, 1, id="root"),
    pytest.param(["slos"], "", NOTHING, 0, id="other-folder"),
    pytest.param(
        ["slos", "slas/standard.yaml"],
        INVALID_FIELD,
        ONE_ERROR,
        1,
        id="folder-and-file",
    ),
    pytest.param(["slas/enterprise.yaml"], "", NOTHING, 0, id="other-file"),
]


@pytest.mark.parametrize(("paths", "stdout", "stderr", "code"), CHANGED)
def test_changed_only_reports_files_below_folders(
    repo: Path, paths: list[str], stdout: str, stderr: str, code: int
) -> None:
    result = run_cli(
        "lint", "--no-cache", "--ignore", "SC206", "--changed-only", *paths, cwd=repo
    )
    assert result.stdout == stdout
    assert result.stderr == stderr
    assert result.returncode == code


def test_changed_only_folder_from_below_the_root(repo: Path) -> None:
    # References resolve against the whole checkout, not only the named folder.
    result = run_cli(
        "lint",
        "--no-cache",
        "--ignore",
        "SC206",
        "--changed-only",
        ".",
        cwd=repo / "slas",
    )
    assert result.stdout == INVALID_FIELD.removeprefix("slas/")
    assert result.stderr == ONE_ERROR
    assert result.returncode == 1
