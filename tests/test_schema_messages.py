"""JSON Schema errors: each message says what is wrong, at the right place."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacheck.lint import load_definitions

SLO = """\
apiVersion: slacheck/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  service: checkout
  indicatorRef: checkout-availability
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - name: availability
      target: 99.9%
"""

SLA = """\
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: checkout-enterprise
spec:
  service: checkout
  effectiveDate: "2026-01-01"
  commitments:
    - name: monthly-uptime
      sloRef: checkout-availability
      target: 99.5%
      period: month
      timeZone: UTC
"""


def schema_findings(tmp_path: Path, text: str) -> list[tuple[int, int, str, str]]:
    path = tmp_path / "definition.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_definitions([str(path)])
    return [
        (f.line, f.column, f.field_path, f.message)
        for f in sorted(loaded.findings, key=lambda f: f.sort_key())
        if f.code == "SC010"
    ]


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


CASES = [
    pytest.param(
        edit(SLO, "target: 99.9%", "target: 99.9"),
        [
            (
                14,
                15,
                "$.spec.objectives[0].target",
                "$.spec.objectives[0].target is 99.9, but this field is a ratio "
                "between 0 and 1; did you mean '99.9%' (or targetPercent: 99.9)?",
            )
        ],
        id="ratio-above-one",
    ),
    pytest.param(
        edit(SLO, "target: 99.9%", "target: 999"),
        [
            (
                14,
                15,
                "$.spec.objectives[0].target",
                "$.spec.objectives[0].target is 999, but a ratio lies between 0 and 1; "
                "write a ratio such as 0.999 or a percentage such as '99.9%'",
            )
        ],
        id="ratio-far-above-one",
    ),
    pytest.param(
        edit(SLO, "target: 99.9%", "target: '99.9'"),
        [
            (
                14,
                15,
                "$.spec.objectives[0].target",
                "$.spec.objectives[0].target is '99.9', a number in quotes; "
                "did you mean '99.9%'?",
            )
        ],
        id="ratio-quoted-number",
    ),
    pytest.param(
        edit(SLO, "target: 99.9%", "target: 101%"),
        [
            (
                14,
                15,
                "$.spec.objectives[0].target",
                "$.spec.objectives[0].target is '101%', but a percentage lies "
                "between 0% and 100%",
            )
        ],
        id="percentage-above-100",
    ),
    pytest.param(
        edit(SLO, "target: 99.9%", "target: 99.9%\n      targetPercent: 99.9"),
        [
            (
                13,
                7,
                "$.spec.objectives[0]",
                "$.spec.objectives[0] sets 'target' and 'targetPercent'; "
                "keep only one of them",
            )
        ],
        id="target-and-target-percent",
    ),
    pytest.param(
        edit(
            SLO,
            "    - name: availability\n      target: 99.9%",
            "    - name: availability",
        ),
        [
            (
                13,
                7,
                "$.spec.objectives[0]",
                "$.spec.objectives[0] needs one of 'target' or 'targetPercent'",
            )
        ],
        id="no-target",
    ),
    pytest.param(
        edit(SLA, "      sloRef:", "      sloRf:"),
        [
            (
                10,
                7,
                "$.spec.commitments[0].sloRf",
                "unknown field 'sloRf' in $.spec.commitments[0]; "
                "did you mean 'sloRef'?",
            )
        ],
        id="unknown-field-did-you-mean",
    ),
    pytest.param(
        edit(
            SLA,
            "  service: checkout\n",
            "  service: checkout\n  colour: blue\n  xyzzy: 1\n",
        ),
        [
            (
                7,
                3,
                "$.spec.colour",
                "unknown field 'colour' in $.spec; allowed fields: claims, "
                "commitments, "
                "customers, description, effectiveDate, escalation, exclusions, "
                "expiryDate, measurement, remedies, service",
            ),
            (
                8,
                3,
                "$.spec.xyzzy",
                "unknown field 'xyzzy' in $.spec; allowed fields: claims, commitments, "
                "customers, description, effectiveDate, escalation, exclusions, "
                "expiryDate, measurement, remedies, service",
            ),
        ],
        id="two-unknown-fields",
    ),
    pytest.param(
        edit(SLA, "timeZone: UTC", "timeZone: Europe/Berln"),
        [
            (
                13,
                17,
                "$.spec.commitments[0].timeZone",
                "$.spec.commitments[0].timeZone is 'Europe/Berln', not an IANA time "
                "zone; did you mean 'Europe/Berlin'?",
            )
        ],
        id="unknown-time-zone",
    ),
    pytest.param(
        edit(SLA, '"2026-01-01"', '"2026-02-30"'),
        [
            (
                7,
                18,
                "$.spec.effectiveDate",
                "$.spec.effectiveDate is '2026-02-30', which is not a valid "
                "calendar date: February 2026 has 28 days, not 30",
            )
        ],
        id="bad-date",
    ),
    pytest.param(
        edit(SLA, '"2026-01-01"', "01/02/2026"),
        [
            (
                7,
                18,
                "$.spec.effectiveDate",
                "$.spec.effectiveDate is '01/02/2026', not a date; "
                "write YYYY-MM-DD in quotes",
            )
        ],
        id="date-in-other-order",
    ),
    pytest.param(
        edit(SLO, "duration: 28d", "duration: 1 month"),
        [
            (
                10,
                17,
                "$.spec.timeWindow[0].duration",
                "$.spec.timeWindow[0].duration is '1 month', not a duration; write a "
                "number and one of the units ms, s, m (minutes), h, d, w, such as 30d; "
                "calendar months, quarters and years are contract periods "
                "(period: month), not durations",
            )
        ],
        id="duration-1-month",
    ),
    pytest.param(
        edit(SLO, "duration: 28d", "duration: 28"),
        [
            (
                10,
                17,
                "$.spec.timeWindow[0].duration",
                "$.spec.timeWindow[0].duration is the number 28, but a duration needs "
                "a unit: ms, s, m (minutes), h, d or w, such as 28d",
            )
        ],
        id="duration-without-unit",
    ),
    pytest.param(
        edit(SLA, "period: month", "period: 1m"),
        [
            (
                12,
                15,
                "$.spec.commitments[0].period",
                "$.spec.commitments[0].period is '1m'; use one of month, quarter, "
                "year; a contract period is a calendar unit, not a duration "
                "('m' means minutes)",
            )
        ],
        id="period-as-duration",
    ),
    pytest.param(
        edit(SLO, "budgetingMethod: Occurrences", "budgetingMethod: Ocurrences"),
        [
            (
                8,
                20,
                "$.spec.budgetingMethod",
                "$.spec.budgetingMethod is 'Ocurrences'; use one of Occurrences, "
                "Timeslices, RatioTimeslices (did you mean 'Occurrences'?)",
            )
        ],
        id="enum-typo",
    ),
    pytest.param(
        edit(SLO, "      target: 99.9%", "      target: 99%\n      op: lte"),
        [
            (
                13,
                7,
                "$.spec.objectives[0]",
                "$.spec.objectives[0] sets 'op' but not 'value'; set both or neither",
            )
        ],
        id="op-without-value",
    ),
    pytest.param(
        edit(
            SLO,
            "  name: checkout-availability\n",
            "  name: checkout-availability\n  version: 1.0\n",
        ),
        [
            (
                5,
                12,
                "$.metadata.version",
                "$.metadata.version should be a string, not the number 1.0",
            )
        ],
        id="number-for-string",
    ),
    pytest.param(
        edit(SLA, "  commitments:\n", "  commitments: {}\n  unused:\n"),
        [
            (
                8,
                16,
                "$.spec.commitments",
                "$.spec.commitments should be an array, not a mapping",
            ),
            (
                9,
                3,
                "$.spec.unused",
                "unknown field 'unused' in $.spec; allowed fields: claims, "
                "commitments, "
                "customers, description, effectiveDate, escalation, exclusions, "
                "expiryDate, measurement, remedies, service",
            ),
        ],
        id="mapping-for-list",
    ),
    pytest.param(
        edit(SLO, "  budgetingMethod: Occurrences\n", ""),
        [
            (
                5,
                1,
                "$.spec",
                "$.spec is missing required field 'budgetingMethod'",
            )
        ],
        id="missing-required",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_schema_message(tmp_path: Path, text: str, expected: list[tuple]) -> None:
    assert schema_findings(tmp_path, text) == expected


def test_valid_documents_have_no_schema_findings(tmp_path: Path) -> None:
    assert schema_findings(tmp_path, SLO) == []
    assert schema_findings(tmp_path, SLA) == []


def test_schema_findings_carry_document(tmp_path: Path) -> None:
    path = tmp_path / "definition.yaml"
    path.write_text(
        edit(SLA, "timeZone: UTC", "timeZone: Mars/Olympus"), encoding="utf-8"
    )
    [finding] = load_definitions([str(path)]).findings
    assert (finding.kind, finding.name) == ("SLA", "checkout-enterprise")
    assert finding.code == "SC010"
