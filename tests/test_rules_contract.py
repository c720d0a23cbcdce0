"""Measurement, exclusion and claim rules (SC301-SC304, SC310, SC311)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacheck.lint import lint
from slacheck.settings import LintSettings

CODES = ["SC301", "SC302", "SC303", "SC304", "SC310", "SC311"]

# An SLA without measurement, exclusions, remedies or claims. Its `spec:` key
# is on line 5; every case appends fields from line 14 on.
HEAD = """\
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: api-enterprise
spec:
  service: api
  customers: {party: Enterprise customers}
  effectiveDate: "2026-01-01"
  commitments:
    - name: uptime
      target: 99.5%
      period: month
      timeZone: UTC
"""

MEASUREMENT = """\
  measurement:
    source: Load balancer access logs
    unit: event
    bad: A request answered with HTTP 5xx
    lowTraffic: {minimumEvents: 100, treatAs: good}
"""
EXCLUSIONS = """\
  exclusions:
    - type: forceMajeure
"""
REMEDIES = """\
  remedies:
    - type: serviceCredit
      tiers:
        - below: 99.5%
          credit: 10%
"""
CLAIMS = """\
  claims:
    channel: Support ticket
    deadline: {within: 30d, after: periodEnd}
"""


def findings(tmp_path: Path, body: str) -> list[tuple[int, int, str]]:
    path = tmp_path / "sla.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    result = lint(LintSettings(paths=[str(path)], select=CODES))
    return [(f.line, f.column, f.code) for f in result.findings]


CASES = {
    "complete contract": (MEASUREMENT + EXCLUSIONS + REMEDIES + CLAIMS, []),
    "no measurement": (EXCLUSIONS, [(5, 1, "SC301")]),
    "measurement without bad or lowTraffic": (
        "  measurement:\n"
        "    source: Load balancer access logs\n"
        "    unit: event\n" + EXCLUSIONS,
        [(14, 3, "SC302"), (14, 3, "SC302")],
    ),
    "measurement without source or unit": (
        "  measurement:\n"
        "    bad: A request answered with HTTP 5xx\n"
        "    lowTraffic: {minimumEvents: 100, treatAs: good}\n" + EXCLUSIONS,
        [(14, 3, "SC302"), (14, 3, "SC302")],
    ),
    "interval unit without interval": (
        "  measurement:\n"
        "    source: Load balancer access logs\n"
        "    unit: interval\n"
        "    bad: A minute with more than 5% of requests failed\n"
        "    lowTraffic: {minimumEvents: 10, treatAs: good}\n" + EXCLUSIONS,
        [(16, 11, "SC302")],
    ),
    "interval unit with interval": (
        "  measurement:\n"
        "    source: Load balancer access logs\n"
        "    unit: interval\n"
        "    interval: 1m\n"
        "    bad: A minute with more than 5% of requests failed\n"
        "    lowTraffic: {minimumEvents: 10, treatAs: good}\n" + EXCLUSIONS,
        [],
    ),
    "empty measurement": (
        "  measurement: {}\n" + EXCLUSIONS,
        [(14, 3, "SC302")] * 4,
    ),
    "no exclusions": (MEASUREMENT, [(5, 1, "SC303")]),
    "empty exclusions": (MEASUREMENT + "  exclusions: []\n", [(19, 15, "SC303")]),
    "maintenance without notice": (
        MEASUREMENT + "  exclusions:\n"
        "    - type: forceMajeure\n"
        "    - type: scheduledMaintenance\n"
        "      maxPerPeriod: 4h\n",
        [(21, 13, "SC304")],
    ),
    "maintenance with notice": (
        MEASUREMENT + "  exclusions:\n"
        "    - type: scheduledMaintenance\n"
        "      noticePeriod: 48h\n",
        [],
    ),
    "emergency maintenance needs no notice": (
        MEASUREMENT + "  exclusions:\n    - type: emergencyMaintenance\n",
        [],
    ),
    "remedies without claims": (MEASUREMENT + EXCLUSIONS + REMEDIES, [(5, 1, "SC310")]),
    "no remedies and no claims": (MEASUREMENT + EXCLUSIONS, []),
    "termination remedy without claims": (
        MEASUREMENT
        + EXCLUSIONS
        + "  remedies:\n    - type: termination\n      breaches: 3\n",
        [(5, 1, "SC310")],
    ),
    "claims without channel": (
        MEASUREMENT
        + EXCLUSIONS
        + REMEDIES
        + "  claims:\n    deadline: {within: 30d, after: periodEnd}\n",
        [(26, 3, "SC310")],
    ),
    "claims without deadline": (
        MEASUREMENT
        + EXCLUSIONS
        + REMEDIES
        + "  claims:\n    channel: Support ticket\n",
        [(26, 3, "SC311")],
    ),
    "deadline without anchor": (
        MEASUREMENT + EXCLUSIONS + REMEDIES + "  claims:\n"
        "    channel: Support ticket\n"
        "    deadline:\n"
        "      within: 30d\n",
        [(28, 5, "SC311")],
    ),
    "deadline without duration": (
        MEASUREMENT + EXCLUSIONS + REMEDIES + "  claims:\n"
        "    channel: Support ticket\n"
        "    deadline:\n"
        "      after: incident\n",
        [(28, 5, "SC311")],
    ),
    "empty deadline": (
        MEASUREMENT
        + EXCLUSIONS
        + REMEDIES
        + "  claims:\n    channel: Support ticket\n    deadline: {}\n",
        [(28, 5, "SC311"), (28, 5, "SC311")],
    ),
    "claims checked without remedies": (
        MEASUREMENT + EXCLUSIONS + "  claims:\n    channel: Support ticket\n",
        [(21, 3, "SC311")],
    ),
}


@pytest.mark.parametrize(("body", "expected"), CASES.values(), ids=CASES.keys())
def test_contract_rule_positions(
    tmp_path: Path, body: str, expected: list[tuple[int, int, str]]
) -> None:
    assert findings(tmp_path, body) == expected


def messages(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "sla.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    result = lint(LintSettings(paths=[str(path)], select=CODES))
    return [f.message for f in result.findings]


def test_incomplete_methodology_names_each_field(tmp_path: Path) -> None:
    found = messages(tmp_path, "  measurement:\n    unit: event\n" + EXCLUSIONS)
    # Findings at one position are sorted by message.
    assert [m.split(";")[0] for m in found] == [
        "measurement has no 'bad'",
        "measurement has no 'lowTraffic'",
        "measurement has no 'source'",
    ]


def test_deadline_message_quotes_duration(tmp_path: Path) -> None:
    body = (
        MEASUREMENT
        + EXCLUSIONS
        + REMEDIES
        + "  claims:\n    channel: Support ticket\n    deadline: {within: 30d}\n"
    )
    assert messages(tmp_path, body) == [
        "claim deadline 'within: 30d' has no anchor, so nobody can tell when the "
        "time starts; add 'after' (periodEnd, incident, invoice or breachNotice)"
    ]


def test_missing_field_points_at_parent_key(tmp_path: Path) -> None:
    path = tmp_path / "sla.yaml"
    path.write_text(HEAD + EXCLUSIONS, encoding="utf-8")
    result = lint(LintSettings(paths=[str(path)], select=["SC301"]))
    assert [f.field_path for f in result.findings] == ["$.spec"]
    assert [f.severity.name for f in result.findings] == ["ERROR"]
