"""Every repo under examples/mistakes reports exactly its documented mistake."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MISTAKES = ROOT / "examples" / "mistakes"

# folder -> the (file inside the folder, line, code) of every finding.
EXPECTED: dict[str, list[tuple[str, int, str]]] = {
    "claim-deadline-without-anchor": [("slas/business.yaml", 51, "SC311")],
    "credit-schedule-gaps": [("slas/business.yaml", 44, "SC306")],
    "credits-shrink": [("slas/business.yaml", 46, "SC307")],
    "credits-start-below-target": [("slas/business.yaml", 41, "SC309")],
    "duplicate-key": [("slas/business.yaml", 30, "SC002")],
    "internal-target-named-sla": [("slas/internal.yaml", 2, "SC403")],
    "kpi-without-owner": [("kpis/conversion.yaml", 3, "SC501")],
    "latency-incomparable": [("slas/business.yaml", 19, "SC203")],
    "maintenance-without-notice": [("slas/business.yaml", 27, "SC304")],
    "methodology-without-bad": [
        ("slas/business.yaml", 19, "SC302"),
        ("slas/business.yaml", 19, "SC302"),
    ],
    "misspelled-slo-reference": [("slas/business.yaml", 15, "SC101")],
    "no-backing-slo": [("slas/business.yaml", 14, "SC205")],
    "no-claim-process": [("slas/business.yaml", 7, "SC310")],
    "no-exclusions": [("slas/business.yaml", 7, "SC303")],
    "no-margin": [("slas/business.yaml", 16, "SC201")],
    "no-methodology": [("slas/business.yaml", 7, "SC301")],
    "no-remedy": [("slas/business.yaml", 7, "SC305")],
    "one-sla-for-all-tiers": [("slas/business.yaml", 10, "SC401")],
    "rolling-window-vs-month": [("slas/business.yaml", 17, "SC206")],
    "sla-stricter-than-slo": [("slas/business.yaml", 16, "SC202")],
    "slo-at-100-percent": [("slos/availability.yaml", 18, "SC502")],
    "step-rule-ambiguous": [("slas/business.yaml", 40, "SC312")],
    "step-without-cap": [("slas/business.yaml", 39, "SC308")],
    "target-written-as-99.5": [("slas/business.yaml", 16, "SC010")],
    "thin-margin": [("slas/business.yaml", 16, "SC204")],
    "tiers-with-identical-commitments": [
        ("slas/business.yaml", 14, "SC402"),
        ("slas/enterprise.yaml", 14, "SC402"),
    ],
    "unknown-tier": [("slas/business.yaml", 12, "SC404")],
}


def lint_json(folder: str) -> tuple[int, dict[str, object]]:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "slacheck",
            "lint",
            "--fail-on",
            "warning",
            "--format",
            "json",
            f"examples/mistakes/{folder}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        check=False,
    )
    assert completed.stdout, completed.stderr
    return completed.returncode, json.loads(completed.stdout)


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_mistake_findings(folder: str) -> None:
    returncode, report = lint_json(folder)
    prefix = f"examples/mistakes/{folder}/"
    findings = report["findings"]
    assert isinstance(findings, list)
    found = [(f["path"].removeprefix(prefix), f["line"], f["code"]) for f in findings]
    assert found == EXPECTED[folder]
    assert returncode == 1


def test_every_folder_is_tested() -> None:
    folders = {p.name for p in MISTAKES.iterdir() if p.is_dir()}
    assert folders == set(EXPECTED)


def test_readme_lists_each_folder_with_its_codes() -> None:
    readme = (MISTAKES / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| .+ \| ([^|]+) \|$", readme, re.M)
    listed = {folder: set(re.findall(r"SC[0-9]{3}", codes)) for folder, codes in rows}
    assert set(listed) == set(EXPECTED)
    for folder, expected in EXPECTED.items():
        assert listed[folder] == {code for _, _, code in expected}, folder
