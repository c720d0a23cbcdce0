"""OpenSLO rules SC601-SC608: where each reports, and where it stays silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacheck.findings import Severity
from slacheck.lint import lint
from slacheck.settings import LintSettings

SERVICE = "apiVersion: openslo/v1\nkind: Service\nmetadata: {name: web}\n"

RATIO_SLI = """\
apiVersion: openslo/v1
kind: SLI
metadata: {name: web-responses}
spec:
  ratioMetric:
    counter: true
    good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
    total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
"""

THRESHOLD_SLI = """\
apiVersion: openslo/v1
kind: SLI
metadata:
  name: web-latency
  annotations: {slacheck.dev/unit: ms}
spec:
  thresholdMetric:
    metricSource: {type: Prometheus, spec: {query: latency_ms}}
"""

RATIO_INDICATOR = """\
  indicator:
    metadata: {name: web-responses}
    spec:
      ratioMetric:
        counter: true
        good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
        total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
"""

THRESHOLD_INDICATOR = """\
  indicator:
    metadata: {name: web-latency}
    spec:
      thresholdMetric:
        metricSource: {type: Prometheus, spec: {query: latency_ms}}
"""


def slo(
    objectives: str,
    *,
    indicator: str = RATIO_INDICATOR,
    window: str = "",
    method: str = "Occurrences",
    metadata: str = "",
) -> str:
    """Build an OpenSLO SLO whose objectives start on line 16 by default.

    ``indicator`` is 7 lines for the inline ratio SLI, 5 for the inline
    threshold SLI and 1 for an ``indicatorRef``. Each line of ``window``
    and ``metadata`` moves the objectives one line down.
    """
    return (
        "apiVersion: openslo/v1\n"
        "kind: SLO\n"
        "metadata:\n"
        "  name: web-availability\n"
        f"{metadata}"
        "spec:\n"
        "  service: web\n"
        f"{indicator}"
        f"{window}"
        f"  budgetingMethod: {method}\n"
        "  objectives:\n"
        f"{objectives}"
    )


def calendar(duration: str, start: str = "2026-01-01 00:00:00") -> str:
    """A calendar-aligned window: 4 lines, ``duration`` on the first item line."""
    return (
        "  timeWindow:\n"
        f"    - duration: {duration}\n"
        "      isRolling: false\n"
        f'      calendar: {{startTime: "{start}", timeZone: UTC}}\n'
    )


CONDITION = """\
apiVersion: openslo/v1
kind: AlertCondition
metadata: {name: fast-burn}
spec:
  severity: page
  condition:
    kind: burnrate
    op: OP
    threshold: 2
    lookbackWindow: 1h
"""

POLICY = """\
apiVersion: openslo/v1
kind: AlertPolicy
metadata: {name: fast-burn}
spec:
  conditions:
    - kind: AlertCondition
      metadata: {name: inline-burn}
      spec:
        severity: page
        condition: {kind: burnrate, op: lt, threshold: 2, lookbackWindow: 1h}
  notificationTargets:
    - kind: AlertNotificationTarget
      metadata: {name: mail}
      spec: {target: email}
"""

SLO_WITH_POLICY = slo(
    "    - target: 0.99\n"
    "  alertPolicies:\n"
    "    - kind: AlertPolicy\n"
    "      metadata: {name: inline-policy}\n"
    "      spec:\n"
    "        conditions:\n"
    "          - kind: AlertCondition\n"
    "            metadata: {name: inline-burn}\n"
    "            spec:\n"
    "              severity: page\n"
    "              condition:\n"
    "                kind: burnrate\n"
    "                op: lte\n"
    "                threshold: 2\n"
    "                lookbackWindow: 1h\n"
    "        notificationTargets: [{targetRef: mail}]\n"
)

# case -> (files other than the service, expected (file, line, column, code))
CASES: dict[str, tuple[dict[str, str], list[tuple[str, int, int, str]]]] = {
    "SC601 op on inline ratio SLI": (
        {
            "slo.yaml": slo(
                "    - displayName: Good\n      op: gt\n      target: 0.99\n"
            )
        },
        [("slo.yaml", 17, 7, "SC601")],
    ),
    "SC601 value alone on inline ratio SLI": (
        {"slo.yaml": slo("    - target: 0.99\n      value: 5\n")},
        [("slo.yaml", 17, 7, "SC601")],
    ),
    "SC601 op and value reported once": (
        {"slo.yaml": slo("    - op: gt\n      value: 5\n      target: 0.99\n")},
        [("slo.yaml", 16, 7, "SC601")],
    ),
    "SC601 op on ratio SLI in another file": (
        {
            "sli.yaml": RATIO_SLI,
            "slo.yaml": slo(
                "    - op: gt\n      target: 0.99\n",
                indicator="  indicatorRef: web-responses\n",
            ),
        },
        [("slo.yaml", 10, 7, "SC601")],
    ),
    "SC601 op on composite objective's ratio SLI": (
        {
            "sli.yaml": RATIO_SLI,
            "slo.yaml": slo(
                "    - indicatorRef: web-responses\n      op: gt\n      target: 0.99\n",
                indicator="",
            ),
        },
        [("slo.yaml", 10, 7, "SC601")],
    ),
    "SC601 silent on threshold SLI": (
        {
            "slo.yaml": slo(
                "    - op: lt\n      value: 300\n      target: 0.99\n",
                indicator=THRESHOLD_INDICATOR,
            )
        },
        [],
    ),
    "SC601 silent when the SLI is undefined": (
        {
            "slo.yaml": slo(
                "    - op: gt\n      target: 0.99\n",
                indicator="  indicatorRef: web-responses\n",
            )
        },
        [("slo.yaml", 7, 17, "SC101")],
    ),
    "SC602 threshold objective without value": (
        {
            "slo.yaml": slo(
                "    - displayName: Fast\n      op: lt\n      target: 0.99\n",
                indicator=THRESHOLD_INDICATOR,
            )
        },
        [("slo.yaml", 14, 7, "SC602")],
    ),
    "SC602 referenced threshold SLI without op and value": (
        {
            "sli.yaml": THRESHOLD_SLI,
            "slo.yaml": slo(
                "    - target: 0.99\n", indicator="  indicatorRef: web-latency\n"
            ),
        },
        [("slo.yaml", 10, 7, "SC602")],
    ),
    "SC602 silent on ratio SLI": (
        {"slo.yaml": slo("    - target: 0.99\n")},
        [],
    ),
    "SC603 calendar window of one minute": (
        {"slo.yaml": slo("    - target: 0.99\n", window=calendar("1m"))},
        [("slo.yaml", 15, 17, "SC603")],
    ),
    "SC603 calendar window without isRolling": (
        {
            "slo.yaml": slo(
                "    - target: 0.99\n",
                window=calendar("3m").replace("      isRolling: false\n", ""),
            )
        },
        [("slo.yaml", 15, 17, "SC603")],
    ),
    "SC603 silent on one month": (
        {"slo.yaml": slo("    - target: 0.99\n", window=calendar("1M"))},
        [],
    ),
    "SC603 silent on a rolling window in minutes": (
        {
            "slo.yaml": slo(
                "    - target: 0.99\n",
                window="  timeWindow:\n    - duration: 30m\n      isRolling: true\n",
            )
        },
        [],
    ),
    "SC604 SLA objective equal to internal": (
        {
            "slo.yaml": slo(
                "    - displayName: Internal\n      target: 0.99\n"
                "    - displayName: SLA\n      target: 0.99\n"
            )
        },
        [("slo.yaml", 19, 15, "SC604")],
    ),
    "SC604 SLA objective stricter than internal": (
        {
            "slo.yaml": slo(
                "    - displayName: Internal\n      targetPercent: 99\n"
                "    - displayName: 'SLA: enterprise'\n      targetPercent: 99.5\n"
            )
        },
        [("slo.yaml", 19, 22, "SC604")],
    ),
    "SC604 silent when the SLA objective is looser": (
        {
            "slo.yaml": slo(
                "    - displayName: Internal\n      target: 0.995\n"
                "    - displayName: SLA\n      target: 0.99\n"
            )
        },
        [],
    ),
    "SC604 stricter time-slice target": (
        {
            "slo.yaml": slo(
                "    - displayName: Internal\n      target: 0.995\n"
                "      timeSliceTarget: 0.9\n      timeSliceWindow: 1m\n"
                "    - displayName: SLA\n      target: 0.99\n"
                "      timeSliceTarget: 0.95\n      timeSliceWindow: 1m\n",
                method="Timeslices",
            )
        },
        [("slo.yaml", 21, 15, "SC604")],
    ),
    "SC604 stricter threshold in the SLO's unit": (
        {
            "sli.yaml": THRESHOLD_SLI,
            "slo.yaml": slo(
                "    - displayName: Internal\n      op: lte\n      value: 300\n"
                "      target: 0.99\n"
                "    - displayName: SLA\n      op: lte\n      value: 200\n"
                "      target: 0.99\n",
                indicator="  indicatorRef: web-latency\n",
            ),
        },
        [("slo.yaml", 17, 15, "SC604")],
    ),
    "SC604 annotation names the contract objective": (
        {
            "slo.yaml": slo(
                "    - displayName: Internal\n      target: 0.99\n"
                "    - displayName: Contract\n      target: 0.99\n",
                metadata="  annotations: {slacheck.dev/sla-objective: Contract}\n",
            )
        },
        [("slo.yaml", 20, 15, "SC604")],
    ),
    "SC604 annotation names no objective": (
        {
            "slo.yaml": slo(
                "    - displayName: Internal\n      target: 0.99\n",
                metadata="  annotations: {slacheck.dev/sla-objective: Contract}\n",
            )
        },
        [("slo.yaml", 5, 45, "SC604")],
    ),
    "SC604 silent without an SLA objective": (
        {
            "slo.yaml": slo(
                "    - displayName: Internal\n      target: 0.99\n"
                "    - displayName: Stretch goal\n      target: 0.999\n"
            )
        },
        [],
    ),
    "SC605 condition with lte": (
        {"condition.yaml": CONDITION.replace("OP", "lte")},
        [("condition.yaml", 8, 9, "SC605")],
    ),
    "SC605 silent with gte": (
        {"condition.yaml": CONDITION.replace("OP", "gte")},
        [],
    ),
    "SC605 inline condition of an alert policy": (
        {"policy.yaml": POLICY},
        [("policy.yaml", 10, 41, "SC605")],
    ),
    "SC605 inline condition of an SLO's inline policy": (
        {
            "slo.yaml": SLO_WITH_POLICY,
            "target.yaml": (
                "apiVersion: openslo/v1\nkind: AlertNotificationTarget\n"
                "metadata: {name: mail}\nspec: {target: email}\n"
            ),
        },
        [("slo.yaml", 28, 21, "SC605")],
    ),
    "SC606 time slices under Occurrences": (
        {"slo.yaml": slo("    - target: 0.99\n      timeSliceWindow: 5m\n")},
        [("slo.yaml", 17, 7, "SC606")],
    ),
    "SC606 silent under Timeslices": (
        {
            "slo.yaml": slo(
                "    - target: 0.99\n      timeSliceTarget: 0.9\n"
                "      timeSliceWindow: 5m\n",
                method="Timeslices",
            )
        },
        [],
    ),
    "SC607 thirtieth of February": (
        {
            "slo.yaml": slo(
                "    - target: 0.99\n", window=calendar("1M", "2026-02-30 00:00:00")
            )
        },
        [("slo.yaml", 17, 29, "SC607")],
    ),
    "SC607 hour 24": (
        {
            "slo.yaml": slo(
                "    - target: 0.99\n", window=calendar("1M", "2026-01-01 24:00:00")
            )
        },
        [("slo.yaml", 17, 29, "SC607")],
    ),
    "SC607 silent on a leap day": (
        {
            "slo.yaml": slo(
                "    - target: 0.99\n", window=calendar("1M", "2024-02-29 00:00:00")
            )
        },
        [],
    ),
    "SC608 indicator on the spec and an objective": (
        {
            "sli.yaml": RATIO_SLI,
            "slo.yaml": slo(
                "    - indicatorRef: web-responses\n      target: 0.99\n",
                indicator="  indicatorRef: web-responses\n",
            ),
        },
        [("slo.yaml", 7, 3, "SC608")],
    ),
    "SC608 silent on a composite SLO": (
        {
            "sli.yaml": RATIO_SLI,
            "slo.yaml": slo(
                "    - indicatorRef: web-responses\n      target: 0.99\n"
                "      compositeWeight: 2\n",
                indicator="",
            ),
        },
        [],
    ),
}


def _lint(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, int, str]]:
    (tmp_path / "svc.yaml").write_text(SERVICE, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(tmp_path)]))
    return [(Path(f.path).name, f.line, f.column, f.code) for f in result.findings]


@pytest.mark.parametrize("case", CASES)
def test_rule_reports_exactly(case: str, tmp_path: Path) -> None:
    files, expected = CASES[case]
    # All findings, not only SC6xx, so a case cannot pass on an invalid file.
    assert _lint(tmp_path, files) == expected


def _messages(tmp_path: Path, files: dict[str, str]) -> list[str]:
    (tmp_path / "svc.yaml").write_text(SERVICE, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(tmp_path)], select=["SC6"]))
    return [f.message for f in result.findings]


MESSAGES = {
    "SC601 op on ratio SLI in another file": (
        "objectives[0] sets op, but SLI 'web-responses' is a ratio metric; op and "
        "value apply only to threshold metrics, so remove op"
    ),
    "SC601 op and value reported once": (
        "objectives[0] sets op and value, but inline SLI 'web-responses' is a ratio "
        "metric; op and value apply only to threshold metrics, so remove op and value"
    ),
    "SC602 referenced threshold SLI without op and value": (
        "objectives[0] compares the threshold metric of SLI 'web-latency' but has no "
        "op and value; add op (lt, lte, gt or gte) and value, the threshold a good "
        "value must meet"
    ),
    "SC603 calendar window without isRolling": (
        "calendar-aligned window duration '3m' is 3 minutes, because OpenSLO units "
        "are case-sensitive (m minutes, M months); write '3M' for 3 months"
    ),
    "SC604 SLA objective equal to internal": (
        "SLA objective 'SLA' (99%) is the same as internal objective 'Internal' (99%): "
        "no margin, so a missed internal objective is already a breach; loosen the "
        "SLA objective or tighten the internal one"
    ),
    "SC604 SLA objective stricter than internal": (
        "SLA objective 'SLA: enterprise' (99.5%) is stricter than internal objective "
        "'Internal' (99%), so the internal objective can be met while the contract "
        "is breached; make the SLA objective the looser one"
    ),
    "SC604 stricter time-slice target": (
        "SLA objective 'SLA' (99%, slices of 1m at 95%) is neither clearly looser nor "
        "stricter than internal objective 'Internal' (99.5%, slices of 1m at 90%); "
        "make its target, threshold and time slices each at least as loose"
    ),
    "SC604 stricter threshold in the SLO's unit": (
        "SLA objective 'SLA' (99% lte 200ms) is stricter than internal objective "
        "'Internal' (99% lte 300ms), so the internal objective can be met while the "
        "contract is breached; make the SLA objective the looser one"
    ),
    "SC604 annotation names no objective": (
        "annotation slacheck.dev/sla-objective names objective 'Contract', but no "
        "objective has that displayName (they are 'Internal')"
    ),
    "SC605 inline condition of an alert policy": (
        "op 'lt' makes this burn-rate condition fire while the burn rate is below 2, "
        "not when the error budget burns fast; use 'gt' or 'gte'"
    ),
    "SC606 time slices under Occurrences": (
        "budgetingMethod Occurrences counts events, so timeSliceWindow of "
        "objectives[0] have no effect; remove them or use Timeslices"
    ),
    "SC607 thirtieth of February": (
        "calendar startTime '2026-02-30 00:00:00' is not a real date and time; write "
        "'YYYY-MM-DD hh:mm:ss' with an existing day and a time up to 23:59:59"
    ),
    "SC608 indicator on the spec and an objective": (
        "the SLO sets spec.indicatorRef and objectives[0] name their own indicator; "
        "remove spec.indicatorRef for a composite SLO, or the objective ones"
    ),
}


@pytest.mark.parametrize("case", MESSAGES)
def test_rule_message(case: str, tmp_path: Path) -> None:
    files, _ = CASES[case]
    assert _messages(tmp_path, files) == [MESSAGES[case]]


def test_incomparable_sla_objective_is_a_warning(tmp_path: Path) -> None:
    files, _ = CASES["SC604 stricter time-slice target"]
    (tmp_path / "svc.yaml").write_text(SERVICE, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(tmp_path)], select=["SC604"]))
    assert [f.severity for f in result.findings] == [Severity.WARNING]


SLACHECK_DEFINITIONS = """\
apiVersion: slacheck/v1
kind: Service
metadata: {name: api}
spec: {description: Public API}
---
apiVersion: slacheck/v1
kind: SLI
metadata: {name: api}
spec:
  service: api
  ratioMetric:
    good: {source: prometheus, query: sum(ok)}
    total: {source: prometheus, query: sum(all)}
---
apiVersion: slacheck/v1
kind: SLO
metadata: {name: api}
spec:
  service: api
  indicatorRef: api
  budgetingMethod: Occurrences
  timeWindow:
    - isRolling: false
      calendar: {period: month, timeZone: UTC}
  objectives:
    - displayName: SLA
      target: 99%
      timeSliceWindow: 1m
    - name: internal
      target: 99%
"""


def test_openslo_rules_skip_slacheck_documents(tmp_path: Path) -> None:
    # The same shapes in slacheck/v1 documents are left to slacheck's own
    # rules: an SLA-named objective equal to another, and time slices under
    # Occurrences budgeting.
    (tmp_path / "defs.yaml").write_text(SLACHECK_DEFINITIONS, encoding="utf-8")
    result = lint(LintSettings(paths=[str(tmp_path)]))
    assert all(document.valid for document in result.catalog.documents)
    assert [f.code for f in result.findings if f.code.startswith("SC6")] == []
