"""Report figures against values computed by hand: downtime, credits, margin, headroom."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from slacheck.lint import lint
from slacheck.report.build import build_report
from slacheck.report.measured import measure
from slacheck.report.model import CommitmentView, ReportModel
from slacheck.settings import LintSettings

SLO = """\
apiVersion: slacheck/v1
kind: SLO
metadata: {name: api-availability}
spec:
  service: api
  indicatorRef: api-availability
  budgetingMethod: Occurrences
  timeWindow:
    - isRolling: false
      calendar: {period: month, timeZone: UTC}
  objectives:
    - target: 99.9%
"""

SLI = """\
apiVersion: slacheck/v1
kind: SLI
metadata: {name: api-availability}
spec:
  service: api
  ratioMetric:
    good: {source: prometheus, query: good}
    total: {source: prometheus, query: total}
"""

SERVICE = """\
apiVersion: slacheck/v1
kind: Service
metadata: {name: api}
spec: {description: An API}
"""


def sla(commitment: str, remedy: str, period: str = "month") -> str:
    return f"""\
apiVersion: slacheck/v1
kind: SLA
metadata: {{name: api-gold, version: 1.0.0}}
spec:
  service: api
  effectiveDate: "2026-01-01"
  customers: {{party: Gold customers, tiers: [gold]}}
  commitments:
    - name: uptime
      sloRef: api-availability
{commitment}      period: {period}
      timeZone: UTC
  measurement: {{source: Load balancer logs, unit: event, bad: HTTP 5xx}}
  exclusions:
    - type: scheduledMaintenance
      noticePeriod: 48h
  remedies:
    - type: serviceCredit
      commitment: uptime
      base: monthlyFee
{remedy}  claims:
    channel: Support portal
    deadline: {{within: 30d, after: periodEnd}}
"""


STEP = """\
      cap: 30%
      step: {below: 99.5%, points: 0.5, credit: 10%, partialStep: full}
"""

TIERS = """\
      cap: 50%
      tiers:
        - {below: 99%, atLeast: 98%, credit: 10%}
        - {below: 98%, atLeast: 95%, credit: 25%}
        - {below: 95%, credit: 50%}
"""


def write_repo(folder: Path, sla_text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "service.yaml").write_text(SERVICE)
    (folder / "sli.yaml").write_text(SLI)
    (folder / "slo.yaml").write_text(SLO)
    (folder / "sla.yaml").write_text(sla_text)
    return folder


def report_for(folder: Path, snapshots: list[str] | None = None) -> ReportModel:
    result = lint(LintSettings(paths=[str(folder)]))
    measured = measure(result.catalog, snapshots) if snapshots else None
    return build_report(
        result.catalog,
        result.findings,
        title="t",
        sources=[str(folder)],
        measurements=measured.values if measured else None,
    )


def only_commitment(model: ReportModel) -> CommitmentView:
    assert len(model.slas) == 1
    assert len(model.slas[0].commitments) == 1
    return model.slas[0].commitments[0]


def test_downtime_month_range(tmp_path: Path) -> None:
    # 0.5% of 28 days (40,320 min) is 201.6 min; of 31 days (44,640 min) 223.2.
    repo = write_repo(tmp_path, sla("      target: 99.5%\n", STEP))
    allowance = only_commitment(report_for(repo)).allowance
    assert allowance is not None
    assert allowance.low_minutes == Decimal("201.6")
    assert allowance.high_minutes == Decimal("223.2")
    assert allowance.text == (
        "3 h 21.6 min to 3 h 43.2 min of downtime per calendar month (28 to 31 days)"
    )


def test_downtime_quarter_range(tmp_path: Path) -> None:
    # The shortest quarter (January to March of a common year) has 90 days:
    # 0.1% of 129,600 min is 129.6 min; of 92 days (132,480 min) 132.48 min.
    repo = write_repo(tmp_path, sla("      target: 99.9%\n", STEP, period="quarter"))
    allowance = only_commitment(report_for(repo)).allowance
    assert allowance is not None
    assert allowance.low_minutes == Decimal("129.6")
    assert allowance.high_minutes == Decimal("132.48")
    assert allowance.text == (
        "2 h 9.6 min to 2 h 12.5 min of downtime per calendar quarter (90 to 92 days)"
    )


def test_threshold_commitment_allowance(tmp_path: Path) -> None:
    commitment = "      target: 95%\n      op: lte\n      value: 1s\n"
    repo = write_repo(tmp_path, sla(commitment, STEP))
    view = only_commitment(report_for(repo))
    assert view.sentence == "95% of requests within 1s per calendar month, UTC"
    assert view.allowance is not None
    assert view.allowance.text == "up to 5% of requests may be longer than 1s"


def test_margin_points_and_multiple(tmp_path: Path) -> None:
    # 99.9% - 99.5% = 0.4 points; budgets 0.5% / 0.1% = 5.
    repo = write_repo(tmp_path, sla("      target: 99.5%\n", STEP))
    margin = only_commitment(report_for(repo)).margin
    assert margin is not None
    assert margin.points == Decimal("0.4")
    assert margin.multiple == Decimal(5)
    assert margin.relation == "looser"


def credits_at(view: CommitmentView) -> dict[str, tuple[str, str]]:
    assert view.credit is not None
    return {
        str(example.attainment): (str(example.credit.share.normalize()), example.reason)
        for example in view.credit.examples
    }


def test_step_credits_worked_examples(tmp_path: Path) -> None:
    # 99.2% is 0.3 points short: 0.6 of a step, a partial step counts, 10%.
    # 98.7% is 0.8 short: 1.6 steps, rounded up to 2, 20%.
    # 94% is 5.5 short: 11 steps, 110%, capped at 30%.
    repo = write_repo(tmp_path, sla("      target: 99.5%\n", STEP))
    view = only_commitment(report_for(repo))
    assert credits_at(view) == {
        "0.995": ("0", "boundary"),
        "0.992": ("0.1", "example"),
        "0.990": ("0.1", "boundary"),
        "0.987": ("0.2", "example"),
        "0.985": ("0.2", "boundary"),
        "0.980": ("0.3", "boundary"),
        "0.94": ("0.3", "example"),
    }
    assert view.credit is not None
    bands = [(row.band, str(row.credit.normalize())) for row in view.credit.rows]
    assert bands == [
        ("at least 99% and below 99.5%", "0.1"),
        ("at least 98.5% and below 99%", "0.2"),
        ("below 98.5%", "0.3"),
    ]


def test_step_credits_partial_step_none(tmp_path: Path) -> None:
    # Without partial steps 98.7% (1.6 steps) earns one step, 10%.
    remedy = "      cap: 30%\n      step: {below: 99.5%, points: 0.5, credit: 10%, partialStep: none}\n"
    repo = write_repo(tmp_path, sla("      target: 99.5%\n", remedy))
    view = only_commitment(report_for(repo))
    examples = credits_at(view)
    assert examples["0.992"] == ("0", "example")
    assert examples["0.987"] == ("0.1", "example")
    assert view.credit is not None
    assert view.credit.rows[1].band == "above 98.5% and at most 99%"


def test_step_credits_open_partial_step(tmp_path: Path) -> None:
    remedy = "      cap: 30%\n      step: {below: 99.5%, points: 0.5, credit: 10%}\n"
    repo = write_repo(tmp_path, sla("      target: 99.5%\n", remedy))
    view = only_commitment(report_for(repo))
    assert view.credit is not None
    example = next(e for e in view.credit.examples if e.attainment == Decimal("0.992"))
    assert example.credit.share == Decimal("0.1")
    assert example.credit.alternative == Decimal(0)
    assert "does not say whether a partly used step" in view.credit.open_question


def test_tier_credits_worked_examples(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, sla("      target: 99%\n", TIERS))
    view = only_commitment(report_for(repo))
    assert credits_at(view) == {
        "0.99": ("0", "boundary"),
        "0.992": ("0", "example"),
        "0.987": ("0.1", "example"),
        "0.98": ("0.1", "boundary"),
        "0.95": ("0.25", "boundary"),
        "0.94": ("0.5", "example"),
    }


SNAPSHOT = """\
apiVersion: slacheck/v1
kind: Snapshot
metadata: {{name: api-2026-02}}
spec:
  service: api
  period: {{start: "2026-02-01", end: "2026-03-01", timeZone: UTC}}
  indicators:
    - sli: api-availability
      events: {{good: {good}, total: 1000000}}
"""


@pytest.mark.parametrize(
    ("good", "attainment", "met", "headroom", "credit"),
    [
        # 99.94% against 99.5%: 0.44 points of headroom, no credit.
        (999400, "0.9994", True, "0.44", "0"),
        # 98.7%: 0.8 points short, 20% under the step rule.
        (987000, "0.987", False, "-0.8", "0.2"),
    ],
)
def test_snapshot_headroom_and_credit(
    tmp_path: Path, good: int, attainment: str, met: bool, headroom: str, credit: str
) -> None:
    repo = write_repo(tmp_path / "defs", sla("      target: 99.5%\n", STEP))
    snapshot = tmp_path / "snapshot.yaml"
    snapshot.write_text(SNAPSHOT.format(good=good))
    view = only_commitment(report_for(repo, [str(snapshot)]))
    measured = view.measured
    assert measured is not None
    assert measured.attainment == Decimal(attainment)
    assert measured.met is met
    assert measured.headroom_points == Decimal(headroom)
    assert measured.credit == Decimal(credit)
    # Claims are due 30 days after 2026-03-01T00:00, so 2026-03-30 is the last day.
    assert measured.claim_deadline == "2026-03-30"
    assert measured.period == "February 2026"
    # February 2026 has 28 days: 0.5% of 40,320 minutes is 201.6 minutes.
    assert view.allowance is not None
    assert view.allowance.text == "3 h 21.6 min of downtime in February 2026 (28 days)"


def test_running_period_marked(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "defs", sla("      target: 99.5%\n", STEP))
    snapshot = tmp_path / "snapshot.yaml"
    period_end = "timeZone: UTC}"
    running = SNAPSHOT.format(good=999000).replace(
        period_end, 'timeZone: UTC, asOf: "2026-02-15T12:00"}'
    )
    assert running != SNAPSHOT.format(good=999000)
    snapshot.write_text(running)
    view = only_commitment(report_for(repo, [str(snapshot)]))
    measured = view.measured
    assert measured is not None
    assert measured.running is True
    assert measured.period == "February 2026"
    assert (
        measured.notes[0]
        == "the period is still running; measured as of 2026-02-15 12:00"
    )
