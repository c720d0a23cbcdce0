"""Reading ``kind: Snapshot`` documents into checked measurements.

The schema already rejects negative or fractional counts and ratios outside
[0, 1]. This module checks what a schema cannot: good or bad never exceeds
total, the period is a real span of time, and an indicator is measured once
per threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from slacheck.evaluation.periods import Period, PeriodError, read_period
from slacheck.findings import Finding, Severity, format_field
from slacheck.model import Document
from slacheck.quantities import parse_duration, parse_ratio, parse_threshold, to_decimal
from slacheck.yamlload import FieldPath

Threshold = tuple[Decimal, str]


@dataclass(frozen=True)
class Counts:
    """Good and total events or time slices."""

    good: int
    total: int

    @property
    def bad(self) -> int:
        return self.total - self.good


@dataclass(frozen=True)
class Measurement:
    """One measured SLI, at one threshold for threshold SLIs."""

    sli: str
    where: FieldPath
    threshold: Threshold | None = None
    events: Counts | None = None
    time_slices: Counts | None = None
    slice_seconds: Decimal | None = None
    ratio: Decimal | None = None
    value: Threshold | None = None
    percentile: Decimal | None = None


@dataclass(frozen=True)
class ExcludedTime:
    """Time excluded under an SLA exclusion clause, with what was measured in it."""

    type: str
    minutes: Decimal
    where: FieldPath
    sla: str | None = None
    sli: str | None = None
    events: Counts | None = None
    time_slices: Counts | None = None


@dataclass(frozen=True)
class KPIMeasurement:
    kpi: str
    value: Any
    where: FieldPath


@dataclass
class Snapshot:
    """A checked snapshot document."""

    document: Document
    period: Period
    service: str | None = None
    measurements: list[Measurement] = field(default_factory=list)
    exclusions: list[ExcludedTime] = field(default_factory=list)
    kpis: list[KPIMeasurement] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.document.name

    def measurements_of(self, sli: str) -> list[Measurement]:
        return [m for m in self.measurements if m.sli == sli]

    def measurement_for(
        self, sli: str, threshold: Threshold | None
    ) -> Measurement | None:
        """Return the measurement of ``sli`` taken at ``threshold``, if any."""
        for measurement in self.measurements_of(sli):
            if measurement.threshold == threshold:
                return measurement
        return None

    def kpi_value(self, kpi: str) -> KPIMeasurement | None:
        return next((m for m in self.kpis if m.kpi == kpi), None)

    def finding(
        self,
        where: FieldPath,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
        key: str = "",
    ) -> Finding:
        """Build a finding at ``where`` inside this snapshot's file."""
        line, column = self.document.position(where)
        return Finding(
            self.document.path,
            line,
            column,
            code,
            message,
            severity=severity,
            kind="Snapshot",
            name=self.name,
            field_path=format_field(where),
            key=key or message,
        )


def read_snapshot(document: Document) -> tuple[Snapshot | None, list[Finding]]:
    """Check a snapshot document; None when its period cannot be read."""
    spec = document.spec
    raw_period = spec.get("period") or {}
    try:
        period = read_period(
            str(raw_period.get("start")),
            str(raw_period.get("end")),
            str(raw_period.get("timeZone")),
            raw_period.get("asOf"),
        )
    except PeriodError as error:
        line, column = document.position(("spec", "period"))
        message = f"invalid snapshot period: {error}"
        finding = Finding(
            document.path,
            line,
            column,
            "SC712",
            message,
            kind="Snapshot",
            name=document.name,
            field_path="$.spec.period",
            key=str(error),
        )
        return None, [finding]
    service = spec.get("service")
    snapshot = Snapshot(document, period, service if isinstance(service, str) else None)
    findings: list[Finding] = []
    _read_measurements(snapshot, findings)
    _read_exclusions(snapshot, findings)
    _read_kpis(snapshot, findings)
    return snapshot, findings


def _counts(
    raw: Any, where: FieldPath, snapshot: Snapshot, out: list[Finding]
) -> Counts | None:
    if not isinstance(raw, dict):
        return None
    total = raw.get("total")
    part = "good" if "good" in raw else "bad"
    value = raw.get(part)
    if not isinstance(total, int) or not isinstance(value, int) or value > total:
        if isinstance(total, int) and isinstance(value, int):
            message = f"{part} count {value} exceeds the total {total}; fix the counts"
            out.append(snapshot.finding((*where, part), "SC712", message))
        return None
    good = value if part == "good" else total - value
    return Counts(good, total)


def _read_measurements(snapshot: Snapshot, out: list[Finding]) -> None:
    seen: dict[tuple[str, Threshold | None], FieldPath] = {}
    for index, raw in enumerate(snapshot.document.spec.get("indicators") or []):
        where: FieldPath = ("spec", "indicators", index)
        measurement = _measurement(raw, where, snapshot, out)
        key = (measurement.sli, measurement.threshold)
        if key in seen:
            line = snapshot.document.position(seen[key])[0]
            at = (
                f" at {_threshold_text(measurement.threshold)}"
                if measurement.threshold
                else ""
            )
            message = (
                f"SLI {measurement.sli!r}{at} is measured twice (first on line {line}); "
                "keep one measurement"
            )
            out.append(snapshot.finding(where, "SC712", message))
            continue
        seen[key] = where
        snapshot.measurements.append(measurement)


def _measurement(
    raw: dict[str, Any], where: FieldPath, snapshot: Snapshot, out: list[Finding]
) -> Measurement:
    slices = raw.get("timeSlices")
    length = slices.get("length") if isinstance(slices, dict) else None
    return Measurement(
        sli=str(raw.get("sli")),
        where=where,
        threshold=parse_threshold(raw["threshold"]) if "threshold" in raw else None,
        events=_counts(raw.get("events"), (*where, "events"), snapshot, out),
        time_slices=_counts(slices, (*where, "timeSlices"), snapshot, out),
        slice_seconds=parse_duration(length),
        ratio=parse_ratio(raw["ratio"]) if "ratio" in raw else None,
        value=parse_threshold(raw["value"]) if "value" in raw else None,
        percentile=parse_ratio(raw["percentile"]) if "percentile" in raw else None,
    )


def _read_exclusions(snapshot: Snapshot, out: list[Finding]) -> None:
    for index, raw in enumerate(snapshot.document.spec.get("exclusions") or []):
        where: FieldPath = ("spec", "exclusions", index)
        minutes = to_decimal(raw.get("minutes"))
        if minutes is None:
            continue
        snapshot.exclusions.append(
            ExcludedTime(
                type=str(raw.get("type")),
                minutes=minutes,
                where=where,
                sla=raw.get("sla"),
                sli=raw.get("sli"),
                events=_counts(raw.get("events"), (*where, "events"), snapshot, out),
                time_slices=_counts(
                    raw.get("timeSlices"), (*where, "timeSlices"), snapshot, out
                ),
            )
        )


def _read_kpis(snapshot: Snapshot, out: list[Finding]) -> None:
    seen: dict[str, FieldPath] = {}
    for index, raw in enumerate(snapshot.document.spec.get("kpis") or []):
        where: FieldPath = ("spec", "kpis", index)
        name = str(raw.get("kpi"))
        if name in seen:
            line = snapshot.document.position(seen[name])[0]
            message = (
                f"KPI {name!r} is measured twice (first on line {line}); keep one value"
            )
            out.append(snapshot.finding(where, "SC712", message))
            continue
        seen[name] = where
        snapshot.kpis.append(KPIMeasurement(name, raw.get("value"), where))


def _threshold_text(threshold: Threshold | None) -> str:
    if threshold is None:
        return ""
    value, unit = threshold
    return f"{value.normalize():f}{unit}"
