"""Shared arithmetic: attainment and error budget from counts or a ratio.

Everything is Decimal. The SLI's ``zeroTraffic`` rule decides a period
without events and time slices with no data; its ``missingData`` rule
decides a snapshot without any measurement of the SLI. Each is good, bad or
noData (the default), and a result judged by either carries a note naming
the rule, so an empty period is never a silent 100%.
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


@dataclass(frozen=True)
class SLIRules:
    """An SLI's rules for a period without traffic and a snapshot without data."""

    zero_traffic: str = "noData"
    missing_data: str = "noData"


def sli_rules(catalog: Catalog, sli: str, slo: Document | None = None) -> SLIRules:
    """Return the SLI's ``zeroTraffic`` and ``missingData`` rules (noData if unset).

    The SLI document named ``sli`` wins; an SLO's inline indicator is used
    when no single SLI document has that name.
    """
    found = catalog.named("SLI", sli)
    spec = found[0].spec if len(found) == 1 else {}
    if not spec and slo is not None and isinstance(slo.spec.get("indicator"), dict):
        spec = slo.spec["indicator"].get("spec") or {}
    if not isinstance(spec, dict):
        return SLIRules()
    zero, missing = spec.get("zeroTraffic"), spec.get("missingData")
    return SLIRules(
        zero_traffic=zero if zero in ZERO_RULES else "noData",
        missing_data=missing if missing in ZERO_RULES else "noData",
    )


def zero_rule(catalog: Catalog, sli: str, slo: Document | None = None) -> str:
    """Return how the SLI counts an empty period: good, bad or noData."""
    return sli_rules(catalog, sli, slo).zero_traffic


def assumed_reading(
    rule: str, why: str, period: Period, slice_seconds: Decimal | None
) -> Reading:
    """Build the reading of an SLI that a snapshot lacks, counted by ``rule``.

    ``rule`` is the SLI's ``missingData`` rule, good or bad, and ``why``
    states what is missing. With a known time-slice length every slice of the
    measured time is counted, so the error budget shows in slices and
    minutes. Otherwise the period is judged as a ratio of 1 or 0, because
    no event count is known.
    """
    assert rule in ("good", "bad")
    slices = 0
    if slice_seconds:
        slices = int(
            (period.elapsed_minutes * 60 / slice_seconds).to_integral_value(
                rounding=ROUND_FLOOR
            )
        )
    if slices > 0:
        good = slices if rule == "good" else 0
        length = format_duration_seconds(slice_seconds or ZERO)
        note = f"{why}: all {slices} time slices of {length} counted as {rule}"
        counts = Counts(good, slices)
        reading = Reading(TIME_SLICES, counts, slice_seconds=slice_seconds)
    else:
        note = f"{why}: the whole period counted as {rule}"
        reading = Reading(RATIO, ratio=ONE if rule == "good" else ZERO)
    reading.notes.append(f"{note} by the SLI's missingData rule")
    return reading


def reading_of(measurement: Measurement, prefer: str) -> Reading | None:
    """Pick event counts or time slices as ``prefer`` requests, else a ratio."""
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
    """Return the events or slices the whole period contains (projected while running)."""
    if reading.unit == TIME_SLICES and reading.slice_seconds:
        return period.minutes * 60 / reading.slice_seconds
    if counts.total == 0:
        return ZERO
    return Decimal(counts.total) / period.elapsed


def with_counts(reading: Reading, counts: Counts) -> Reading:
    return replace(reading, counts=counts, notes=list(reading.notes))
