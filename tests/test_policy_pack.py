"""The shipped policy pack and `slacheck test`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, CliRunner

from slacheck.policies import load_policy_set
from slacheck.policies.testing import run_tests


@pytest.fixture(autouse=True, params=["interpreted", "closures"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run every test on both CEL engines; CLI runs inherit the variable."""
    monkeypatch.setenv("SLACHECK_CEL_ENGINE", request.param)
    return str(request.param)


def test_shipped_pack_tests_pass(cli: CliRunner) -> None:
    result = cli("test", "policies/")
    assert result.returncode == 0, result.stdout
    assert "FAIL" not in result.stdout
    assert result.stdout.splitlines()[-1].endswith("failed (7 rules, 1 test files)")


def test_every_shipped_rule_fires_and_stays_silent() -> None:
    run = run_tests(str(REPO / "policies"), 1.0)
    rules = {rule.id for rule in load_policy_set([], use_default=True).rules}
    assert len(rules) == 7
    assert rules <= run.fired
    assert rules <= run.silent
    assert run.findings == []


def test_shipped_rules_are_result_rules() -> None:
    # Lint must not import cel-python for the default pack.
    assert all(r.for_results for r in load_policy_set([], use_default=True).rules)


POLICY = """\
apiVersion: slacheck/v1
kind: Policy
metadata: {name: acme}
spec:
  rules:
    - id: ACME001
      name: headroom
      severity: warning
      appliesTo: SLAResult
      when: result.judged
      assert: result.headroomPoints >= 0.2
      message: low headroom
"""

CASES = """\
tests:
  - name: low headroom fires
    variables:
      result: {judged: true, headroomPoints: 0.1}
    fire: [ACME001]
  - name: wrong expectation
    variables:
      result: {judged: true, headroomPoints: 0.5}
    fire: [ACME001]
  - name: unknown rule
    variables:
      result: {judged: true}
    silent: [ACME999]
  - name: unknown field
    variables:
      result: {judged: true, headroom: 0.5}
    silent: [ACME001]
  - name: field missing for the rule
    variables:
      result: {judged: true}
    silent: [ACME001]
"""


def test_failing_cases_are_reported(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "acme.test.yaml").write_text(CASES, encoding="utf-8")
    result = cli("test", str(tmp_path), cwd=tmp_path)
    path = "acme.test.yaml"  # shown relative to the working folder
    assert result.returncode == 1
    assert result.stdout == (
        f"{path}:2: PASS low headroom fires\n"
        f"{path}:6: FAIL wrong expectation\n"
        "    ACME001 was expected to fire but stayed silent\n"
        f"{path}:10: FAIL unknown rule\n"
        "    rule 'ACME999' does not exist in the policies under test\n"
        f"{path}:14: FAIL unknown field\n"
        "    variables do not fit SLAResult rules: result has no field 'headroom'\n"
        f"{path}:18: FAIL field missing for the rule\n"
        "    policy rule ACME001 (headroom) failed on the test variables: missing field: "
        "'headroomPoints'; guard it with has()\n"
        "1 passed, 4 failed (1 rules, 1 test files)\n"
        "rules with no passing case that stays silent: ACME001\n"
    )


def test_no_tests_is_a_failure(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text(POLICY, encoding="utf-8")
    result = cli("test", str(tmp_path))
    assert result.returncode == 1
    assert "no policy tests ran" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [(["nowhere"], "slacheck: error: path 'nowhere' does not exist\n")],
)
def test_usage_error(cli: CliRunner, args: list[str], message: str) -> None:
    result = cli("test", *args)
    assert result.returncode == 2
    assert result.stderr == message


def test_broken_policy_fails_the_run(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_text(
        POLICY.replace(">= 0.2", ">="), encoding="utf-8"
    )
    (tmp_path / "acme.test.yaml").write_text(
        CASES.split("  - name: wrong")[0], encoding="utf-8"
    )
    result = cli("test", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "acme.yaml:11:37: SC701 policy rule ACME001 (headroom): CEL syntax error"
    )
