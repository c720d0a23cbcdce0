"""Policy rules end to end: loading, positions of problems, lint and evaluate, explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CliRunner


@pytest.fixture(autouse=True, params=["interpreted", "closures"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run every test on both CEL engines; CLI runs inherit the variable."""
    monkeypatch.setenv("SLACHECK_CEL_ENGINE", request.param)
    return str(request.param)


GOOD = "examples/snapshots/2026-03-good.yaml"
ONES = "[" + ",".join(["1"] * 200) + "]"

BROKEN = f"""\
apiVersion: slacheck/v1
kind: Policy
metadata:
  name: broken-rules
spec:
  rules:
    - id: ACME001
      name: syntax-error
      severity: error
      appliesTo: SLAResult
      assert: |
        result.met &&
          (result.attainment >
      message: never shown
    - id: ACME002
      name: missing-field
      severity: error
      appliesTo: SLAResult
      assert: "result.nonexistent > 1"
      message: never shown
    - id: ACME003
      name: divides-by-zero
      severity: error
      appliesTo: SLOResult
      when: objective.name == 'availability'
      assert: budget.ratio / (objective.target - objective.target) > 1.0
      message: never shown
    - id: ACME004
      name: too-slow
      severity: error
      appliesTo: KPIResult
      assert: "{ONES}.all(x, {ONES}.all(y, x * y >= 0))"
      message: never shown
    - id: ACME005
      name: still-works
      severity: info
      appliesTo: SLAResult
      when: commitment.name == 'monthly-uptime'
      assert: result.headroomPoints < 0.3
      message: "{{sla.name}} has {{result.headroomPoints:points}} of headroom"
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_broken_rules_are_findings_and_others_run(
    cli: CliRunner, tmp_path: Path
) -> None:
    policy = write(tmp_path, "broken.yaml", BROKEN)
    result = cli(
        "evaluate",
        "--rule-timeout",
        "0.2",
        "--no-default-policies",
        "--policy",
        policy,
        "--snapshot",
        GOOD,
        "examples/b2b-api/",
    )
    lines = result.stdout.split("Findings:\n", 1)[1].splitlines()
    assert result.returncode == 1
    assert lines == [
        f"{policy}:13:30: SC701 policy rule ACME001 (syntax-error): CEL syntax error: "
        "the expression ends too early",
        f"{policy}:19:16: SC704 policy rule ACME002 (missing-field) failed on SLA commitment "
        "'b2b-api-enterprise/monthly-uptime' in snapshot 'b2b-api-2026-03': missing field: "
        "'nonexistent'; guard it with has()",
        f"{policy}:19:16: SC704 policy rule ACME002 (missing-field) failed on SLA commitment "
        "'b2b-api-enterprise/response-time' in snapshot 'b2b-api-2026-03': missing field: "
        "'nonexistent'; guard it with has()",
        f"{policy}:19:16: SC704 policy rule ACME002 (missing-field) failed on SLA commitment "
        "'b2b-api-standard/monthly-uptime' in snapshot 'b2b-api-2026-03': missing field: "
        "'nonexistent'; guard it with has()",
        f"{policy}:26:15: SC704 policy rule ACME003 (divides-by-zero) failed on SLO "
        "'api-availability/availability' in snapshot 'b2b-api-2026-03': division by zero",
        f"{policy}:32:15: SC703 policy rule ACME004 (too-slow) ran past its time budget of "
        "0.2 s on KPI 'change-failure-rate' in snapshot 'b2b-api-2026-03'; it is skipped "
        "for the rest of the run",
        f"{GOOD}:14:7: ACME005 b2b-api-enterprise has 0.44 points of headroom",
        f"{GOOD}:14:7: ACME005 b2b-api-standard has 0.97 points of headroom",
    ]


@pytest.mark.parametrize(
    ("rule", "line", "column", "code", "message"),
    [
        (
            "      assert: budget.pace >\n",
            11,
            27,
            "SC701",
            "CEL syntax error: the expression ends too early",
        ),
        (
            '      assert: "budget.pace >> 1"\n',
            11,
            29,
            "SC701",
            "CEL syntax error: unexpected '>'",
        ),
        (
            "      assert: >-\n        budget.pace > 1 &&\n        budget.pace >> 2\n",
            13,
            22,
            "SC701",
            "CEL syntax error: unexpected '>'",
        ),
        (
            "      assert: budget.pace > 1\n      when: a.all(x, b.all(y, c.all(z, z)))\n",
            12,
            31,
            "SC702",
            "comprehensions",
        ),
        (
            "      assert: budget.pace > 1\n      message: '{budget.nothing}'\n",
            11,
            17,
            "SC706",
            "invalid message template in policy rule ACME001 (rule): budget has no field "
            "'nothing'",
        ),
        (
            "      assert: budget.pace > 1\n      message: 'pace {budget.pace:bogus}'\n",
            11,
            22,
            "SC706",
            "invalid message template in policy rule ACME001 (rule): unknown format",
        ),
    ],
)
def test_problem_positions(
    cli: CliRunner,
    tmp_path: Path,
    rule: str,
    line: int,
    column: int,
    code: str,
    message: str,
) -> None:
    head = (
        "apiVersion: slacheck/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  rules:\n"
        "    - id: ACME001\n      name: rule\n      severity: warning\n"
        "      appliesTo: SLOResult\n      message: m\n"
    )
    text = head + rule
    if "message:" in rule:
        text = text.replace("      message: m\n", "")
    policy = write(tmp_path, "p.yaml", text)
    result = cli(
        "evaluate",
        "--format",
        "json",
        "--no-default-policies",
        "--policy",
        policy,
        "--snapshot",
        GOOD,
        "examples/b2b-api/",
    )
    findings = [f for f in json.loads(result.stdout)["findings"] if f["code"] == code]
    assert len(findings) == 1
    assert (findings[0]["line"], findings[0]["column"]) == (line, column)
    assert message in findings[0]["message"]


ORG = """\
apiVersion: slacheck/v1
kind: Policy
metadata: {name: acme}
spec:
  rules:
    - id: ACME101
      name: enterprise-cap
      severity: error
      appliesTo: SLA
      when: "'enterprise' in sla.tiers"
      assert: sla.commitments.all(c, !has(c.target) || c.target <= 0.9995)
      message: SLA {sla.name} promises more than 99.95%
    - id: ACME102
      name: budget-multiple
      severity: warning
      appliesTo: SLA
      assert: sla.commitments.all(c, !has(c.budgetMultiple) || c.budgetMultiple >= 6)
      message: SLA {sla.name} keeps less than 6x its SLO's error budget
    - id: ACME103
      name: slo-below-sla
      severity: error
      appliesTo: SLA
      assert: sla.commitments.all(c, !has(c.slo) || c.target < c.slo.target)
      message: SLA {sla.name} is not looser than its SLO
"""


def test_lint_applies_definition_rules(cli: CliRunner, tmp_path: Path) -> None:
    policy = write(tmp_path, "org.yaml", ORG)
    result = cli("lint", "--policy", policy, "--select", "ACME", "examples/b2b-api/")
    assert result.returncode == 0
    assert result.stdout == (
        "examples/b2b-api/slas/enterprise.yaml:1:1: ACME102 SLA b2b-api-enterprise keeps "
        "less than 6x its SLO's error budget\n"
    )


def test_lint_ignores_policy_rule(cli: CliRunner, tmp_path: Path) -> None:
    policy = write(tmp_path, "org.yaml", ORG)
    result = cli(
        "lint",
        "--policy",
        policy,
        "--ignore",
        "ACME102",
        "--ignore",
        "SC206",
        "examples/b2b-api/",
    )
    assert result.stdout == ""


def test_lint_reports_enterprise_cap(cli: CliRunner, tmp_path: Path) -> None:
    policy = write(tmp_path, "org.yaml", ORG.replace("0.9995", "0.99"))
    result = cli("lint", "--policy", policy, "--select", "ACME101", "examples/b2b-api/")
    assert result.returncode == 1
    assert result.stdout == (
        "examples/b2b-api/slas/enterprise.yaml:1:1: ACME101 SLA b2b-api-enterprise promises "
        "more than 99.95%\n"
    )


@pytest.mark.parametrize("rule_id", ["SC201", "SC999"])
def test_id_colliding_with_built_in_code(
    cli: CliRunner, tmp_path: Path, rule_id: str
) -> None:
    policy = write(tmp_path, "org.yaml", ORG.replace("ACME101", rule_id))
    result = cli("lint", "--policy", policy, "--select", "SC705", "examples/b2b-api/")
    assert result.returncode == 1
    assert result.stdout.startswith(
        f"{policy}:6:11: SC705 policy rule id '{rule_id}' collides"
    )


def test_duplicate_rule_ids(cli: CliRunner, tmp_path: Path) -> None:
    policy = write(tmp_path, "org.yaml", ORG.replace("ACME102", "ACME101"))
    result = cli("lint", "--policy", policy, "--select", "SC705", "examples/b2b-api/")
    assert result.stdout == (
        f"{policy}:13:11: SC705 policy rule id 'ACME101' is already used by rule "
        f"'enterprise-cap' ({policy}:6); ids must be unique\n"
    )


def test_policy_schema_error(cli: CliRunner, tmp_path: Path) -> None:
    policy = write(
        tmp_path, "org.yaml", ORG.replace("appliesTo: SLA\n", "appliesTo: SLX\n", 1)
    )
    result = cli("lint", "--policy", policy, "--select", "SC010", "examples/b2b-api/")
    assert result.returncode == 1
    assert result.stdout.startswith(f"{policy}:9:18: SC010 ")


def test_explain_policy_rule(cli: CliRunner) -> None:
    by_id = cli("explain", "POL004")
    by_name = cli("explain", "sla-credit-owed")
    assert by_id.returncode == 0
    assert by_id.stdout.startswith(
        "POL004 sla-credit-owed (default severity: warning)\n"
        "Policy 'slacheck-defaults', policies/defaults.yaml:"
    )
    assert "Assert:  !has(result.credit) || result.credit == 0\n" in by_id.stdout
    assert by_name.stdout == by_id.stdout


def test_explain_policy_code(cli: CliRunner) -> None:
    result = cli("explain", "SC703")
    assert result.returncode == 0
    assert result.stdout.startswith("SC703 policy-timeout (default severity: error)\n")


def test_select_policy_rule_in_evaluate(cli: CliRunner) -> None:
    result = cli(
        "evaluate",
        "--format",
        "json",
        "--select",
        "POL004",
        "--snapshot",
        "examples/snapshots/2026-05-breach.yaml",
        "examples/b2b-api/",
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert [f["code"] for f in report["findings"]] == ["POL004", "POL004"]
