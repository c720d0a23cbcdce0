"""KPI completeness and zero-error-budget rules (SC501, SC502)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacheck.lint import lint
from slacheck.settings import LintSettings

CODES = ["SC501", "SC502"]


def kpi(
    *,
    owner: bool = True,
    target: str | None = "60",
    direction: str | None = "lowerIsBetter",
    unit: str = "minutes",
) -> str:
    """Build a KPI; `metadata:` is on line 3 and `spec:` on line 6 (5 without owner)."""
    lines = ["apiVersion: slacheck/v1", "kind: KPI", "metadata:", "  name: mttr"]
    if owner:
        lines.append("  owner: sre-lead")
    lines += ["spec:", "  metric: Mean time to restore", f"  unit: {unit}"]
    if target is not None:
        lines.append(f"  target: {target}")
    if direction is not None:
        lines.append(f"  direction: {direction}")
    return "\n".join(lines) + "\n"


SLO = """\
apiVersion: slacheck/v1
kind: SLO
metadata:
  name: api-availability
spec:
  service: api
  indicatorRef: api-availability
  budgetingMethod: Occurrences
  timeWindow:
    - isRolling: false
      calendar: {period: month, timeZone: UTC}
  objectives:
    - name: availability
      {target}
"""

SLA = """\
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: api-enterprise
spec:
  service: api
  effectiveDate: "2026-01-01"
  commitments:
    - name: uptime
      {target}
      period: month
      timeZone: UTC
"""


def findings(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(path)], select=CODES))
    return [(f.line, f.column, f.code) for f in result.findings]


CASES = {
    "complete KPI": (kpi(), []),
    "KPI without owner": (kpi(owner=False), [(3, 1, "SC501")]),
    "KPI without target": (kpi(target=None), [(6, 1, "SC501")]),
    "KPI without direction": (kpi(direction=None), [(6, 1, "SC501")]),
    "KPI with nothing": (
        kpi(owner=False, target=None, direction=None),
        [(3, 1, "SC501"), (5, 1, "SC501"), (5, 1, "SC501")],
    ),
    "percent KPI at 100%": (
        kpi(unit="percent", target="100%", direction="higherIsBetter"),
        [(9, 11, "SC502")],
    ),
    "percent KPI at 100 without %": (
        kpi(unit="percent", target="100", direction="higherIsBetter"),
        [(9, 11, "SC502")],
    ),
    "ratio KPI at 1": (
        kpi(unit="ratio", target="1", direction="higherIsBetter"),
        [(9, 11, "SC502")],
    ),
    "percent KPI at 0% lower is better": (
        kpi(unit="percent", target="0%", direction="lowerIsBetter"),
        [(9, 11, "SC502")],
    ),
    "percent KPI at 100% lower is better": (
        kpi(unit="percent", target="100%", direction="lowerIsBetter"),
        [],
    ),
    "percent KPI at 99.9%": (
        kpi(unit="percent", target="99.9%", direction="higherIsBetter"),
        [],
    ),
    "count KPI at 100": (
        kpi(unit="count", target="100", direction="higherIsBetter"),
        [],
    ),
    "SLO at 100%": (SLO.replace("{target}", "target: 100%"), [(14, 15, "SC502")]),
    "SLO at ratio 1": (SLO.replace("{target}", "target: 1.0"), [(14, 15, "SC502")]),
    "SLO at targetPercent 100": (
        SLO.replace("{target}", "targetPercent: 100"),
        [(14, 22, "SC502")],
    ),
    "SLO at 99.99%": (SLO.replace("{target}", "target: 99.99%"), []),
    "SLA at 100%": (SLA.replace("{target}", "target: 100%"), [(10, 15, "SC502")]),
    "SLA at 99.5%": (SLA.replace("{target}", "target: 99.5%"), []),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_kpi_rule_positions(
    tmp_path: Path, text: str, expected: list[tuple[int, int, str]]
) -> None:
    assert findings(tmp_path, text) == expected


def messages(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    return [
        f.message for f in lint(LintSettings(paths=[str(path)], select=CODES)).findings
    ]


def test_missing_owner_message(tmp_path: Path) -> None:
    assert messages(tmp_path, kpi(owner=False)) == [
        "KPI has no owner, so nobody is accountable for acting on it; add "
        "'metadata.owner' naming the team or person"
    ]


def test_kpi_zero_budget_quotes_target(tmp_path: Path) -> None:
    text = kpi(unit="percent", target="100%", direction="higherIsBetter")
    assert messages(tmp_path, text) == [
        "target '100%' with higherIsBetter leaves no error budget: a single miss "
        "puts the KPI off target; set a target the team can sustain"
    ]


def test_slo_zero_budget_names_objective(tmp_path: Path) -> None:
    assert messages(tmp_path, SLO.replace("{target}", "target: 100%")) == [
        "objective 'availability' targets 100%, which leaves no error budget: the "
        "first failed event is a miss; choose the level the service can sustain, "
        "such as 99.9%"
    ]
