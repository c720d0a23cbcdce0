"""``slacheck evaluate`` reads lint's config and writes lint's report formats."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import REPO, run_cli

SARIF_SCHEMA = json.loads(
    (REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text()
)
MISSED = "snapshots/2026-04-slo-missed.yaml"
EVALUATE = ("evaluate", "--snapshot", MISSED)
POL002 = (
    "snapshots/2026-04-slo-missed.yaml:15:7: POL002 SLO api-availability objective "
    "availability missed its 99.9% target: 99.8% measured, 200% of the error "
    "budget used\n"
)
POL006 = (
    "snapshots/2026-04-slo-missed.yaml:25:7: POL006 KPI mttr-sev1 is off target: "
    "75 minutes against 60 (lowerIsBetter)\n"
)
ORG_POLICY = """\
apiVersion: slacheck/v1
kind: Policy
metadata:
  name: org
spec:
  rules:
    - id: ORG001
      name: slo-budget-half-used
      severity: error
      appliesTo: SLOResult
      description: An SLO uses at most half of its error budget. Stricter than POL002.
      when: has(budget.consumedShare)
      assert: budget.consumedShare <= 0.5
      message: SLO {slo.name} used {budget.consumedShare:percent} of its budget
"""
ORG001 = (
    "snapshots/2026-04-slo-missed.yaml:15:7: ORG001 SLO api-availability used "
    "200% of its budget\n"
    "snapshots/2026-04-slo-missed.yaml:18:7: ORG001 SLO api-latency used 70% of "
    "its budget\n"
)
WAIVERS = """\
waivers:
  - code: POL006
    document: Snapshot/b2b-api-2026-04
    owner: sre
    until: 2099-12-31
    reason: MTTR target under review
  - code: SC206
    document: SLA/b2b-api-standard
    owner: legal
    until: 2099-12-31
    reason: Months are sold
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The example definitions in defs/ and the example snapshots, in a repo."""
    target = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "b2b-api", target / "defs")
    shutil.copytree(REPO / "examples" / "snapshots", target / "snapshots")
    (target / "org").mkdir()
    (target / "org" / "org.yaml").write_text(ORG_POLICY)
    (target / ".git").mkdir()
    return target


def evaluate(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*EVALUATE, *args, "defs/", cwd=repo)


def test_without_config_both_rules_fire(repo: Path) -> None:
    result = evaluate(repo)
    assert result.returncode == 0
    assert result.stdout.endswith("\nFindings:\n" + POL002 + POL006)
    assert result.stderr == "Found 2 warnings in 10 files.\n"


@pytest.mark.parametrize(
    ("config", "args", "findings", "summary", "code"),
    [
        ("ignore: [POL002]\n", (), POL006, "Found 1 warning", 0),
        ("select: [POL006]\n", (), POL006, "Found 1 warning", 0),
        ("ignore: [POL002]\n", ("--ignore", "POL006"), "", "No findings", 0),
        (
            "severity: {POL006: error}\n",
            (),
            POL002 + POL006,
            "Found 1 error and 1 warning",
            1,
        ),
        ("fail-on: warning\n", (), POL002 + POL006, "Found 2 warnings", 1),
        (
            "fail-on: warning\n",
            ("--fail-on", "error"),
            POL002 + POL006,
            "Found 2 warnings",
            0,
        ),
        ("per-path-ignores: {'snapshots/*': [POL]}\n", (), "", "No findings", 0),
        ("default-policies: false\n", (), "", "No findings", 0),
        (
            "default-policies: false\n",
            ("--default-policies",),
            POL002 + POL006,
            "Found 2 warnings",
            0,
        ),
        ("policies: [org]\n", ("--select", "ORG"), ORG001, "Found 2 errors", 1),
    ],
)
def test_config_applies_to_evaluate(
    repo: Path,
    config: str,
    args: tuple[str, ...],
    findings: str,
    summary: str,
    code: int,
) -> None:
    (repo / "slacheck.yaml").write_text(config)
    result = evaluate(repo, *args)
    # SC9 holds the codes of 'slacheck diff', which evaluate never emits, so
    # this run shows the tables alone.
    tables = evaluate(repo, "--no-default-policies", "--select", "SC9")
    expected = tables.stdout + (f"\nFindings:\n{findings}" if findings else "")
    assert result.stdout == expected
    assert result.stderr == f"{summary} in 10 files.\n"
    assert result.returncode == code


def test_explicit_config_file(repo: Path) -> None:
    (repo / "gate.yaml").write_text("ignore: [POL006]\n")
    result = evaluate(repo, "--config", "gate.yaml")
    assert result.stdout.endswith("\nFindings:\n" + POL002)
    assert result.returncode == 0


def test_invalid_config_exits_2(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text("ignroe: [POL002]\n")
    result = evaluate(repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "slacheck: error: slacheck.yaml:1: unknown key 'ignroe' (did you mean "
        "'ignore'?); accepted keys: baseline, default-policies, exclude, fail-on, "
        "ignore, include, min-budget-multiple, min-margin-points, "
        "per-path-ignores, policies, select, severity, waivers\n"
    )


def findings_json(result: subprocess.CompletedProcess[str]) -> list[tuple[Any, ...]]:
    report = json.loads(result.stdout)
    return [
        (f["code"], f["path"], (f.get("suppressed") or {}).get("reason"))
        for f in report["findings"]
    ]


def test_waivers_shared_with_lint(repo: Path) -> None:
    """Each command applies the waivers of its own codes and leaves the rest."""
    by_path = (
        "  - code: POL002\n"
        "    path: snapshots/*\n"
        "    owner: sre\n"
        "    until: 2099-12-31\n"
        "    reason: April was a known outage\n"
    )
    (repo / "slacheck.yaml").write_text(WAIVERS + by_path)
    evaluated = evaluate(repo, "--format", "json")
    assert findings_json(evaluated) == [
        ("POL002", MISSED, "April was a known outage"),
        ("POL006", MISSED, "MTTR target under review"),
    ]
    linted = run_cli("lint", "--format", "json", "--no-cache", "defs/", cwd=repo)
    assert findings_json(linted) == [
        ("SC206", "defs/slas/enterprise.yaml", None),
        ("SC206", "defs/slas/enterprise.yaml", None),
        ("SC206", "defs/slas/standard.yaml", "Months are sold"),
    ]


def test_unused_evaluate_waiver_is_reported(repo: Path) -> None:
    waiver = WAIVERS.replace("POL006", "POL004")
    (repo / "slacheck.yaml").write_text(waiver)
    result = evaluate(repo, "--select", "POL,SC8")
    assert result.stdout.endswith(
        "\nFindings:\n"
        "slacheck.yaml:2:1: SC802 waiver for POL004 on Snapshot "
        "'b2b-api-2026-04' matches no finding; remove it\n" + POL002 + POL006
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_config_from_revision(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = T\n\temail = t@example.com\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    shutil.rmtree(repo / ".git")
    (repo / "slacheck.yaml").write_text("ignore: [POL002]\n")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    (repo / "slacheck.yaml").write_text("ignore: [POL002, POL006]\n")
    assert "Findings:" not in evaluate(repo).stdout

    result = evaluate(repo, "--config-from", "HEAD")
    assert result.stdout.endswith(
        "\nFindings:\n"
        "slacheck.yaml:1:1: SC804 config key 'ignore' differs from HEAD (HEAD: "
        "[POL002]; working tree: [POL002, POL006]); this run uses HEAD's value\n"
        + POL006
    )
    assert result.returncode == 0


def test_sarif_validates(repo: Path) -> None:
    result = evaluate(repo, "--format", "sarif", "--policy", "org")
    assert result.returncode == 1
    log = json.loads(result.stdout)

    for validator in (
        jsonschema.validators.validator_for(SARIF_SCHEMA),
        jsonschema.Draft7Validator,
    ):
        errors = list(validator(SARIF_SCHEMA).iter_errors(log))
        assert errors == []

    run = log["runs"][0]
    assert run["invocations"][0]["properties"] == {
        "command": "evaluate",
        "failOn": "error",
    }
    assert sorted(r["ruleId"] for r in run["results"]) == [
        "ORG001",
        "ORG001",
        "POL002",
        "POL006",
    ]

    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["ORG001"]["name"] == "slo-budget-half-used"
    assert rules["ORG001"]["shortDescription"] == {
        "text": "An SLO uses at most half of its error budget."
    }
    assert rules["ORG001"]["help"]["text"].startswith(
        "ORG001 slo-budget-half-used (default severity: error)\n"
        "Policy 'org', org/org.yaml:7; applies to SLOResult."
    )
    assert rules["ORG001"]["defaultConfiguration"] == {"level": "error"}
    assert rules["POL002"]["name"] == "slo-missed"


def test_github_format_writes_step_summary(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = repo / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = evaluate(repo, "--format", "github")
    assert result.returncode == 0
    assert result.stdout == (
        "::warning file=snapshots/2026-04-slo-missed.yaml,line=15,col=7,title=POL002"
        "::SLO api-availability objective availability missed its 99.9%25 target: "
        "99.8%25 measured, 200%25 of the error budget used\n"
        "::warning file=snapshots/2026-04-slo-missed.yaml,line=25,col=7,title=POL006"
        "::KPI mttr-sev1 is off target: 75 minutes against 60 (lowerIsBetter)\n"
    )
    assert summary.read_text() == (
        "earlier step\n"
        "## slacheck evaluate\n"
        "\n"
        "Found 2 warnings in 10 files.\n"
        "\n"
        "| Severity | Code | Location | Message |\n"
        "|---|---|---|---|\n"
        "| warning | POL002 | `snapshots/2026-04-slo-missed.yaml:15:7` | SLO "
        "api-availability objective availability missed its 99.9% target: 99.8% "
        "measured, 200% of the error budget used |\n"
        "| warning | POL006 | `snapshots/2026-04-slo-missed.yaml:25:7` | KPI "
        "mttr-sev1 is off target: 75 minutes against 60 (lowerIsBetter) |\n"
        "\n"
    )


@pytest.mark.parametrize("fmt", ["junit", "gitlab", "sarif", "json"])
def test_output_file_keeps_text_on_terminal(repo: Path, fmt: str) -> None:
    text = evaluate(repo)
    result = evaluate(repo, "--format", fmt, "--output", "out/report")
    assert result.returncode == 0
    assert result.stdout == text.stdout + "Found 2 warnings in 10 files.\n"
    assert result.stderr == ""
    assert (repo / "out" / "report").read_text() == evaluate(repo, "-f", fmt).stdout


def test_junit_output_names_the_command(repo: Path) -> None:
    root = ET.fromstring(evaluate(repo, "--format", "junit").stdout)
    assert root.get("name") == "slacheck evaluate"
    cases = root.findall("./testsuite[@name='snapshots/2026-04-slo-missed.yaml']/")
    assert [case.get("name") for case in cases] == [
        "POL002 slo-missed",
        "POL006 kpi-off-target",
    ]


def test_text_output_file_gets_the_report(repo: Path) -> None:
    text = evaluate(repo)
    result = evaluate(repo, "--output", "report.txt")
    assert result.stdout == "Found 2 warnings in 10 files.\n"
    assert (repo / "report.txt").read_text() == text.stdout


def test_explain_user_policy_rule(repo: Path) -> None:
    expected = (
        "ORG001 slo-budget-half-used (default severity: error)\n"
        "Policy 'org', org/org.yaml:7; applies to SLOResult.\n"
        "\n"
        "An SLO uses at most half of its error budget. Stricter than POL002.\n"
        "\n"
        "When:    has(budget.consumedShare)\n"
        "Assert:  budget.consumedShare <= 0.5\n"
        "Message: SLO {slo.name} used {budget.consumedShare:percent} of its budget\n"
    )
    by_option = run_cli("explain", "ORG001", "--policy", "org", cwd=repo)
    assert (by_option.stdout, by_option.returncode) == (expected, 0)
    by_name = run_cli("explain", "slo-budget-half-used", "--policy", "org", cwd=repo)
    assert by_name.stdout == expected
    (repo / "slacheck.yaml").write_text("policies: [org]\n")
    by_config = run_cli("explain", "ORG001", cwd=repo)
    assert (by_config.stdout, by_config.returncode) == (expected, 0)
    shipped = run_cli("explain", "POL002", cwd=repo)
    assert shipped.stdout.startswith("POL002 slo-missed (default severity: warning)\n")


def test_explain_without_the_policy_folder(repo: Path) -> None:
    result = run_cli("explain", "ORG001", cwd=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "slacheck: error: unknown code 'ORG001'; 'slacheck rules' lists them, and "
        "policy rules are read from the config's policies and --policy PATH\n"
    )


def test_explain_names_a_broken_policy_file(repo: Path) -> None:
    policy = repo / "org" / "org.yaml"
    policy.write_text(ORG_POLICY.replace("  rules:\n", "  rules: [\n"))
    result = run_cli("explain", "ORG001", "--policy", "org", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.startswith(
        "slacheck: error: unknown code 'ORG001'; 'slacheck rules' lists them, and "
        "policy rules are read from the config's policies and --policy PATH "
        "(policy file org/org.yaml:"
    )


def test_explain_missing_policy_path(repo: Path) -> None:
    result = run_cli("explain", "ORG001", "--policy", "nope", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == "slacheck: error: --policy 'nope' does not exist\n"
