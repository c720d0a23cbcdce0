"""Each kind of SLA change, classified as weakening or strengthening for the customer."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacheck.diff.engine import diff_trees
from slacheck.diff.model import DiffResult
from slacheck.diff.sources import open_tree

BASE = """\
apiVersion: slacheck/v1
kind: Service
metadata: {name: api}
spec: {description: An API, tiers: [gold, silver]}
---
apiVersion: slacheck/v1
kind: SLI
metadata: {name: api-availability}
spec:
  service: api
  ratioMetric:
    good: {source: prometheus, query: good}
    total: {source: prometheus, query: total}
---
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
    - name: availability
      target: 99.9%
    - name: fast
      op: lte
      value: 500ms
      target: 99%
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
---
apiVersion: slacheck/v1
kind: SLA
metadata: {name: api-gold, version: 1.0.0}
spec:
  service: api
  effectiveDate: "2026-01-01"
  customers: {party: Gold customers, tiers: [gold, silver]}
  commitments:
    - name: uptime
      sloRef: api-availability
      objective: availability
      target: 99.5%
      period: month
      timeZone: UTC
    - name: latency
      sloRef: api-availability
      objective: fast
      op: lte
      value: 1s
      target: 95%
      period: month
      timeZone: UTC
  measurement:
    source: Load balancer logs
    unit: event
    bad: HTTP 5xx
    lowTraffic: {minimumEvents: 100, treatAs: bad}
  exclusions:
    - {type: scheduledMaintenance, noticePeriod: 48h, maxPerPeriod: 4h}
    - {type: forceMajeure}
  remedies:
    - type: serviceCredit
      commitment: uptime
      base: monthlyFee
      cap: 30%
      step: {below: 99.5%, points: 0.5, credit: 10%, partialStep: full}
    - type: serviceCredit
      commitment: latency
      base: monthlyFee
      tiers:
        - {below: 95%, atLeast: 90%, credit: 5%}
        - {below: 90%, credit: 10%}
    - {type: termination, commitment: uptime, breaches: 3}
  claims:
    channel: Support portal
    deadline: {within: 30d, after: periodEnd}
    evidence: [Request IDs]
  escalation:
    - {level: 1, contact: Account manager, within: 2d}
"""

W, S, U, N = "weakening", "strengthening", "unclear", "neutral"

CASES = [
    (
        "target lowered",
        "target: 99.5%",
        "target: 99.2%",
        [(W, "commitment 'uptime': target lowered from 99.5% to 99.2%")],
    ),
    (
        "target raised",
        "target: 99.5%",
        "target: 99.7%",
        [(S, "commitment 'uptime': target raised from 99.5% to 99.7%")],
    ),
    (
        "threshold looser",
        "value: 1s",
        "value: 1500ms",
        [
            (
                W,
                "commitment 'latency': threshold changed from lte 1s to lte 1500ms (looser)",
            )
        ],
    ),
    (
        "threshold tighter",
        "value: 1s",
        "value: 800ms",
        [
            (
                S,
                "commitment 'latency': threshold changed from lte 1s to lte 800ms (tighter)",
            )
        ],
    ),
    (
        "operator looser",
        "op: lte\n      value: 1s",
        "op: lt\n      value: 1s",
        [(S, "commitment 'latency': threshold changed from lte 1s to lt 1s (tighter)")],
    ),
    (
        "longer period",
        "target: 99.5%\n      period: month",
        "target: 99.5%\n      period: quarter",
        [
            (
                W,
                "commitment 'uptime': judged per calendar month before, per calendar quarter "
                "now; a longer period averages bad weeks away and delays every claim",
            )
        ],
    ),
    (
        "commitment removed",
        "    - name: latency",
        "    - name: latency-old",
        [
            (
                W,
                "commitment 'latency' removed (it promised 95% of requests within 1s per "
                "calendar month, UTC)",
            ),
            (
                S,
                "commitment 'latency-old' added: 95% of requests within 1s per calendar "
                "month, UTC",
            ),
        ],
    ),
    (
        "tier removed",
        "tiers: [gold, silver]}\n  commitments",
        "tiers: [gold]}\n  commitments",
        [(W, "no longer covers customer tier 'silver'")],
    ),
    (
        "new exclusion",
        "    - {type: forceMajeure}",
        "    - {type: forceMajeure}\n    - {type: thirdParty}",
        [(W, "new exclusion: third-party failures")],
    ),
    (
        "exclusion removed",
        "    - {type: forceMajeure}\n",
        "",
        [(S, "exclusion removed: force majeure")],
    ),
    (
        "shorter notice",
        "noticePeriod: 48h",
        "noticePeriod: 24h",
        [(W, "scheduled maintenance: notice period changed from 48 hours to 24 hours")],
    ),
    (
        "more maintenance",
        "maxPerPeriod: 4h",
        "maxPerPeriod: 8h",
        [
            (
                W,
                "scheduled maintenance: excluded time per period changed from 4 hours to 8 hours",
            )
        ],
    ),
    (
        "cap lowered",
        "cap: 30%",
        "cap: 20%",
        [(W, "credit cap for commitment 'uptime' lowered from 30% to 20%")],
    ),
    (
        "smaller step credit",
        "points: 0.5, credit: 10%",
        "points: 0.5, credit: 5%",
        [
            (
                W,
                "credits for commitment 'uptime': smaller credits (at 99.2% the credit is 5%, "
                "was 10%)",
            )
        ],
    ),
    (
        "partial step none",
        "partialStep: full",
        "partialStep: none",
        [
            (
                W,
                "credits for commitment 'uptime': a partly used step now earns nothing "
                "(before: its full credit)",
            ),
            (
                W,
                "credits for commitment 'uptime': smaller credits (at 99.2% the credit is 0%, "
                "was 10%)",
            ),
        ],
    ),
    (
        "larger tier credit",
        "credit: 5%}",
        "credit: 7%}",
        [
            (
                S,
                "credits for commitment 'latency': larger credits (at 94% the credit is 7%, "
                "was 5%)",
            )
        ],
    ),
    (
        "smaller credit base",
        "      commitment: uptime\n      base: monthlyFee",
        "      commitment: uptime\n      base: affectedServiceFee",
        [
            (
                W,
                "credits for commitment 'uptime' are now a share of the fee for the affected "
                "service, not the monthly fee",
            )
        ],
    ),
    (
        "credits removed",
        "    - type: serviceCredit\n      commitment: latency\n",
        "    - type: other\n      commitment: latency\n",
        [(W, "service credits for commitment 'latency' removed")],
    ),
    (
        "more breaches to terminate",
        "breaches: 3",
        "breaches: 4",
        [
            (
                W,
                "termination right for commitment 'uptime' now needs 4 breached periods "
                "instead of 3",
            )
        ],
    ),
    (
        "shorter claim window",
        "within: 30d",
        "within: 15d",
        [(W, "shorter claim window: 30 days before, 15 days now")],
    ),
    (
        "earlier claim anchor",
        "after: periodEnd",
        "after: incident",
        [(W, "claim deadline now runs from 'incident' instead of 'periodEnd'")],
    ),
    (
        "more evidence",
        "evidence: [Request IDs]",
        "evidence: [Request IDs, Screenshots]",
        [(W, "a claim now also needs evidence: 'Screenshots'")],
    ),
    (
        "slower escalation",
        "within: 2d}",
        "within: 5d}",
        [(W, "escalation level 1: response time changed from 2 days to 5 days")],
    ),
    (
        "low traffic counted good",
        "treatAs: bad",
        "treatAs: good",
        [(W, "low-traffic periods counted as 'good' instead of 'bad'")],
    ),
    (
        "wording only",
        "bad: HTTP 5xx",
        "bad: HTTP 5xx or timeouts",
        [(N, "measurement bad changed from 'HTTP 5xx' to 'HTTP 5xx or timeouts'")],
    ),
]


def compare(tmp_path: Path, old: str, new: str) -> DiffResult:
    base, head = tmp_path / "base", tmp_path / "head"
    for folder, text in ((base, old), (head, new)):
        folder.mkdir()
        (folder / "definitions.yaml").write_text(text)
    return diff_trees(
        open_tree(str(base), [], cwd=tmp_path), open_tree(str(head), [], cwd=tmp_path)
    )


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_sla_change_classified(
    tmp_path: Path, before: str, after: str, expected: list[tuple[str, str]]
) -> None:
    assert before in BASE
    result = compare(tmp_path, BASE, BASE.replace(before, after, 1))
    changes = [(c.effect, c.message) for c in result.changes if c.kind == "SLA"]
    assert changes == expected


def test_unversioned_change_names_commitment(tmp_path: Path) -> None:
    result = compare(tmp_path, BASE, BASE.replace("target: 99.5%", "target: 99.2%"))
    assert [f.code for f in result.findings] == ["SC901"]
    assert "commitment 'uptime': target lowered" in result.findings[0].message
    assert (result.findings[0].line, result.findings[0].column) == (45, 37)


def test_neutral_change_needs_no_version(tmp_path: Path) -> None:
    new = BASE.replace(
        "name: api-gold, version: 1.0.0}",
        "name: api-gold, version: 1.0.0, owner: legal}",
    )
    result = compare(tmp_path, BASE, new)
    assert result.findings == []
    assert [(c.effect, c.message) for c in result.changes] == [
        (N, "owner changed from nothing to 'legal'")
    ]


def test_sla_raised_to_slo_target(tmp_path: Path) -> None:
    new = BASE.replace("target: 99.5%", "target: 99.9%").replace(
        "version: 1.0.0", "version: 1.1.0"
    )
    result = compare(tmp_path, BASE, new)
    assert [f.code for f in result.findings] == ["SC903"]
    assert result.findings[0].message == (
        "commitment 'uptime' now promises 99.9%, as much as SLO 'api-availability' "
        "targets (99.9%); keep the SLA looser than its SLO"
    )


def test_slo_lowered_below_sla(tmp_path: Path) -> None:
    new = BASE.replace(
        "    - name: availability\n      target: 99.9%",
        "    - name: availability\n      target: 99.4%",
    )
    result = compare(tmp_path, BASE, new)
    assert [f.code for f in result.findings] == ["SC903"]
    assert (
        "more than SLO 'api-availability' targets (99.4%)" in result.findings[0].message
    )
    assert [(c.kind, c.message) for c in result.changes] == [
        (
            "SLO",
            "objective 'availability': target lowered from 99.9% to 99.4% (looser, "
            "so every SLA it backs has less margin)",
        ),
    ]


def test_kpi_target_looser(tmp_path: Path) -> None:
    result = compare(tmp_path, BASE, BASE.replace("target: 60", "target: 90"))
    assert [(c.kind, c.name, c.message) for c in result.changes] == [
        ("KPI", "mttr", "target changed from 60 to 90 (looser)"),
    ]


def test_sla_removed_is_weakening(tmp_path: Path) -> None:
    head = BASE[: BASE.index("---\napiVersion: slacheck/v1\nkind: SLA")]
    result = compare(tmp_path, BASE, head)
    assert [(c.effect, c.message) for c in result.changes] == [
        (W, "SLA removed: customers lose every commitment in it"),
    ]
    assert result.findings == []
