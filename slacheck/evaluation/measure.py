"""Shared arithmetic: attainment and error budget from counts or a ratio.

Everything is Decimal. The SLI's ``zeroTraffic`` rule decides a period
without events and time slices with no data. It is good, bad or noData
(the default), so an empty period is never a silent 100%.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, Decimal

from slacheck.evaluation.periods import Period
from slacheck.evaluation.results import Budget
from slacheck.evaluation.snapshot import Counts, Measurement
from slacheck.model import Catalog, Document
from slacheck.quantities import ONE, ZERO, format_duration_seconds

EVENTS = "events"
TIME_SLICES = "timeSlices"
RATIO = "ratio"
ZERO_RULES = ("good", "bad", "noData")


@dataclass
class Reading:
    """The part of a measurement one objective or commitment is judged on."""

    unit: str
    counts: Counts | None = None
    ratio: Decimal | None = None
    slice_seconds: Decimal | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Judgement:
    """Attainment (None when there is no data) and the notes explaining it."""

    attainment: Decimal | None
    notes: tuple[str, ...] = ()


def indicator_of(document: Document) -> str | None:
    """Return the SLI name an SLO measures (``indicatorRef`` or inline indicator)."""
    spec = document.spec
    if isinstance(spec.get("indicatorRef"), str):
        return str(spec["indicatorRef"])
    inline = spec.get("indicator")
    if isinstance(inline, dict):
        name = (inline.get("metadata") or {}).get("name")
        return name if isinstance(name, str) else None
    return None


def zero_rule(catalog: Catalog, sli: str, slo: Document | None = None) -> str:
    """Return how the SLI counts an empty period: good, bad or noData."""
    found = catalog.named("SLI", sli)
    spec = found[0].spec if len(found) == 1 else {}
    if not spec and slo is not None and isinstance(slo.spec.get("indicator"), dict):
        spec = slo.spec["indicator"].get("spec") or {}
    rule = spec.get("zeroTraffic") if isinstance(spec, dict) else None
    return rule if rule in ZERO_RULES else "noData"


def reading_of(measurement: Measurement, prefer: str) -> Reading | None:
    """Pick event counts or time slices as ``prefer`` asks, else a ratio."""
    if prefer == TIME_SLICES and measurement.time_slices is not None:
        return Reading(
            TIME_SLICES,
            measurement.time_slices,
            slice_seconds=measurement.slice_seconds,
        )
    if prefer == EVENTS and measurement.events is not None:
        return Reading(EVENTS, measurement.events)
    if measurement.ratio is not None:
        return Reading(RATIO, ratio=measurement.ratio)
    return None


def fill_missing_slices(reading: Reading, period: Period, rule: str) -> str:
    """Apply the SLI's rule to time slices that have no data; return a problem or ''.

    A finished month of 1-minute slices has exactly as many slices as
    minutes; fewer counted slices means data is missing, more is an error.
    """
    if (
        reading.unit != TIME_SLICES
        or reading.counts is None
        or not reading.slice_seconds
    ):
        return ""
    expected = (period.elapsed_minutes * 60 / reading.slice_seconds).to_integral_value(
        rounding=ROUND_FLOOR
    )
    counts = reading.counts
    if counts.total > expected:
        length = format_duration_seconds(reading.slice_seconds)
        return (
            f"{counts.total} time slices of {length} do not fit in the "
            f"{int(expected)} that the measured time holds"
        )
    missing = int(expected) - counts.total
    if missing == 0:
        return ""
    if rule == "good":
        reading.counts = Counts(counts.good + missing, counts.total + missing)
        reading.notes.append(f"{missing} time slices without data counted as good")
    elif rule == "bad":
        reading.counts = Counts(counts.good, counts.total + missing)
        reading.notes.append(f"{missing} time slices without data counted as bad")
    else:
        reading.notes.append(f"{missing} time slices without data left out")
    return ""


def judge(reading: Reading, rule: str) -> Judgement:
    """Return the attainment of a reading, applying the zero-traffic rule."""
    notes = tuple(reading.notes)
    if reading.unit == RATIO:
        return Judgement(reading.ratio, notes)
    counts = reading.counts
    assert counts is not None
    if counts.total > 0:
        return Judgement(Decimal(counts.good) / counts.total, notes)
    if rule == "good":
        return Judgement(
            ONE, (*notes, "no traffic: counted as good by the SLI's zeroTraffic rule")
        )
    if rule == "bad":
        return Judgement(
            ZERO, (*notes, "no traffic: counted as bad by the SLI's zeroTraffic rule")
        )
    return Judgement(
        None, (*notes, "no traffic: no data by the SLI's zeroTraffic rule")
    )


def budget_of(
    reading: Reading, attainment: Decimal, target: Decimal, period: Period
) -> Budget:
    """Compute the error budget over the whole period and how much is used.

    Burn rate is the observed error ratio divided by the error budget ratio
    (the SRE workbook's definition); pace is the share of budget consumed
    divided by the share of the period elapsed.
    """
    ratio = ONE - target
    budget = Budget(ratio=ratio, unit=reading.unit)
    if ratio == 0:
        return budget
    elapsed = period.elapsed
    budget.burn_rate = (ONE - attainment) / ratio
    budget.consumed_share = budget.burn_rate * elapsed
    counts = reading.counts
    if counts is not None:
        planned = _planned_total(reading, counts, period)
        budget.allowed = ratio * planned
        budget.consumed = Decimal(counts.bad)
        budget.remaining = budget.allowed - budget.consumed
        if budget.allowed:
            budget.consumed_share = budget.consumed / budget.allowed
    if (
        reading.unit == TIME_SLICES
        and reading.slice_seconds
        and budget.allowed is not None
    ):
        budget.allowed_minutes = budget.allowed * reading.slice_seconds / 60
    budget.pace = budget.consumed_share / elapsed
    return budget


def _planned_total(reading: Reading, counts: Counts, period: Period) -> Decimal:
    """Return the events or slices the whole period holds (projected while running)."""
    if reading.unit == TIME_SLICES and reading.slice_seconds:
        return period.minutes * 60 / reading.slice_seconds
    if counts.total == 0:
        return ZERO
    return Decimal(counts.total) / period.elapsed


def with_counts(reading: Reading, counts: Counts) -> Reading:
    return replace(reading, counts=counts, notes=list(reading.notes))
