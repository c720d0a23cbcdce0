"""The SLI's missingData rule when a snapshot has no measurement of the SLI."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CliRunner

from slacheck.evaluation import Evaluation, SLAResult, SLOResult, evaluate
from slacheck.lint import load_definitions

DEFINITIONS = """\
apiVersion: slacheck/v1
kind: SLI
metadata: {name: avail}
spec:
  service: api
  ratioMetric:
    good: {source: prometheus}
    total: {source: prometheus}
  MISSING
---
apiVersion: slacheck/v1
kind: SLO
metadata: {name: avail}
spec:
  service: api
  indicatorRef: avail
  budgetingMethod: METHOD
  timeWindow: [{duration: 31d, isRolling: true}]
  objectives:
    - name: uptime
      target: 99.9%
      SLICE
---
apiVersion: slacheck/v1
kind: SLA
metadata: {name: gold}
spec:
  service: api
  effectiveDate: "2026-01-01"
  commitments:
    - name: uptime
      sloRef: avail
      target: 99.5%
      period: month
      timeZone: UTC
  measurement: {source: logs, unit: UNIT, interval: 1m}
  remedies:
    - type: serviceCredit
      commitment: uptime
      cap: 30%
      step: {below: 99.5%, points: 0.5, credit: 10%, partialStep: full}
"""

# March 2026 in UTC: 31 days, 44640 one-minute slices. The snapshot measures
# another SLI only, so 'avail' has no measurement at all.
SNAPSHOT = """\
apiVersion: slacheck/v1
kind: Snapshot
metadata: {name: march}
spec:
  period: {start: "2026-03-01", end: "2026-04-01", timeZone: UTC ASOF}
  indicators:
    - sli: MEASURED
      events: {good: 990, total: 1000}
"""

WHY = "snapshot 'march' has no measurement of SLI 'avail'"
EVENTS = {"method": "Occurrences", "unit": "event", "slice": ""}
SLICES = {"method": "Timeslices", "unit": "interval", "slice": "timeSliceWindow: 1m"}


def definitions(rule: str | None, *, method: str, unit: str, slice: str) -> str:
    missing = f"missingData: {rule}" if rule else ""
    text = DEFINITIONS.replace("MISSING", missing).replace("METHOD", method)
    return text.replace("UNIT", unit).replace("SLICE", slice)


def snapshot(*, measured: str = "other", as_of: str = "") -> str:
    text = SNAPSHOT.replace("MEASURED", measured)
    return text.replace(" ASOF", f", asOf: {as_of!r}" if as_of else "")


# The SLI the snapshot measures instead of 'avail'.
OTHER_SLI = """\
apiVersion: slacheck/v1
kind: SLI
metadata: {name: other}
spec:
  ratioMetric:
    good: {source: prometheus}
    total: {source: prometheus}
"""


def run(tmp_path: Path, defs: str, snap: str) -> Evaluation:
    (tmp_path / "defs.yaml").write_text(f"{defs}---\n{OTHER_SLI}", encoding="utf-8")
    (tmp_path / "snap.yaml").write_text(snap, encoding="utf-8")
    loaded = load_definitions([str(tmp_path / "defs.yaml")])
    measured = load_definitions([str(tmp_path / "snap.yaml")])
    assert loaded.findings + measured.findings == []
    return evaluate(loaded.catalog, measured.catalog.documents)


def judged(
    tmp_path: Path, rule: str | None, shape: dict[str, str], **snap: str
) -> tuple[SLOResult, SLAResult, list[tuple[str, str]]]:
    evaluation = run(tmp_path, definitions(rule, **shape), snapshot(**snap))
    results = evaluation.snapshots[0]
    findings = sorted((f.code, f.message) for f in evaluation.findings)
    return results.slos[0], results.slas[0], findings


def slo_warning(rule: str) -> tuple[str, str]:
    return ("SC713", f"SLO 'avail/uptime' has no data: {WHY}{_suffix(rule)}")


def sla_warning(rule: str) -> tuple[str, str]:
    return ("SC713", f"SLA commitment 'gold/uptime' has no data: {WHY}{_suffix(rule)}")


def _suffix(rule: str) -> str:
    return (
        "" if rule == "noData" else f"; counted as {rule} by the SLI's missingData rule"
    )


BREACH = (
    "SC710",
    "SLA commitment 'gold/uptime' breached: 0% against 99.5% (99.5 points short); "
    "credit owed: 30% (capped)",
)


@pytest.mark.parametrize("rule", [None, "noData"])
@pytest.mark.parametrize("shape", [EVENTS, SLICES], ids=["events", "slices"])
def test_missing_data_default_is_no_data(
    tmp_path: Path, rule: str | None, shape: dict[str, str]
) -> None:
    slo, sla, findings = judged(tmp_path, rule, shape)
    assert (slo.status, slo.attainment, slo.budget) == ("noData", None, None)
    assert (sla.status, sla.attainment, sla.credit) == ("noData", None, None)
    assert slo.missing_data is None
    assert sla.missing_data is None
    assert slo.notes == [WHY]
    assert sla.notes == [WHY]
    assert findings == sorted([slo_warning("noData"), sla_warning("noData")])


def test_missing_events_counted_good(tmp_path: Path) -> None:
    slo, sla, findings = judged(tmp_path, "good", EVENTS)
    note = f"{WHY}: the whole period counted as good by the SLI's missingData rule"
    assert (slo.status, slo.attainment, slo.missing_data) == ("met", 1, "good")
    assert slo.notes == [note]
    assert slo.budget is not None
    assert slo.budget.unit == "ratio"
    assert (slo.budget.allowed, slo.budget.consumed) == (None, None)
    assert slo.budget.burn_rate == 0
    assert slo.budget.consumed_share == 0
    assert slo.budget.pace == 0
    assert (sla.status, sla.attainment, sla.missing_data) == ("met", 1, "good")
    assert sla.headroom_points == Decimal("0.5")
    assert sla.budget_used == 0
    assert sla.credit is not None
    assert sla.credit.share == 0
    assert sla.notes == [note]
    assert findings == sorted([slo_warning("good"), sla_warning("good")])


def test_missing_events_counted_bad(tmp_path: Path) -> None:
    slo, sla, findings = judged(tmp_path, "bad", EVENTS)
    note = f"{WHY}: the whole period counted as bad by the SLI's missingData rule"
    assert (slo.status, slo.attainment, slo.missing_data) == ("missed", 0, "bad")
    assert slo.notes == [note]
    assert slo.budget is not None
    assert slo.budget.burn_rate == 1000
    assert slo.budget.consumed_share == 1000
    assert slo.budget.pace == 1000
    assert (sla.status, sla.attainment, sla.missing_data) == ("breached", 0, "bad")
    assert sla.headroom_points == Decimal("-99.5")
    assert sla.budget_used == 200
    assert sla.credit is not None
    assert sla.credit.share == Decimal("0.3")
    assert sla.credit.capped is True
    assert findings == sorted([slo_warning("bad"), sla_warning("bad"), BREACH])


def test_missing_slices_counted_good(tmp_path: Path) -> None:
    slo, sla, findings = judged(tmp_path, "good", SLICES)
    note = (
        f"{WHY}: all 44640 time slices of 1 min counted as good "
        "by the SLI's missingData rule"
    )
    assert (slo.status, slo.attainment, slo.missing_data) == ("met", 1, "good")
    assert slo.notes == [note]
    assert slo.budget is not None
    assert slo.budget.unit == "timeSlices"
    assert slo.budget.allowed == Decimal("44.64")
    assert slo.budget.consumed == 0
    assert slo.budget.remaining == Decimal("44.64")
    assert slo.budget.allowed_minutes == Decimal("44.64")
    assert slo.budget.pace == 0
    assert (sla.status, sla.attainment, sla.missing_data) == ("met", 1, "good")
    assert sla.headroom_points == Decimal("0.5")
    assert sla.notes == [note]
    assert findings == sorted([slo_warning("good"), sla_warning("good")])


def test_missing_slices_counted_bad(tmp_path: Path) -> None:
    slo, sla, findings = judged(tmp_path, "bad", SLICES)
    note = (
        f"{WHY}: all 44640 time slices of 1 min counted as bad "
        "by the SLI's missingData rule"
    )
    assert (slo.status, slo.attainment, slo.missing_data) == ("missed", 0, "bad")
    assert slo.notes == [note]
    assert slo.budget is not None
    assert slo.budget.allowed == Decimal("44.64")
    assert slo.budget.consumed == 44640
    assert slo.budget.remaining == Decimal("-44595.36")
    assert slo.budget.consumed_share == 1000
    assert (sla.status, sla.attainment, sla.missing_data) == ("breached", 0, "bad")
    assert sla.headroom_points == Decimal("-99.5")
    assert sla.budget_used == 200
    assert sla.notes == [note]
    assert findings == sorted([slo_warning("bad"), sla_warning("bad"), BREACH])


def test_running_period_counts_elapsed_slices(tmp_path: Path) -> None:
    slo, _, _ = judged(tmp_path, "bad", SLICES, as_of="2026-03-11")
    assert slo.notes[0].startswith(f"{WHY}: all 14400 time slices of 1 min")
    assert slo.budget is not None
    assert slo.budget.consumed == 14400
    assert slo.budget.allowed == Decimal("44.64")


def test_slices_without_length_judged_as_ratio(tmp_path: Path) -> None:
    shape = {**SLICES, "slice": ""}
    slo, _, _ = judged(tmp_path, "bad", shape)
    assert slo.attainment == 0
    assert slo.budget is not None
    assert (slo.budget.unit, slo.budget.allowed) == ("ratio", None)
    assert slo.notes == [
        f"{WHY}: the whole period counted as bad by the SLI's missingData rule"
    ]


def test_sli_measured_elsewhere_stays_no_data(tmp_path: Path) -> None:
    defs = definitions("good", **EVENTS)
    snap = snapshot(measured="avail").replace(
        "      events:", "      threshold: 500ms\n      events:"
    )
    evaluation = run(tmp_path, defs, snap)
    slo = evaluation.snapshots[0].slos[0]
    assert (slo.status, slo.attainment, slo.missing_data) == ("noData", None, None)
    assert slo.notes == [
        "SLI 'avail' is measured only at thresholds; add one without 'threshold'"
    ]


def test_cli_names_the_rule(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "defs.yaml").write_text(definitions("good", **EVENTS), encoding="utf-8")
    (tmp_path / "snap.yaml").write_text(
        snapshot().split("  indicators:")[0],
        encoding="utf-8",
    )
    args = ("--snapshot", "snap.yaml", "--no-default-policies", "defs.yaml")
    result = cli("evaluate", *args, cwd=tmp_path)
    rule = "by the SLI's missingData rule"
    assert result.stdout == (
        "Snapshot march (snap.yaml): 2026-03-01 to 2026-04-01 (UTC), complete\n"
        "\n"
        "Service api\n"
        "\n"
        "  SLO           target  measured                  status  budget used"
        "  budget left  burn rate  pace\n"
        "  avail/uptime  99.9%   100% (missingData: good)  met     0%         "
        "  -            0          0\n"
        "\n"
        "  SLA commitment  target  measured                  status  headroom   "
        " budget used  risk    credit  claim by\n"
        "  gold/uptime     99.5%   100% (missingData: good)  met     0.5 points "
        " 0%           normal  none    -\n"
        "  Notes:\n"
        f"    avail/uptime: {WHY}: the whole period counted as good {rule}\n"
        f"    gold/uptime: {WHY}: the whole period counted as good {rule}\n"
        "\n"
        "Findings:\n"
        f"snap.yaml:5:3: SC713 SLA commitment 'gold/uptime' has no data: {WHY}; "
        f"counted as good {rule}\n"
        f"snap.yaml:5:11: SC713 SLO 'avail/uptime' has no data: {WHY}; "
        f"counted as good {rule}\n"
    )
    assert result.stderr == "Found 2 warnings in 2 files.\n"
    assert result.returncode == 0


RULES = """\
apiVersion: slacheck/v1
kind: Policy
metadata: {name: org}
spec:
  rules:
    - id: ORG100
      name: judged-on-measurements
      severity: error
      appliesTo: SLAResult
      assert: "!has(result.missingData)"
      message: >-
        {sla.name} was judged without a measurement, counted as
        {result.missingData} (the SLI's missingData is {sli.missingData})
    - id: ORG101
      name: missing-data-not-good
      severity: warning
      appliesTo: SLI
      assert: sli.missingData != 'good'
      message: SLI {sli.name} counts missing data as good
"""


def test_policies_see_missing_data(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "defs.yaml").write_text(definitions("good", **EVENTS), encoding="utf-8")
    (tmp_path / "snap.yaml").write_text(snapshot().split("  indicators:")[0])
    (tmp_path / "org.yaml").write_text(RULES, encoding="utf-8")
    policy = ("--policy", "org.yaml", "--no-default-policies", "--select", "ORG")
    evaluated = cli("evaluate", "-s", "snap.yaml", *policy, "defs.yaml", cwd=tmp_path)
    assert evaluated.stdout.endswith(
        "\nFindings:\n"
        "snap.yaml:5:11: ORG100 gold was judged without a measurement, counted as "
        "good (the SLI's missingData is good)\n"
    )
    assert evaluated.returncode == 1
    linted = cli(
        "lint", "--policy", "org.yaml", "--select", "ORG", "defs.yaml", cwd=tmp_path
    )
    assert (
        linted.stdout == "defs.yaml:1:1: ORG101 SLI avail counts missing data as good\n"
    )
    assert linted.returncode == 0


INLINE = """\
apiVersion: slacheck/v1
kind: SLO
metadata: {name: checkout}
spec:
  service: api
  indicator:
    metadata: {name: checkout-success}
    spec:
      ratioMetric:
        good: {source: prometheus}
        total: {source: prometheus}
      missingData: RULE
  budgetingMethod: Occurrences
  timeWindow: [{duration: 31d, isRolling: true}]
  objectives:
    - target: 99%
"""


def test_inline_indicator_rule(tmp_path: Path) -> None:
    evaluation = run(tmp_path, INLINE.replace("RULE", "bad"), snapshot())
    slo = evaluation.snapshots[0].slos[0]
    assert (slo.status, slo.attainment, slo.missing_data) == ("missed", 0, "bad")


def test_invalid_rule_is_a_schema_error(tmp_path: Path) -> None:
    (tmp_path / "defs.yaml").write_text(definitions("maybe", **EVENTS))
    loaded = load_definitions([str(tmp_path / "defs.yaml")])
    assert [(f.line, f.code, f.message) for f in loaded.findings] == [
        (9, "SC010", "$.spec.missingData is 'maybe'; use one of good, bad, noData")
    ]
