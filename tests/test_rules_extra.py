"""Rules for mistakes that once passed silently (SC105, SC208, SC209, SC313,
SC314, SC503) and durations of zero length (SC010)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from slacheck.findings import Severity
from slacheck.lint import lint
from slacheck.settings import LintSettings

REPO = Path(__file__).resolve().parents[1]

Position = tuple[int, int, str]


def run(tmp_path: Path, text: str, codes: list[str]) -> list[tuple[int, int, str, str]]:
    path = tmp_path / "definitions.yaml"
    path.write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(path)], select=codes))
    return [(f.line, f.column, f.code, f.message) for f in result.findings]


def positions(tmp_path: Path, text: str, codes: list[str]) -> list[Position]:
    found = run(tmp_path, text, codes)
    return [(line, column, code) for line, column, code, _ in found]


# -- SC313: a service credit that can never be paid --------------------------

# A customer SLA with one commitment at 99.5%; cases append from line 14 on.
SLA_HEAD = """\
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


def credit(*lines: str) -> str:
    """Build one serviceCredit remedy (lines 14-15) followed by ``lines``."""
    return "\n".join(["  remedies:", "    - type: serviceCredit", *lines]) + "\n"


CREDIT_CASES = {
    "neither tiers nor step": (
        credit("      commitment: uptime", "      description: At our discretion"),
        [(15, 13, "SC313")],
    ),
    "cap of 0%": (
        credit("      cap: 0%", "      tiers:", "        - {below: 99.5%, credit: 1%}"),
        [(16, 12, "SC313")],
    ),
    "cap of number 0": (
        credit("      cap: 0", "      tiers:", "        - {below: 99.5%, credit: 10%}"),
        [(16, 12, "SC313")],
    ),
    "first tier credits 0%": (
        credit(
            "      tiers:",
            "        - {below: 99.5%, atLeast: 99%, credit: 0%}",
            "        - {below: 99%, credit: 10%}",
        ),
        [(17, 48, "SC313")],
    ),
    # SC307 would call this a shrinking credit; SC313 alone reports it.
    "lower tier credits 0%": (
        credit(
            "      tiers:",
            "        - {below: 99.5%, atLeast: 99%, credit: 10%}",
            "        - {below: 99%, credit: 0%}",
        ),
        [(18, 32, "SC313")],
    ),
    "step credits 0%": (
        credit(
            "      step: {below: 99.5%, points: 0.5, credit: 0%, partialStep: full}"
        ),
        [(16, 49, "SC313")],
    ),
    "cap and tier both 0%": (
        credit("      cap: 0%", "      tiers:", "        - {below: 99.5%, credit: 0%}"),
        [(16, 12, "SC313"), (18, 34, "SC313")],
    ),
    "tiers that pay": (
        credit(
            "      cap: 50%",
            "      tiers:",
            "        - {below: 99.5%, atLeast: 99%, credit: 10%}",
            "        - {below: 99%, credit: 25%}",
        ),
        [],
    ),
    "step that pays": (
        credit(
            "      cap: 30%",
            "      step: {below: 99.5%, points: 0.5, credit: 10%, partialStep: full}",
        ),
        [],
    ),
    "other remedy without schedule": (
        "  remedies:\n    - type: other\n      description: A free month\n",
        [],
    ),
}


@pytest.mark.parametrize("case", sorted(CREDIT_CASES))
def test_credit_never_paid(tmp_path: Path, case: str) -> None:
    tail, expected = CREDIT_CASES[case]
    assert positions(tmp_path, SLA_HEAD + tail, ["SC307", "SC313"]) == expected


def test_credit_never_paid_messages(tmp_path: Path) -> None:
    text = SLA_HEAD + credit(
        "      cap: 0%",
        "      tiers:",
        "        - {below: 99.5%, atLeast: 99%, credit: 0%}",
        "        - {below: 99%, credit: 10%}",
    )
    messages = [message for *_, message in run(tmp_path, text, ["SC313"])]
    assert messages == [
        "'cap: 0%' limits every credit of this remedy to nothing, so it never "
        "pays; raise the cap or remove it",
        "the tier below 99.5% credits 0%, so a month in it is breached yet owes "
        "nothing; set a credit above 0% or remove the tier",
    ]


def test_remedy_without_schedule_message(tmp_path: Path) -> None:
    text = SLA_HEAD + credit("      commitment: uptime")
    assert run(tmp_path, text, ["SC313"]) == [
        (
            15,
            13,
            "SC313",
            "serviceCredit remedy has neither 'tiers' nor 'step', so it names no "
            "credit and never pays; add a credit schedule, such as "
            "'tiers: [{below: 99.5%, credit: 10%}]'",
        )
    ]


# -- SC314: the SLA's expiry against its effective date ----------------------

TERM = """\
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: api-enterprise
spec:
  service: api
  effectiveDate: "2026-03-01"
  expiryDate: {expiry}
  commitments:
    - name: uptime
      target: 99.5%
      period: month
      timeZone: UTC
"""

TERM_CASES = [
    pytest.param(
        '"2026-02-28"',
        [
            (
                8,
                15,
                "SC314",
                "expiryDate 2026-02-28 is before effectiveDate 2026-03-01, so the "
                "SLA is never in force; set the last day of the agreement, after "
                "the effective date",
            )
        ],
        id="day-before",
    ),
    pytest.param(
        '"2025-03-01"',
        [
            (
                8,
                15,
                "SC314",
                "expiryDate 2025-03-01 is before effectiveDate 2026-03-01, so the "
                "SLA is never in force; set the last day of the agreement, after "
                "the effective date",
            )
        ],
        id="year-mistyped",
    ),
    pytest.param(
        '"2026-03-01"',
        [
            (
                8,
                15,
                "SC314",
                "expiryDate 2026-03-01 is the same day as effectiveDate, so the SLA "
                "is in force for one day; set the last day of the agreement, after "
                "the effective date",
            )
        ],
        id="same-day",
    ),
    pytest.param('"2026-03-02"', [], id="day-after"),
    pytest.param('"2027-02-28"', [], id="one-year"),
    # An invalid date is the schema's finding (SC010), not a comparison.
    pytest.param('"2026-02-30"', [], id="invalid-date"),
]


@pytest.mark.parametrize(("expiry", "expected"), TERM_CASES)
def test_expiry_before_effective(
    tmp_path: Path, expiry: str, expected: list[tuple[int, int, str, str]]
) -> None:
    text = TERM.replace("{expiry}", expiry)
    assert run(tmp_path, text, ["SC314"]) == expected


def test_expiry_missing_is_silent(tmp_path: Path) -> None:
    text = TERM.replace("  expiryDate: {expiry}\n", "")
    assert run(tmp_path, text, ["SC314"]) == []


# -- SC208: the backing SLO measures another service -------------------------

SLOS = """\
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
    - target: 99.9%
---
apiVersion: slacheck/v1
kind: SLO
metadata:
  name: billing-availability
spec:
  service: billing
  indicatorRef: billing-availability
  budgetingMethod: Occurrences
  timeWindow:
    - isRolling: false
      calendar: {period: month, timeZone: UTC}
  objectives:
    - target: 99.9%
---
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: api-enterprise
spec:
  service: api
  effectiveDate: "2026-01-01"
  commitments:
    - name: uptime
      sloRef: {slo}
      target: 99.5%
      period: month
      timeZone: UTC
"""

BACKING_CASES = [
    pytest.param("api-availability", [], id="same-service"),
    pytest.param(
        "billing-availability",
        [
            (
                38,
                15,
                "SC208",
                "commitment 'uptime' is backed by SLO 'billing-availability' of "
                "service 'billing', but this SLA is for service 'api'; point "
                "'sloRef' at an SLO of 'api'",
            )
        ],
        id="other-service",
    ),
    # An unresolved name is SC101's finding.
    pytest.param("checkout-availability", [], id="unresolved"),
]


@pytest.mark.parametrize(("slo", "expected"), BACKING_CASES)
def test_backing_slo_other_service(
    tmp_path: Path, slo: str, expected: list[tuple[int, int, str, str]]
) -> None:
    text = SLOS.replace("{slo}", slo)
    assert run(tmp_path, text, ["SC208"]) == expected


def test_backing_slo_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "definitions.yaml"
    path.write_text(SLOS.replace("{slo}", "billing-availability"), encoding="utf-8")
    result = lint(LintSettings(paths=[str(path)], select=["SC208"]))
    assert [f.severity for f in result.findings] == [Severity.WARNING]
    assert not result.failed(Severity.ERROR)


# -- SC105: two members of one document share a name -------------------------

COMMITMENT = """\
    - name: {name}
      sloRef: api-availability
      target: 99.5%
      period: month
      timeZone: UTC
"""

SLA_START = """\
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: api-enterprise
spec:
  service: api
  effectiveDate: "2026-01-01"
  commitments:
"""

SLO_START = """\
apiVersion: slacheck/v1
kind: SLO
metadata:
  name: api-availability
spec:
  service: api
  indicatorRef: api-availability
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
"""


def commitments(*names: str) -> str:
    return SLA_START + "".join(COMMITMENT.replace("{name}", n) for n in names)


def objectives(*rows: str) -> str:
    return SLO_START + "".join(f"    - {row}\n" for row in rows)


MEMBER_CASES = {
    "two commitments alike": (commitments("uptime", "uptime"), [(14, 13, "SC105")]),
    "three commitments alike": (
        commitments("uptime", "uptime", "uptime"),
        [(14, 13, "SC105"), (19, 13, "SC105")],
    ),
    "commitments differ": (commitments("uptime", "latency"), []),
    "two objectives alike": (
        objectives("{name: a, target: 99.9%}", "{name: a, target: 99.5%}"),
        [(14, 14, "SC105")],
    ),
    "objectives differ": (
        objectives("{name: a, target: 99.9%}", "{name: b, target: 99.5%}"),
        [],
    ),
    "objectives without names": (
        objectives("{target: 99.9%}", "{target: 99.5%}"),
        [],
    ),
    "objectives with the same displayName": (
        objectives(
            "{displayName: Fast, target: 99.9%}", "{displayName: Fast, target: 99%}"
        ),
        [(14, 21, "SC105")],
    ),
}


@pytest.mark.parametrize("case", sorted(MEMBER_CASES))
def test_duplicate_member_name(tmp_path: Path, case: str) -> None:
    text, expected = MEMBER_CASES[case]
    assert positions(tmp_path, text, ["SC105"]) == expected


def test_duplicate_member_message(tmp_path: Path) -> None:
    found = run(tmp_path, commitments("uptime", "latency", "uptime"), ["SC105"])
    assert found == [
        (
            19,
            13,
            "SC105",
            "commitment name 'uptime' is already used on line 9, so a reference to "
            "'uptime' cannot tell them apart; rename one",
        )
    ]


# -- SC503: a KPI target that does not fit its unit --------------------------

KPI = """\
apiVersion: slacheck/v1
kind: KPI
metadata:
  name: mttr
  owner: sre-lead
spec:
  metric: Mean time to restore
  unit: {unit}
  target: {target}
  direction: lowerIsBetter
"""

KPI_CASES = [
    pytest.param(
        "minutes",
        "60%",
        "target '60%' is a percentage, but the KPI's unit is 'minutes'; write the "
        "target in minutes (such as 'target: 60'), or set 'unit: percent'",
        id="minutes-percentage",
    ),
    pytest.param(
        "count",
        "'5%'",
        "target '5%' is a percentage, but the KPI's unit is 'count'; write the "
        "target in count (such as 'target: 5'), or set 'unit: percent'",
        id="count-percentage",
    ),
    pytest.param(
        "ratio",
        "15",
        "target 15 is above 1, but a ratio is a share between 0 and 1; write it "
        "as a ratio (such as 'target: 0.15') or as 'target: 15%', or set "
        "'unit: percent'",
        id="ratio-above-one",
    ),
    pytest.param(
        "ratio",
        "1.5",
        "target 1.5 is above 1, but a ratio is a share between 0 and 1; write it "
        "as a ratio (such as 'target: 0.015') or as 'target: 1.5%', or set "
        "'unit: percent'",
        id="ratio-decimal-above-one",
    ),
    pytest.param("percent", "60%", None, id="percent-percentage"),
    pytest.param("percent", "60", None, id="percent-number"),
    pytest.param("ratio", "15%", None, id="ratio-percentage"),
    pytest.param("ratio", "0.15", None, id="ratio-share"),
    pytest.param("ratio", "1", None, id="ratio-one"),
    pytest.param("minutes", "60", None, id="minutes-number"),
    pytest.param("count", "1500", None, id="count-number"),
]


@pytest.mark.parametrize(("unit", "target", "message"), KPI_CASES)
def test_kpi_unit_mismatch(
    tmp_path: Path, unit: str, target: str, message: str | None
) -> None:
    text = KPI.replace("{unit}", unit).replace("{target}", target)
    expected = [] if message is None else [(9, 11, "SC503", message)]
    assert run(tmp_path, text, ["SC503", "SC010"]) == expected


# -- SC209: a threshold in a unit its indicator does not measure -------------

THRESHOLD = """\
apiVersion: slacheck/v1
kind: SLI
metadata:
  name: api-signal
spec:
  service: api
  thresholdMetric:
    source: prometheus
    query: api_signal
    unit: {unit}
---
apiVersion: slacheck/v1
kind: SLO
metadata:
  name: api-signal
spec:
  service: api
  indicatorRef: api-signal
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - op: lte
      value: {value}
      target: 99%
"""

THRESHOLD_CASES = [
    pytest.param("count", "500ms", [(25, 14, "SC209")], id="count-time"),
    pytest.param("count", "5%", [(25, 14, "SC209")], id="count-percentage"),
    pytest.param("count", "500", [], id="count-number"),
    pytest.param("percent", "2s", [(25, 14, "SC209")], id="percent-time"),
    pytest.param("percent", "95%", [], id="percent-percentage"),
    pytest.param("percent", "95", [], id="percent-number"),
    pytest.param("ms", "95%", [(25, 14, "SC209")], id="time-percentage"),
    pytest.param("s", "500ms", [], id="time-other-time-unit"),
    pytest.param("us", "1m", [], id="time-minutes"),
    # A bare number on a time indicator is SC207's finding, reported once.
    pytest.param("ms", "500", [(25, 14, "SC207")], id="time-number"),
]


@pytest.mark.parametrize(("unit", "value", "expected"), THRESHOLD_CASES)
def test_threshold_unit_mismatch(
    tmp_path: Path, unit: str, value: str, expected: list[Position]
) -> None:
    text = THRESHOLD.replace("{unit}", unit).replace("{value}", value)
    assert positions(tmp_path, text, ["SC207", "SC209"]) == expected


def test_threshold_mismatch_message(tmp_path: Path) -> None:
    text = THRESHOLD.replace("{unit}", "count").replace("{value}", "500ms")
    assert [message for *_, message in run(tmp_path, text, ["SC209"])] == [
        "threshold '500ms' is a time, but its indicator measures a count "
        "(thresholdMetric.unit: count); write it as a count, such as '500', or "
        "check which SLI it is measured against"
    ]


def test_commitment_threshold_uses_the_slo_indicator(tmp_path: Path) -> None:
    sla = """\
---
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: api-enterprise
spec:
  service: api
  effectiveDate: "2026-01-01"
  commitments:
    - name: signal
      sloRef: api-signal
      op: lte
      value: 1s
      target: 95%
      period: month
      timeZone: UTC
"""
    text = THRESHOLD.replace("{unit}", "count").replace("{value}", "500") + sla
    assert run(tmp_path, text, ["SC209"]) == [
        (
            39,
            14,
            "SC209",
            "threshold '1s' is a time, but its indicator measures a count "
            "(thresholdMetric.unit: count); write it as a count, such as '1', or "
            "check which SLI it is measured against",
        )
    ]


# -- durations of zero length -------------------------------------------------


def duration_pattern() -> re.Pattern[str]:
    common = json.loads((REPO / "schemas" / "v1" / "common.json").read_text())
    return re.compile(common["$defs"]["duration"]["pattern"])


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("28d", True),
        ("500ms", True),
        ("0.5s", True),
        ("1.0h", True),
        ("01d", True),
        ("0.01w", True),
        ("10m", True),
        ("0d", False),
        ("0s", False),
        ("00d", False),
        ("0.0h", False),
        ("0.000ms", False),
        ("5", False),
        (".5d", False),
        ("1.d", False),
        ("5mo", False),
    ],
)
def test_duration_pattern(text: str, valid: bool) -> None:
    assert (duration_pattern().search(text) is not None) is valid


@pytest.mark.parametrize(
    ("duration", "expected"),
    [("0d", [(10, 17, "SC010")]), ("0s", [(10, 17, "SC010")]), ("1s", [])],
)
def test_rolling_window_of_zero(
    tmp_path: Path, duration: str, expected: list[Position]
) -> None:
    text = SLO_START.replace("28d", duration) + "    - target: 99.9%\n"
    assert positions(tmp_path, text, ["SC010"]) == expected
