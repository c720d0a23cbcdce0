"""OpenSLO windows and time slices (SC603, SC606, SC607)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.openslo import (
    Shorthand,
    objective_items,
    objective_label,
    parse_shorthand,
    spelled,
)
from slacheck.rules.base import Issue, RuleContext, rule

_START_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@rule("SC603", "calendar-window-in-minutes", Severity.ERROR, kinds=("SLO",))
def calendar_window_in_minutes(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """OpenSLO calendar-aligned window is measured in minutes.

    OpenSLO duration units are case-sensitive: ``1m`` is one minute and
    ``1M`` one month. A calendar-aligned window (``isRolling: false`` with a
    ``calendar``) of minutes almost always means months, and a one-minute
    window would reset the error budget every minute.

    Failing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: web-availability}
    spec:
      service: web
      indicator:
        metadata: {name: web-responses}
        spec:
          ratioMetric:
            counter: true
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
      timeWindow:
        - duration: 1m
          isRolling: false
          calendar: {startTime: "2024-01-01 00:00:00", timeZone: UTC}
      budgetingMethod: Occurrences
      objectives:
        - target: 0.999
    ```

    Passing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: web-availability}
    spec:
      service: web
      indicator:
        metadata: {name: web-responses}
        spec:
          ratioMetric:
            counter: true
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
      timeWindow:
        - duration: 1M
          isRolling: false
          calendar: {startTime: "2024-01-01 00:00:00", timeZone: UTC}
      budgetingMethod: Occurrences
      objectives:
        - target: 0.999
    ```
    """
    for index, window in _calendar_windows(document):
        shorthand = parse_shorthand(window.get("duration"))
        if shorthand is None or shorthand.unit != "m":
            continue
        months = Shorthand(shorthand.count, "M")
        message = (
            f"calendar-aligned window duration '{shorthand}' is {spelled(shorthand)}, "
            f"because OpenSLO units are case-sensitive (m minutes, M months); "
            f"write '{months}' for {spelled(months)}"
        )
        where = ("spec", "timeWindow", index, "duration")
        yield Issue(where, message, key=str(shorthand))


def _calendar_windows(document: Document) -> Iterator[tuple[int, dict[str, Any]]]:
    windows = document.spec.get("timeWindow")
    if not document.is_openslo or not isinstance(windows, list):
        return
    for index, window in enumerate(windows):
        if isinstance(window, dict) and window.get("isRolling") is not True:
            yield index, window


@rule("SC606", "time-slice-fields-ignored", Severity.WARNING, kinds=("SLO",))
def time_slice_fields_ignored(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """OpenSLO objective sets time-slice fields that Occurrences budgeting ignores.

    ``timeSliceTarget`` and ``timeSliceWindow`` define good time slices for
    the ``Timeslices`` and ``RatioTimeslices`` budgeting methods. Under
    ``Occurrences`` every event counts alike and these fields have no
    effect, so the SLO does not behave as its author expects.

    Failing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: web-availability}
    spec:
      service: web
      indicator:
        metadata: {name: web-responses}
        spec:
          ratioMetric:
            counter: true
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
      budgetingMethod: Occurrences
      objectives:
        - target: 0.999
          timeSliceTarget: 0.95
          timeSliceWindow: 1m
    ```

    Passing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: web-availability}
    spec:
      service: web
      indicator:
        metadata: {name: web-responses}
        spec:
          ratioMetric:
            counter: true
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
      budgetingMethod: Timeslices
      objectives:
        - target: 0.999
          timeSliceTarget: 0.95
          timeSliceWindow: 1m
    ```
    """
    if document.spec.get("budgetingMethod") != "Occurrences":
        return
    for index, objective in objective_items(document):
        fields = [f for f in ("timeSliceTarget", "timeSliceWindow") if f in objective]
        if not fields:
            continue
        listed = " and ".join(fields)
        message = (
            f"budgetingMethod Occurrences counts events, so {listed} of "
            f"{objective_label(objective, index)} have no effect; remove them or "
            "use Timeslices"
        )
        where = ("spec", "objectives", index, fields[0])
        yield Issue(where, message, key=f"{index}:{listed}", at_key=True)


@rule("SC607", "invalid-start-time", Severity.ERROR, kinds=("SLO",))
def invalid_start_time(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """OpenSLO calendar startTime is not a real date and time.

    The schema checks the shape ``YYYY-MM-DD hh:mm:ss``; this rule checks
    that the month, day and time exist, so ``2024-02-30 00:00:00`` or
    ``2024-01-01 24:00:00`` cannot anchor a calendar window.

    Failing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: web-availability}
    spec:
      service: web
      indicator:
        metadata: {name: web-responses}
        spec:
          ratioMetric:
            counter: true
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
      timeWindow:
        - duration: 1M
          isRolling: false
          calendar: {startTime: "2024-02-30 00:00:00", timeZone: UTC}
      budgetingMethod: Occurrences
      objectives:
        - target: 0.999
    ```

    Passing example:
    ```yaml
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: web}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata: {name: web-availability}
    spec:
      service: web
      indicator:
        metadata: {name: web-responses}
        spec:
          ratioMetric:
            counter: true
            good: {metricSource: {type: Prometheus, spec: {query: sum(ok)}}}
            total: {metricSource: {type: Prometheus, spec: {query: sum(all)}}}
      timeWindow:
        - duration: 1M
          isRolling: false
          calendar: {startTime: "2024-02-01 00:00:00", timeZone: UTC}
      budgetingMethod: Occurrences
      objectives:
        - target: 0.999
    ```
    """
    for index, window in _calendar_windows(document):
        calendar = window.get("calendar")
        start = calendar.get("startTime") if isinstance(calendar, dict) else None
        if not isinstance(start, str):
            continue
        try:
            datetime.strptime(start, _START_TIME_FORMAT)
        except ValueError:
            message = (
                f"calendar startTime {start!r} is not a real date and time; write "
                "'YYYY-MM-DD hh:mm:ss' with an existing day and a time up to 23:59:59"
            )
            where = ("spec", "timeWindow", index, "calendar", "startTime")
            yield Issue(where, message, key=start)
