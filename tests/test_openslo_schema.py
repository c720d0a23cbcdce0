"""OpenSLO v1 field rules: valid files in every layout, and SC010 at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacheck.lint import lint
from slacheck.settings import LintSettings

SERVICE = """\
apiVersion: openslo/v1
kind: Service
metadata:
  name: web
  displayName: Web shop
  labels:
    team: [shop, payments]
    tier: "1"
  annotations:
    example.com/dashboard: https://grafana.example.com/d/web
spec:
  description: Public web shop.
"""

DATA_SOURCE = """\
apiVersion: openslo/v1
kind: DataSource
metadata:
  name: prometheus
spec:
  type: Prometheus
  connectionDetails:
    url: http://prometheus:9090
"""

SLI = """\
apiVersion: openslo/v1
kind: SLI
metadata:
  name: web-responses
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        metricSourceRef: prometheus
        spec:
          query: sum(rate(http_requests_total{code!~"5.."}[5m]))
    total:
      metricSource:
        metricSourceRef: prometheus
        spec:
          query: sum(rate(http_requests_total[5m]))
"""

SLO = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: web-availability
spec:
  service: web
  indicatorRef: web-responses
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: "2026-01-01 00:00:00"
        timeZone: Europe/Berlin
  budgetingMethod: Timeslices
  objectives:
    - displayName: Available
      targetPercent: 99.9
      timeSliceTarget: 0.95
      timeSliceWindow: 5m
  alertPolicies:
    - alertPolicyRef: web-fast-burn
"""

ALERT_CONDITION = """\
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: web-fast-burn
spec:
  severity: page
  condition:
    kind: burnrate
    op: gt
    threshold: 14.4
    lookbackWindow: 1h
    alertAfter: 0m
"""

ALERT_TARGET = """\
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata:
  name: web-on-call
spec:
  target: pagerduty
"""

ALERT_POLICY = """\
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: web-fast-burn
spec:
  alertWhenBreaching: true
  alertWhenNoData: false
  conditions:
    - conditionRef: web-fast-burn
  notificationTargets:
    - targetRef: web-on-call
    - kind: AlertNotificationTarget
      metadata: {name: web-team-email}
      spec: {target: email}
"""

ALL_KINDS = [
    SERVICE,
    DATA_SOURCE,
    SLI,
    SLO,
    ALERT_CONDITION,
    ALERT_TARGET,
    ALERT_POLICY,
]


def _lint(folder: Path) -> list[tuple[str, int, int, str, str]]:
    result = lint(LintSettings(paths=[str(folder)]))
    return [
        (Path(f.path).name, f.line, f.column, f.code, f.message)
        for f in result.findings
    ]


def _as_list_item(document: str) -> str:
    lines = document.splitlines()
    return "\n".join(["- " + lines[0], *("  " + line for line in lines[1:])]) + "\n"


LAYOUTS = {
    "one file per document": lambda: {
        f"doc{index}.yaml": text for index, text in enumerate(ALL_KINDS)
    },
    "documents separated by ---": lambda: {"all.yaml": "---\n".join(ALL_KINDS)},
    "top-level list": lambda: {
        "all.yaml": "".join(_as_list_item(text) for text in ALL_KINDS)
    },
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_kind_loads_clean_in_every_layout(layout: str, tmp_path: Path) -> None:
    for name, text in LAYOUTS[layout]().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(tmp_path)]))
    assert result.findings == []
    kinds = sorted(document.kind for document in result.catalog.documents)
    assert kinds == sorted(
        [
            "Service",
            "DataSource",
            "SLI",
            "SLO",
            "AlertCondition",
            "AlertNotificationTarget",
            "AlertPolicy",
        ]
    )


def test_service_without_spec_is_valid(tmp_path: Path) -> None:
    text = "apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: web\n"
    (tmp_path / "svc.yaml").write_text(text, encoding="utf-8")
    assert _lint(tmp_path) == []


def _slo_with(objectives: str, *, head: str = "", window: str = "") -> str:
    """An SLO whose spec starts on line 5; ``head`` replaces its indicatorRef line."""
    head = head or "  indicatorRef: web-responses\n"
    return (
        "apiVersion: openslo/v1\n"
        "kind: SLO\n"
        "metadata:\n"
        "  name: web-availability\n"
        "spec:\n"
        "  service: web\n"
        f"{head}"
        f"{window}"
        "  budgetingMethod: Occurrences\n"
        "  objectives:\n"
        f"{objectives}"
    )


ROLLING = "  timeWindow:\n    - duration: 28d\n      isRolling: true\n"

# (document, line, column, text the message must contain)
INVALID = {
    "target and targetPercent": (
        _slo_with("    - target: 0.99\n      targetPercent: 99\n"),
        10,
        7,
        "$.spec.objectives[0] sets 'target' and 'targetPercent'; keep only one",
    ),
    "no target": (
        _slo_with("    - displayName: Good\n"),
        10,
        7,
        "$.spec.objectives[0] needs one of 'target' or 'targetPercent'",
    ),
    "target of 1": (
        _slo_with("    - target: 1\n"),
        10,
        15,
        "$.spec.objectives[0].target is the number 1; it must be less than 1",
    ),
    "targetPercent of 100": (
        _slo_with("    - targetPercent: 100\n"),
        10,
        22,
        "it must be less than 100",
    ),
    "negative target": (
        _slo_with("    - target: -0.5\n"),
        10,
        15,
        "it must be at least 0",
    ),
    "target as a percentage string": (
        _slo_with("    - target: 99.9%\n"),
        10,
        15,
        "$.spec.objectives[0].target should be a number, not '99.9%'",
    ),
    "value with a unit": (
        _slo_with("    - op: lt\n      value: 500ms\n      target: 0.99\n"),
        11,
        14,
        "$.spec.objectives[0].value should be a number, not '500ms'",
    ),
    "unknown operator": (
        _slo_with("    - op: le\n      value: 500\n      target: 0.99\n"),
        10,
        11,
        "$.spec.objectives[0].op is 'le'; use one of lte, gte, lt, gt",
    ),
    "unknown objective field": (
        _slo_with("    - target: 0.99\n      name: good\n"),
        11,
        7,
        "unknown field 'name' in $.spec.objectives[0]",
    ),
    "indicator and indicatorRef": (
        _slo_with(
            "    - target: 0.99\n",
            head=(
                "  indicatorRef: web-responses\n"
                "  indicator:\n"
                "    metadata: {name: inline}\n"
                "    spec:\n"
                "      thresholdMetric:\n"
                "        metricSource: {type: Prometheus, spec: {query: q}}\n"
            ),
        ),
        6,
        3,
        "$.spec sets 'indicator' and 'indicatorRef'; keep only one of them",
    ),
    "neither indicator nor indicatorRef": (
        _slo_with("    - target: 0.99\n", head="  description: no SLI\n"),
        5,
        1,
        "$.spec needs one of 'indicator' or 'indicatorRef'",
    ),
    "two time windows": (
        _slo_with(
            "    - target: 0.99\n",
            window=ROLLING + "    - duration: 4w\n      isRolling: true\n",
        ),
        9,
        5,
        "takes at most 1 item",
    ),
    "rolling window with calendar": (
        _slo_with(
            "    - target: 0.99\n",
            window=(
                "  timeWindow:\n"
                "    - duration: 28d\n"
                "      isRolling: true\n"
                '      calendar: {startTime: "2026-01-01 00:00:00", timeZone: UTC}\n'
            ),
        ),
        9,
        7,
        "$.spec.timeWindow[0] sets 'isRolling' and 'calendar'; keep only one",
    ),
    "calendar window without calendar": (
        _slo_with(
            "    - target: 0.99\n",
            window="  timeWindow:\n    - duration: 1M\n      isRolling: false\n",
        ),
        9,
        7,
        "$.spec.timeWindow[0] is missing required field 'calendar'",
    ),
    "start time in ISO 8601": (
        _slo_with(
            "    - target: 0.99\n",
            window=(
                "  timeWindow:\n"
                "    - duration: 1M\n"
                '      calendar: {startTime: "2026-01-01T00:00:00Z", timeZone: UTC}\n'
            ),
        ),
        10,
        29,
        "startTime is '2026-01-01T00:00:00Z', which is not of the expected form",
    ),
    "unknown time zone": (
        _slo_with(
            "    - target: 0.99\n",
            window=(
                "  timeWindow:\n"
                "    - duration: 1M\n"
                '      calendar: {startTime: "2026-01-01 00:00:00", '
                "timeZone: Europe/Berlinn}\n"
            ),
        ),
        10,
        62,
        "is 'Europe/Berlinn', not an IANA time zone; did you mean 'Europe/Berlin'?",
    ),
    "duration in words": (
        _slo_with(
            "    - target: 0.99\n",
            window="  timeWindow:\n    - duration: 1 month\n      isRolling: true\n",
        ),
        9,
        17,
        "duration is '1 month', which is not of the expected form",
    ),
    "duration in seconds": (
        _slo_with(
            "    - target: 0.99\n",
            window="  timeWindow:\n    - duration: 3600s\n      isRolling: true\n",
        ),
        9,
        17,
        "duration is '3600s', which is not of the expected form",
    ),
    "alert policy reference and inline fields": (
        _slo_with(
            "    - target: 0.99\n"
            "  alertPolicies:\n"
            "    - alertPolicyRef: web-fast-burn\n"
            "      kind: AlertPolicy\n"
        ),
        12,
        7,
        "$.spec.alertPolicies[0] sets 'alertPolicyRef' and 'kind'; keep only one",
    ),
    "bad name": (
        _slo_with("    - target: 0.99\n").replace("web-availability", "Web_SLO"),
        4,
        9,
        "$.metadata.name is 'Web_SLO', which is not of the expected form",
    ),
    "unit annotation not a unit": (
        _slo_with("    - target: 0.99\n").replace(
            "  name: web-availability\n",
            "  name: web-availability\n  annotations: {slacheck.dev/unit: seconds}\n",
        ),
        5,
        36,
        "is 'seconds'; use one of us, ms, s, m, %",
    ),
}


@pytest.mark.parametrize("case", INVALID)
def test_invalid_slo_is_reported(case: str, tmp_path: Path) -> None:
    text, line, column, expected = INVALID[case]
    (tmp_path / "slo.yaml").write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(tmp_path)], select=["SC010"]))
    positions = [(f.line, f.column) for f in result.findings]
    assert positions == [(line, column)]
    assert expected in result.findings[0].message


TIMESLICE_CASES = {
    "Timeslices": ("    - target: 0.99\n", ["timeSliceTarget", "timeSliceWindow"]),
    "RatioTimeslices": ("    - target: 0.99\n", ["timeSliceWindow"]),
    "Occurrences": ("    - target: 0.99\n", []),
}


@pytest.mark.parametrize("method", TIMESLICE_CASES)
def test_time_slice_fields_required_by_method(method: str, tmp_path: Path) -> None:
    objectives, missing = TIMESLICE_CASES[method]
    text = _slo_with(objectives).replace("Occurrences", method)
    (tmp_path / "slo.yaml").write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(tmp_path)], select=["SC010"]))
    messages = [f.message for f in result.findings]
    assert messages == [
        f"$.spec.objectives[0] is missing required field '{name}'" for name in missing
    ]


OTHER_KINDS = {
    "ratio metric with good and bad": (
        SLI.replace(
            "    total:",
            "    bad:\n      metricSource: {type: P, spec: {q: 1}}\n    total:",
        ),
        7,
        5,
        "$.spec.ratioMetric sets 'good' and 'bad'; keep only one of them",
    ),
    "raw metric without rawType": (
        "apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: s}\nspec:\n"
        "  ratioMetric:\n    raw: {metricSource: {type: P, spec: {q: 1}}}\n",
        5,
        3,
        "$.spec.ratioMetric is missing required field 'rawType'",
    ),
    "metric source without reference or type": (
        "apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: s}\nspec:\n"
        "  thresholdMetric:\n    metricSource: {spec: {q: 1}}\n",
        6,
        5,
        "needs one of 'metricSourceRef' or 'type'",
    ),
    "metric source with empty spec": (
        "apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: s}\nspec:\n"
        "  thresholdMetric:\n    metricSource: {type: P, spec: {}}\n",
        6,
        35,
        "should be non-empty",
    ),
    "two alert conditions": (
        ALERT_POLICY.replace(
            "    - conditionRef: web-fast-burn\n",
            "    - conditionRef: web-fast-burn\n    - conditionRef: web-slow-burn\n",
        ),
        9,
        5,
        "takes at most 1 item",
    ),
    "condition without lookback window": (
        ALERT_CONDITION.replace("    lookbackWindow: 1h\n", ""),
        7,
        3,
        "$.spec.condition is missing required field 'lookbackWindow'",
    ),
    "condition of unknown kind": (
        ALERT_CONDITION.replace("kind: burnrate", "kind: latency"),
        8,
        11,
        "$.spec.condition.kind is 'latency'; use one of burnrate",
    ),
    "notification target without target": (
        ALERT_TARGET.replace("  target: pagerduty\n", "  description: on call\n"),
        5,
        1,
        "$.spec is missing required field 'target'",
    ),
    "data source without connection details": (
        DATA_SOURCE.replace(
            "  connectionDetails:\n    url: http://prometheus:9090\n", ""
        ),
        5,
        1,
        "$.spec is missing required field 'connectionDetails'",
    ),
    "service with a misspelt field": (
        SERVICE.replace("  description:", "  descripton:"),
        12,
        3,
        "unknown field 'descripton' in $.spec; did you mean 'description'?",
    ),
    "display name over 63 characters": (
        SERVICE.replace("Web shop", "W" * 64),
        5,
        16,
        "is longer than 63 characters",
    ),
}


@pytest.mark.parametrize("case", OTHER_KINDS)
def test_invalid_document_is_reported(case: str, tmp_path: Path) -> None:
    text, line, column, expected = OTHER_KINDS[case]
    (tmp_path / "doc.yaml").write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(tmp_path)], select=["SC010"]))
    positions = [(f.line, f.column) for f in result.findings]
    assert positions == [(line, column)]
    assert expected in result.findings[0].message
