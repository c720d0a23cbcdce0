"""SARIF output: valid against the official schema, stable fingerprints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import REPO, run_cli

import slacheck.cli  # noqa: F401  (command modules register their codes on import)
import slacheck.lint  # noqa: F401  (registers SC012)
from slacheck.rules.base import all_rules

SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
MISTAKES = sorted(
    p.name for p in (REPO / "examples" / "mistakes").iterdir() if p.is_dir()
)
WAIVE_206 = (
    '# slacheck: waive SC206 owner=legal until=2099-12-31 reason="Months are sold"'
)


def validate(log: dict[str, Any]) -> None:
    # The file declares draft-04; draft-07 reads it the same way.
    for validator in (
        jsonschema.validators.validator_for(SCHEMA),
        jsonschema.Draft7Validator,
    ):
        errors = sorted(validator(SCHEMA).iter_errors(log), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def sarif(*args: str, cwd: Path = REPO) -> dict[str, Any]:
    result = run_cli("lint", "--format", "sarif", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    log: dict[str, Any] = json.loads(result.stdout)
    return log


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "b2b-api", target)
    (target / ".git").mkdir()
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))


def test_schema_copy_is_sarif_2_1_0() -> None:
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


@pytest.mark.parametrize("name", MISTAKES)
def test_mistake_repository_validates(name: str) -> None:
    log = sarif(f"examples/mistakes/{name}")
    validate(log)
    assert log["runs"][0]["results"], f"{name} produced no results"


def test_all_mistakes_together_validate() -> None:
    log = sarif("examples/mistakes/")
    validate(log)
    results = log["runs"][0]["results"]
    prints = [r["partialFingerprints"]["slacheckFinding/v1"] for r in results]
    assert len(prints) == len(set(prints))


def test_rules_carry_documentation() -> None:
    driver = sarif("examples/b2b-api/")["runs"][0]["tool"]["driver"]
    assert driver["name"] == "slacheck"
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    listed = json.loads(run_cli("rules", "--format", "json").stdout)
    assert {entry["code"] for entry in listed} <= set(by_id)
    registry = {r.code: r for r in all_rules()}
    for code, rule in by_id.items():
        registered = registry[code]
        assert rule["name"] == registered.name
        assert rule["shortDescription"]["text"] == registered.summary
        assert rule["help"]["text"] == registered.doc
        assert rule["fullDescription"]["text"]
        level = {"error": "error", "warning": "warning", "info": "note"}[
            str(registered.severity)
        ]
        assert rule["defaultConfiguration"]["level"] == level


def test_results_point_at_repository_files(repo: Path) -> None:
    log = sarif("..", cwd=repo / "slas")
    validate(log)
    run = log["runs"][0]
    assert (
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    )
    result = run["results"][0]
    assert result["ruleId"] == "SC206"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "SC206"
    assert result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "slas/enterprise.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 21, "startColumn": 15},
    }
    logical = result["locations"][0]["logicalLocations"][0]
    assert logical["fullyQualifiedName"] == (
        "SLA/b2b-api-enterprise.spec.commitments[0].period"
    )


def fingerprints(log: dict[str, Any]) -> dict[str, int]:
    return {
        r["partialFingerprints"]["slacheckFinding/v1"]: r["locations"][0][
            "physicalLocation"
        ]["region"]["startLine"]
        for r in log["runs"][0]["results"]
    }


def test_fingerprints_survive_unrelated_edits(repo: Path) -> None:
    standard = repo / "slas" / "standard.yaml"
    edit(standard, "      target: 99%\n", "      target: 99.9%\n")
    before = fingerprints(sarif(".", cwd=repo))
    assert len(before) >= 4

    edit(
        standard,
        "apiVersion: slacheck/v1\n",
        "# Standard plan\n# reviewed\napiVersion: slacheck/v1\n",
    )
    edit(
        standard,
        "Service level agreement in the Standard",
        "The service level agreement in the Standard",
    )
    enterprise = repo / "slas" / "enterprise.yaml"
    edit(
        enterprise,
        "  owner: legal-commercial\n",
        "  owner: legal-commercial\n  # moved\n",
    )
    after = fingerprints(sarif(".", cwd=repo))

    assert set(after) == set(before)
    assert all(after[key] > before[key] for key in before)


def test_fingerprint_changes_with_the_offending_value(repo: Path) -> None:
    standard = repo / "slas" / "standard.yaml"
    edit(standard, "      target: 99%\n", "      target: 99.9%\n")
    before = set(fingerprints(sarif("--select", "SC201", ".", cwd=repo)))
    edit(standard, "sloRef: api-availability", "sloRef: api-availabilty")
    after = set(fingerprints(sarif("--select", "SC1", ".", cwd=repo)))
    assert before and after
    assert not before & after


def test_waived_results_are_suppressed(repo: Path) -> None:
    edit(repo / "slas" / "enterprise.yaml", "kind: SLA\n", f"kind: SLA\n{WAIVE_206}\n")
    (repo / "slacheck.yaml").write_text(
        "waivers:\n  - code: SC206\n    document: SLA/b2b-api-standard\n"
        "    owner: ops\n    until: 2099-01-31\n    reason: Calendar months by "
        "contract\n"
    )
    log = sarif(".", cwd=repo)
    validate(log)
    suppressions = [r.get("suppressions") for r in log["runs"][0]["results"]]
    assert suppressions == [
        [
            {
                "kind": "inSource",
                "status": "accepted",
                "justification": "Months are sold",
                "properties": {
                    "slacheckKind": "inline-waiver",
                    "owner": "legal",
                    "expires": "2099-12-31",
                },
            }
        ],
        [
            {
                "kind": "inSource",
                "status": "accepted",
                "justification": "Months are sold",
                "properties": {
                    "slacheckKind": "inline-waiver",
                    "owner": "legal",
                    "expires": "2099-12-31",
                },
            }
        ],
        [
            {
                "kind": "external",
                "status": "accepted",
                "justification": "Calendar months by contract",
                "properties": {
                    "slacheckKind": "config-waiver",
                    "owner": "ops",
                    "expires": "2099-01-31",
                },
            }
        ],
    ]


def test_baselined_results_are_suppressed(repo: Path) -> None:
    run_cli("lint", "--baseline", "base.json", "--write-baseline", ".", cwd=repo)
    log = sarif("--baseline", "base.json", ".", cwd=repo)
    validate(log)
    kinds = [r["suppressions"][0]["kind"] for r in log["runs"][0]["results"]]
    assert kinds == ["external", "external", "external"]


def test_sarif_to_file_keeps_text_on_terminal(repo: Path) -> None:
    result = run_cli(
        "lint", "--format", "sarif", "--output", "out/report.sarif", ".", cwd=repo
    )
    assert result.returncode == 0
    assert result.stdout.count(" SC206 ") == 3
    assert result.stdout.endswith("Found 3 warnings in 9 files.\n")
    validate(json.loads((repo / "out" / "report.sarif").read_text()))
