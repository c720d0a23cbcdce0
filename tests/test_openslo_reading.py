"""Reading OpenSLO documents: shorthand, references, SLIs, units and windows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from slacheck.lint import lint
from slacheck.model import Catalog, Document
from slacheck.objectives import Window, slo_objectives, slo_window
from slacheck.openslo import (
    Shorthand,
    conversion_notes,
    indicator_for,
    parse_shorthand,
    references,
    sla_objective_indexes,
)
from slacheck.settings import LintSettings
from slacheck.yamlload import load_text

SHORTHANDS = {
    "30m": (Shorthand(30, "m"), Decimal(1800), None),
    "12h": (Shorthand(12, "h"), Decimal(43200), None),
    "28d": (Shorthand(28, "d"), Decimal(2419200), None),
    "4w": (Shorthand(4, "w"), Decimal(2419200), None),
    "1M": (Shorthand(1, "M"), None, "month"),
    "1Q": (Shorthand(1, "Q"), None, "quarter"),
    "1Y": (Shorthand(1, "Y"), None, "year"),
    "2M": (Shorthand(2, "M"), None, None),
    "0m": (Shorthand(0, "m"), Decimal(0), None),
}


@pytest.mark.parametrize("text", SHORTHANDS)
def test_shorthand_is_parsed(text: str) -> None:
    expected, seconds, period = SHORTHANDS[text]
    parsed = parse_shorthand(text)
    assert parsed == expected
    assert parsed is not None
    assert parsed.seconds == seconds
    assert parsed.period == period
    assert str(parsed) == text


@pytest.mark.parametrize(
    "text", ["1", "m", "1.5h", "1 M", "1mo", "-1d", "1s", "", 5, None]
)
def test_invalid_shorthand_is_none(text: Any) -> None:
    assert parse_shorthand(text) is None


def _documents(text: str) -> list[Document]:
    loaded = load_text("defs.yaml", text)
    documents = []
    for source in loaded.documents:
        data = source.data
        name = data["metadata"]["name"]
        documents.append(Document(source, data["apiVersion"], data["kind"], name))
    return documents


SLO_WITH_EVERY_REFERENCE = """\
apiVersion: openslo/v1
kind: SLO
metadata: {name: web}
spec:
  service: web-shop
  indicator:
    metadata: {name: inline}
    spec:
      ratioMetric:
        good: {metricSource: {metricSourceRef: prom, spec: {q: 1}}}
        total: {metricSource: {metricSourceRef: prom-2, spec: {q: 1}}}
  budgetingMethod: Occurrences
  objectives:
    - target: 0.9
      indicatorRef: composite-sli
    - target: 0.9
      indicator:
        metadata: {name: inline-2}
        spec:
          thresholdMetric: {metricSource: {metricSourceRef: dd, spec: {q: 1}}}
  alertPolicies:
    - alertPolicyRef: page
    - kind: AlertPolicy
      metadata: {name: inline-policy}
      spec:
        conditions: [{conditionRef: burn}]
        notificationTargets: [{targetRef: mail}]
"""


def test_slo_references_cover_inline_objects() -> None:
    [slo] = _documents(SLO_WITH_EVERY_REFERENCE)
    assert references(slo) == [
        (("spec", "service"), "Service", "web-shop"),
        (
            (
                "spec",
                "indicator",
                "spec",
                "ratioMetric",
                "good",
                "metricSource",
                "metricSourceRef",
            ),
            "DataSource",
            "prom",
        ),
        (
            (
                "spec",
                "indicator",
                "spec",
                "ratioMetric",
                "total",
                "metricSource",
                "metricSourceRef",
            ),
            "DataSource",
            "prom-2",
        ),
        (("spec", "objectives", 0, "indicatorRef"), "SLI", "composite-sli"),
        (
            (
                "spec",
                "objectives",
                1,
                "indicator",
                "spec",
                "thresholdMetric",
                "metricSource",
                "metricSourceRef",
            ),
            "DataSource",
            "dd",
        ),
        (("spec", "alertPolicies", 0, "alertPolicyRef"), "AlertPolicy", "page"),
        (
            ("spec", "alertPolicies", 1, "spec", "conditions", 0, "conditionRef"),
            "AlertCondition",
            "burn",
        ),
        (
            ("spec", "alertPolicies", 1, "spec", "notificationTargets", 0, "targetRef"),
            "AlertNotificationTarget",
            "mail",
        ),
    ]


def test_alert_policy_and_sli_references() -> None:
    text = """\
apiVersion: openslo/v1
kind: AlertPolicy
metadata: {name: page}
spec:
  conditions: [{conditionRef: burn}]
  notificationTargets: [{targetRef: mail}, {kind: AlertNotificationTarget}]
---
apiVersion: openslo/v1
kind: SLI
metadata: {name: raw}
spec:
  ratioMetric:
    rawType: success
    raw: {metricSource: {metricSourceRef: prom, spec: {q: 1}}}
---
apiVersion: openslo/v1
kind: DataSource
metadata: {name: prom}
spec: {type: Prometheus, connectionDetails: {url: x}}
"""
    policy, sli, source = _documents(text)
    assert references(policy) == [
        (("spec", "conditions", 0, "conditionRef"), "AlertCondition", "burn"),
        (
            ("spec", "notificationTargets", 0, "targetRef"),
            "AlertNotificationTarget",
            "mail",
        ),
    ]
    assert references(sli) == [
        (
            ("spec", "ratioMetric", "raw", "metricSource", "metricSourceRef"),
            "DataSource",
            "prom",
        ),
    ]
    assert references(source) == []


def test_slacheck_documents_have_no_openslo_references() -> None:
    text = (
        "apiVersion: slacheck/v1\nkind: SLO\nmetadata: {name: x}\nspec: {service: y}\n"
    )
    [slo] = _documents(text)
    assert references(slo) == []


def _catalog(text: str) -> Catalog:
    catalog = Catalog()
    for document in _documents(text):
        catalog.add(document)
    return catalog


def test_indicator_found_inline_by_reference_and_per_objective() -> None:
    catalog = _catalog(
        SLO_WITH_EVERY_REFERENCE + "---\napiVersion: openslo/v1\nkind: SLI\n"
        "metadata: {name: composite-sli, annotations: {slacheck.dev/unit: s}}\n"
        "spec: {thresholdMetric: {metricSource: {type: P, spec: {q: 1}}}}\n"
    )
    slo = catalog.named("SLO", "web")[0]
    spec_level = indicator_for(slo, catalog)
    first = indicator_for(slo, catalog, 0)
    second = indicator_for(slo, catalog, 1)
    assert spec_level is not None and spec_level.label == "inline SLI 'inline'"
    assert spec_level.metric_type == "ratio"
    assert first is not None and first.label == "SLI 'composite-sli'"
    assert first.metric_type == "threshold"
    assert first.unit == "s"
    assert second is not None and second.label == "inline SLI 'inline-2'"
    assert second.unit == ""


def test_indicator_of_undefined_sli_is_none() -> None:
    catalog = _catalog(
        "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: web}\n"
        "spec: {indicatorRef: missing, objectives: [{target: 0.9}]}\n"
    )
    slo = catalog.named("SLO", "web")[0]
    assert indicator_for(slo, catalog) is None


SLA_NAMES = {
    "displayName SLA": (["Internal", "SLA"], "", [1]),
    "lower case with detail": (["sla - contract", "Internal"], "", [0]),
    "SLA with a colon": (["SLA: enterprise", "Internal"], "", [0]),
    "word SLAs is not SLA": (["SLAs are elsewhere", "Internal"], "", []),
    "SLA inside a name": (["Reflects our SLA", "Internal"], "", []),
    "annotation wins": (["SLA", "Contract"], "Contract", [1]),
    "annotation naming nothing": (["SLA", "Internal"], "Contract", []),
}


@pytest.mark.parametrize("case", SLA_NAMES)
def test_sla_objective_convention(case: str) -> None:
    names, annotation, expected = SLA_NAMES[case]
    metadata = "{name: web}"
    if annotation:
        metadata = (
            f"{{name: web, annotations: {{slacheck.dev/sla-objective: {annotation}}}}}"
        )
    objectives = ", ".join(f"{{displayName: '{name}', target: 0.9}}" for name in names)
    text = (
        f"apiVersion: openslo/v1\nkind: SLO\nmetadata: {metadata}\n"
        f"spec: {{objectives: [{objectives}]}}\n"
    )
    [slo] = _documents(text)
    assert sla_objective_indexes(slo) == expected


WINDOWS = {
    "calendar month": (
        "{duration: 1M, isRolling: false, calendar: "
        "{startTime: '2026-01-01 00:00:00', timeZone: Europe/Berlin}}",
        Window(False, period="month", time_zone="Europe/Berlin"),
        "a calendar month, Europe/Berlin",
    ),
    "calendar quarter": (
        "{duration: 1Q, calendar: {startTime: '2026-01-01 00:00:00', timeZone: UTC}}",
        Window(False, period="quarter", time_zone="UTC"),
        "a calendar quarter, UTC",
    ),
    "calendar week": (
        "{duration: 1w, isRolling: false, calendar: "
        "{startTime: '2026-01-05 00:00:00', timeZone: UTC}}",
        Window(False, Decimal(604800), time_zone="UTC", text="1w"),
        "a calendar-aligned 1w window, UTC",
    ),
    "rolling two weeks": (
        "{duration: 2w, isRolling: true}",
        Window(True, Decimal(1209600), text="2w"),
        "a rolling 2w window",
    ),
}


@pytest.mark.parametrize("case", WINDOWS)
def test_openslo_window_is_read(case: str) -> None:
    window_text, expected, described = WINDOWS[case]
    text = (
        "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: web}\n"
        f"spec: {{timeWindow: [{window_text}], objectives: [{{target: 0.9}}]}}\n"
    )
    [slo] = _documents(text)
    window = slo_window(slo)
    assert window == expected
    assert window is not None and window.describe() == described


def _lint_catalog(tmp_path: Path, text: str) -> Catalog:
    (tmp_path / "defs.yaml").write_text(text, encoding="utf-8")
    return lint(LintSettings(paths=[str(tmp_path)])).catalog


THRESHOLD_SLO = """\
apiVersion: openslo/v1
kind: SLO
metadata: {name: web-latency}
spec:
  service: web
  indicatorRef: web-latency
  timeWindow:
    - duration: 1M
      calendar: {startTime: "2026-01-01 00:00:00", timeZone: UTC}
  budgetingMethod: Occurrences
  objectives:
    - {displayName: Fast, op: lte, value: 0.3, target: 0.99}
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: web-latency
  annotations: {slacheck.dev/unit: UNIT}
spec:
  thresholdMetric: {metricSource: {type: Prometheus, spec: {query: latency}}}
"""


def test_unit_from_sli_annotation_applies_to_values(tmp_path: Path) -> None:
    catalog = _lint_catalog(tmp_path, THRESHOLD_SLO.replace("UNIT", "s"))
    slo = catalog.named("SLO", "web-latency")[0]
    [objective] = slo_objectives(slo)
    assert objective.threshold is not None
    assert (objective.threshold.value, objective.threshold.unit) == (Decimal(300), "ms")
    assert objective.threshold.text == "0.3s"
    assert objective.target == Decimal("0.99")


def test_value_without_unit_stays_unitless(tmp_path: Path) -> None:
    text = THRESHOLD_SLO.replace("  annotations: {slacheck.dev/unit: UNIT}\n", "")
    catalog = _lint_catalog(tmp_path, text)
    slo = catalog.named("SLO", "web-latency")[0]
    [objective] = slo_objectives(slo)
    assert objective.threshold is not None
    assert (objective.threshold.value, objective.threshold.unit) == (Decimal("0.3"), "")


def test_conversion_notes_describe_window_and_values(tmp_path: Path) -> None:
    catalog = _lint_catalog(tmp_path, THRESHOLD_SLO.replace("UNIT", "ms"))
    slo = catalog.named("SLO", "web-latency")[0]
    assert slo.notes["conversions"] == [
        (("spec", "timeWindow", 0, "duration"), "calendar month in UTC"),
        (("spec", "objectives", 0, "value"), "threshold read as 0.3ms"),
    ]
    assert conversion_notes(slo) == [
        (("spec", "timeWindow", 0, "duration"), "calendar month in UTC"),
        (
            ("spec", "objectives", 0, "value"),
            "threshold read as a number without a unit",
        ),
    ]


def test_target_percent_equals_target(tmp_path: Path) -> None:
    text = THRESHOLD_SLO.replace("target: 0.99}", "targetPercent: 99.0}")
    catalog = _lint_catalog(tmp_path, text.replace("UNIT", "ms"))
    [objective] = slo_objectives(catalog.named("SLO", "web-latency")[0])
    assert objective.target == Decimal("0.99")
