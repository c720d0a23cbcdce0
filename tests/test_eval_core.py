"""The built-in evaluation on small definition sets: periods, zero traffic, exclusions, credits."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from slacheck.evaluation import Evaluation, evaluate
from slacheck.lint import load_definitions

SLI = """\
apiVersion: slacheck/v1
kind: SLI
metadata: {name: avail}
spec:
  service: api
  ratioMetric:
    good: {source: prometheus}
    total: {source: prometheus}
  zeroTraffic: ZERO
---
apiVersion: slacheck/v1
kind: SLO
metadata: {name: avail}
spec:
  service: api
  indicatorRef: avail
  budgetingMethod: METHOD
  timeWindow: [WINDOW]
  objectives:
    - target: 99.9%
"""

SLA = """\
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
      period: PERIOD
      timeZone: ZONE
  measurement:
    source: logs
    unit: UNIT
    interval: 1m
    bad: 5xx
  exclusions:
    - type: scheduledMaintenance
      maxPerPeriod: 1h
  remedies:
    - type: serviceCredit
      commitment: uptime
      cap: 30%
      STEP
  claims:
    channel: portal
    deadline: {within: 30d, after: periodEnd}
"""

ROLLING = "{duration: 28d, isRolling: true}"
STEP_FULL = "step: {below: 99.5%, points: 0.5, credit: 10%, partialStep: full}"
STEP_OPEN = "step: {below: 99.5%, points: 0.5, credit: 10%}"


def definitions(
    *,
    zero: str = "noData",
    method: str = "Occurrences",
    window: str = ROLLING,
    period: str = "month",
    zone: str = "UTC",
    unit: str = "event",
    step: str = STEP_FULL,
) -> str:
    text = SLI.replace("ZERO", zero).replace("METHOD", method).replace("WINDOW", window)
    sla = SLA.replace("PERIOD", period).replace("ZONE", zone).replace("UNIT", unit)
    return text + sla.replace("STEP", step)


def snapshot(
    indicators: str,
    *,
    start: str = "2026-03-01",
    end: str = "2026-04-01",
    zone: str = "UTC",
    extra: str = "",
) -> str:
    return f"""\
apiVersion: slacheck/v1
kind: Snapshot
metadata: {{name: snap}}
spec:
  period: {{start: "{start}", end: "{end}", timeZone: {zone}}}
  indicators:
{indicators}
{extra}"""


def run(tmp_path: Path, defs: str, *snaps: str) -> Evaluation:
    (tmp_path / "defs.yaml").write_text(defs, encoding="utf-8")
    paths = []
    for index, text in enumerate(snaps):
        path = tmp_path / f"snap{index}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    catalog = load_definitions([str(tmp_path / "defs.yaml")])
    measured = load_definitions(paths)
    assert [f for f in catalog.findings + measured.findings if f.code == "SC010"] == []
    return evaluate(catalog.catalog, [d for d in measured.catalog.documents])


def codes(evaluation: Evaluation) -> list[str]:
    return sorted(f.code for f in evaluation.findings)


EVENTS_9987 = "    - sli: avail\n      events: {good: 9870, total: 10000}"


def test_sla_breach_credit_and_deadline(tmp_path: Path) -> None:
    result = run(tmp_path, definitions(), snapshot(EVENTS_9987)).snapshots[0].slas[0]
    assert result.status == "breached"
    assert result.attainment == Decimal("0.987")
    assert result.headroom_points == Decimal("-0.8")
    assert result.credit is not None
    assert result.credit.share == Decimal("0.2")
    assert str(result.claim_deadline) == "2026-04-30"


def test_open_partial_step_gives_both_readings(tmp_path: Path) -> None:
    evaluation = run(tmp_path, definitions(step=STEP_OPEN), snapshot(EVENTS_9987))
    credit = evaluation.snapshots[0].slas[0].credit
    assert credit is not None
    assert credit.share == Decimal("0.2")
    assert credit.alternative == Decimal("0.1")
    assert codes(evaluation) == ["SC710", "SC715"]


def test_credit_cap_applies(tmp_path: Path) -> None:
    events = "    - sli: avail\n      events: {good: 9000, total: 10000}"
    credit = run(tmp_path, definitions(), snapshot(events)).snapshots[0].slas[0].credit
    assert credit is not None
    assert credit.share == Decimal("0.3")
    assert credit.capped is True


@pytest.mark.parametrize(
    ("zero", "status", "attainment"),
    [
        ("good", "met", Decimal(1)),
        ("bad", "missed", Decimal(0)),
        ("noData", "noData", None),
    ],
)
def test_zero_traffic_rule(
    tmp_path: Path, zero: str, status: str, attainment: Decimal | None
) -> None:
    events = "    - sli: avail\n      events: {good: 0, total: 0}"
    slo = run(tmp_path, definitions(zero=zero), snapshot(events)).snapshots[0].slos[0]
    assert slo.status == status
    assert slo.attainment == attainment
    assert any("no traffic" in note for note in slo.notes)


@pytest.mark.parametrize(
    ("zero", "good", "total", "note"),
    [
        ("good", 44640, 44640, "40 time slices without data counted as good"),
        ("bad", 44600, 44640, "40 time slices without data counted as bad"),
        ("noData", 44600, 44600, "40 time slices without data left out"),
    ],
)
def test_missing_time_slices_follow_rule(
    tmp_path: Path, zero: str, good: int, total: int, note: str
) -> None:
    slices = (
        "    - sli: avail\n      timeSlices: {good: 44600, total: 44600, length: 1m}"
    )
    defs = definitions(zero=zero, method="Timeslices")
    slo = run(tmp_path, defs, snapshot(slices)).snapshots[0].slos[0]
    assert slo.attainment == Decimal(good) / Decimal(total)
    assert note in slo.notes


def test_too_many_time_slices_is_invalid(tmp_path: Path) -> None:
    slices = (
        "    - sli: avail\n      timeSlices: {good: 50000, total: 50000, length: 1m}"
    )
    evaluation = run(tmp_path, definitions(unit="interval"), snapshot(slices))
    assert evaluation.snapshots[0].slas[0].status == "notJudged"
    assert "SC712" in codes(evaluation)


def test_good_above_total_is_invalid(tmp_path: Path) -> None:
    events = "    - sli: avail\n      events: {good: 11, total: 10}"
    evaluation = run(tmp_path, definitions(), snapshot(events))
    finding = next(f for f in evaluation.findings if f.code == "SC712")
    assert finding.message == "good count 11 exceeds the total 10; fix the counts"
    assert (finding.line, finding.column) == (8, 22)
    assert evaluation.snapshots[0].slos[0].status == "noData"


def test_missing_measurement_is_no_data(tmp_path: Path) -> None:
    evaluation = run(tmp_path, definitions(), snapshot("    []"))
    assert evaluation.snapshots[0].slos[0].status == "noData"
    assert evaluation.snapshots[0].slas[0].status == "noData"
    assert codes(evaluation) == ["SC713", "SC713"]


def test_unknown_sli_in_snapshot(tmp_path: Path) -> None:
    events = EVENTS_9987 + "\n    - sli: nowhere\n      events: {good: 1, total: 1}"
    evaluation = run(tmp_path, definitions(), snapshot(events))
    finding = next(f for f in evaluation.findings if f.code == "SC101")
    assert finding.message == "no SLI named 'nowhere' is defined"
    assert finding.line == 9


@pytest.mark.parametrize(
    ("start", "end", "zone", "judged"),
    [
        ("2026-03-01", "2026-04-01", "UTC", False),
        ("2026-03-01", "2026-03-31", "UTC", False),
        ("2026-03-02", "2026-04-02", "UTC", False),
        ("2026-03-01T00:00+01:00", "2026-04-01T00:00+02:00", "UTC", True),
        ("2026-03-01", "2026-04-01", "Europe/Berlin", True),
    ],
)
def test_sla_needs_one_contract_period(
    tmp_path: Path, start: str, end: str, zone: str, judged: bool
) -> None:
    defs = definitions(zone="Europe/Berlin")
    snap = snapshot(EVENTS_9987, start=start, end=end, zone=zone)
    evaluation = run(tmp_path, defs, snap)
    assert (evaluation.snapshots[0].slas[0].status != "notJudged") is judged
    assert ("SC711" in codes(evaluation)) is not judged


def test_period_length_uses_real_time(tmp_path: Path) -> None:
    snap = snapshot(EVENTS_9987, zone="Europe/Berlin")
    period = run(tmp_path, definitions(), snap).snapshots[0].period
    # Summer time starts on 2026-03-29 in Berlin: March has 31 days less one hour.
    assert period.minutes == Decimal(31 * 1440 - 60)


def test_calendar_slo_window_needs_its_period(tmp_path: Path) -> None:
    window = "{isRolling: false, calendar: {period: quarter, timeZone: UTC}}"
    evaluation = run(tmp_path, definitions(window=window), snapshot(EVENTS_9987))
    assert evaluation.snapshots[0].slos[0].status == "notJudged"
    assert "SC711" in codes(evaluation)


def test_rolling_window_note(tmp_path: Path) -> None:
    slo = run(tmp_path, definitions(), snapshot(EVENTS_9987)).snapshots[0].slos[0]
    assert slo.window_note == (
        "rolling 28d window judged over the snapshot's 31-day period, so the error budget "
        "of 0.1% is scaled from 40.3 min to 44.6 min"
    )


MAINTENANCE = """\
  exclusions:
    - type: scheduledMaintenance
      minutes: 30
      events: {good: 100, total: 400}
"""


def test_exclusion_removes_events(tmp_path: Path) -> None:
    events = "    - sli: avail\n      events: {good: 9970, total: 10400}"
    result = run(
        tmp_path, definitions(), snapshot(events, extra=MAINTENANCE)
    ).snapshots[0]
    assert result.slas[0].attainment == Decimal("0.987")
    assert result.slas[0].excluded_minutes == Decimal(30)
    # SLOs are internal: exclusions do not apply to them.
    assert result.slos[0].attainment == Decimal(9970) / Decimal(10400)


def test_exclusion_past_maximum_is_prorated(tmp_path: Path) -> None:
    extra = MAINTENANCE.replace("minutes: 30", "minutes: 120")
    events = "    - sli: avail\n      events: {good: 9970, total: 10400}"
    evaluation = run(tmp_path, definitions(), snapshot(events, extra=extra))
    result = evaluation.snapshots[0].slas[0]
    # Only 60 of the 120 minutes are excused: half of the counts, rounded down.
    assert result.excluded_minutes == Decimal(60)
    assert result.attainment == Decimal(9920) / Decimal(10200)
    assert "SC714" in codes(evaluation)


def test_exclusion_without_clause_stays(tmp_path: Path) -> None:
    extra = MAINTENANCE.replace("scheduledMaintenance", "forceMajeure")
    evaluation = run(tmp_path, definitions(), snapshot(EVENTS_9987, extra=extra))
    finding = next(f for f in evaluation.findings if f.code == "SC714")
    assert finding.message == (
        "SLA 'gold' has no 'forceMajeure' exclusion, so 30 min stay in commitment 'gold/uptime'"
    )
    assert evaluation.snapshots[0].slas[0].attainment == Decimal("0.987")


def test_exclusion_minutes_remove_bad_slices(tmp_path: Path) -> None:
    slices = (
        "    - sli: avail\n      timeSlices: {good: 44000, total: 44640, length: 1m}"
    )
    extra = "  exclusions:\n    - {type: scheduledMaintenance, minutes: 40}\n"
    result = run(tmp_path, definitions(unit="interval"), snapshot(slices, extra=extra))
    sla = result.snapshots[0].slas[0]
    assert sla.attainment == Decimal(44000) / Decimal(44600)


def test_event_exclusion_needs_counts(tmp_path: Path) -> None:
    extra = "  exclusions:\n    - {type: scheduledMaintenance, minutes: 40}\n"
    evaluation = run(tmp_path, definitions(), snapshot(EVENTS_9987, extra=extra))
    finding = next(f for f in evaluation.findings if f.code == "SC714")
    assert finding.message == (
        "exclusion not applied to commitment 'gold/uptime': give the events measured "
        "inside the excluded time"
    )


def test_interval_length_must_match(tmp_path: Path) -> None:
    slices = "    - sli: avail\n      timeSlices: {good: 8900, total: 8928, length: 5m}"
    evaluation = run(tmp_path, definitions(unit="interval"), snapshot(slices))
    assert evaluation.snapshots[0].slas[0].status == "notJudged"
    assert "SC713" in codes(evaluation)


def test_running_period_is_not_a_breach(tmp_path: Path) -> None:
    snap = snapshot(EVENTS_9987).replace(
        "timeZone: UTC}", 'timeZone: UTC, asOf: "2026-03-16"}'
    )
    evaluation = run(tmp_path, definitions(), snap)
    judged = evaluation.snapshots[0]
    assert judged.period.elapsed == Decimal(15) / Decimal(31)
    assert judged.slas[0].status == "breached"
    assert "SC710" not in codes(evaluation)
    budget = judged.slos[0].budget
    assert budget is not None
    assert budget.burn_rate == Decimal(13)
    assert budget.pace == Decimal(13)


def test_ratio_measurement(tmp_path: Path) -> None:
    ratio = "    - sli: avail\n      ratio: 99.94%"
    judged = run(tmp_path, definitions(), snapshot(ratio)).snapshots[0]
    assert judged.slas[0].headroom_points == Decimal("0.44")
    budget = judged.slos[0].budget
    assert budget is not None
    assert budget.allowed is None
    assert budget.consumed_share == Decimal("0.6")


def test_overlapping_snapshots(tmp_path: Path) -> None:
    first = snapshot(EVENTS_9987)
    second = snapshot(EVENTS_9987, start="2026-03-15", end="2026-04-15")
    evaluation = run(
        tmp_path, definitions(), first, second.replace("name: snap", "name: other")
    )
    assert "SC716" in codes(evaluation)


def test_invalid_period(tmp_path: Path) -> None:
    evaluation = run(
        tmp_path,
        definitions(),
        snapshot(EVENTS_9987, start="2026-04-01", end="2026-03-01"),
    )
    finding = next(f for f in evaluation.findings if f.code == "SC712")
    assert finding.message == (
        "invalid snapshot period: end '2026-03-01' is not after start '2026-04-01'"
    )
    assert evaluation.snapshots == []


LATENCY = """\
---
apiVersion: slacheck/v1
kind: SLI
metadata: {name: latency}
spec:
  service: api
  thresholdMetric: {source: prometheus, unit: ms}
---
apiVersion: slacheck/v1
kind: SLO
metadata: {name: fast}
spec:
  service: api
  indicatorRef: latency
  budgetingMethod: Occurrences
  timeWindow: [{duration: 28d, isRolling: true}]
  objectives:
    - {name: p99, op: lte, value: 500ms, target: 99%}
"""


@pytest.mark.parametrize(
    ("measurement", "status"),
    [
        ("{sli: latency, threshold: 0.5s, events: {good: 990, total: 1000}}", "met"),
        ("{sli: latency, threshold: 500ms, events: {bad: 11, total: 1000}}", "missed"),
        ("{sli: latency, value: 420ms, percentile: 99%}", "met"),
        ("{sli: latency, value: 520ms, percentile: 99%}", "missed"),
        ("{sli: latency, value: 420ms, percentile: 95%}", "noData"),
        ("{sli: latency, threshold: 1s, events: {good: 990, total: 1000}}", "noData"),
    ],
)
def test_threshold_objectives(tmp_path: Path, measurement: str, status: str) -> None:
    snap = snapshot(f"    - {measurement}")
    judged = run(tmp_path, definitions() + LATENCY, snap).snapshots[0]
    fast = next(r for r in judged.slos if r.document.name == "fast")
    assert fast.status == status


KPI = """\
---
apiVersion: slacheck/v1
kind: KPI
metadata: {name: mttr, owner: sre}
spec:
  service: api
  metric: Mean time to restore
  unit: minutes
  target: 60
  direction: lowerIsBetter
  leadingIndicatorFor: [gold]
"""


def test_kpi_trend_raises_sla_risk(tmp_path: Path) -> None:
    march = snapshot(EVENTS_9987, extra="  kpis: [{kpi: mttr, value: 45}]\n")
    april = snapshot(
        EVENTS_9987,
        start="2026-04-01",
        end="2026-05-01",
        extra="  kpis: [{kpi: mttr, value: 50}]\n",
    ).replace("snap}", "snap2}")
    evaluation = run(tmp_path, definitions() + KPI, april, march)
    latest = evaluation.snapshots[1]
    mttr = next(k for k in latest.kpis if k.name == "mttr")
    assert (mttr.previous, mttr.value, mttr.change) == (
        Decimal(45),
        Decimal(50),
        Decimal(5),
    )
    assert mttr.trend == "worse"
    assert mttr.on_target is True
    assert latest.slas[0].risk.worsening_kpis == ["mttr"]
    assert evaluation.snapshots[0].slas[0].risk.level == "normal"


def test_unknown_kpi_in_snapshot(tmp_path: Path) -> None:
    snap = snapshot(EVENTS_9987, extra="  kpis: [{kpi: nowhere, value: 1}]\n")
    evaluation = run(tmp_path, definitions(), snap)
    assert "SC101" in codes(evaluation)
