"""Inline SVG charts for the HTML report: a target scale and a credit step chart.

Figures come from the report model in exact decimals; floats appear only
when a value becomes a pixel position. Every label is escaped, because names
and descriptions come from user YAML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape

from slacheck.quantities import HUNDRED, ONE, ZERO, format_percent, format_points
from slacheck.report.model import CommitmentView, MarginView, MeasuredView
from slacheck.report.words import headroom_words, measured_percent

WIDTH = 640
LEFT, RIGHT = 48, 610

# Candidate tick steps in percentage points, finest first.
_TICK_STEPS = tuple(
    Decimal(points)
    for points in (
        "0.01",
        "0.02",
        "0.05",
        "0.1",
        "0.2",
        "0.5",
        "1",
        "2",
        "5",
        "10",
        "25",
    )
)


@dataclass(frozen=True)
class Axis:
    """A horizontal ratio axis: its range, tick step and pixel mapping."""

    low: Decimal
    high: Decimal
    step: Decimal

    def x(self, value: Decimal) -> float:
        span = float(self.high - self.low) or 1.0
        return LEFT + float(value - self.low) / span * (RIGHT - LEFT)

    def ticks(self) -> list[Decimal]:
        return ticks_between(self.low, self.high, self.step)


def ticks_between(low: Decimal, high: Decimal, step: Decimal) -> list[Decimal]:
    ticks, value = [], low
    while value <= high:
        ticks.append(value)
        value += step
    return ticks


def axis_for(values: Sequence[Decimal], max_ticks: int = 8) -> Axis:
    """Pad the values' range by a quarter and snap it to the finest fitting ticks."""
    smallest, largest = min(values), max(values)
    pad = max((largest - smallest) / 4, Decimal("0.001"))
    low, high = max(ZERO, smallest - pad), min(ONE, largest + pad)
    for points in _TICK_STEPS:
        step = points / HUNDRED
        low_snap = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
        high_snap = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
        high_snap = min(ONE, high_snap)
        if (high_snap - low_snap) / step <= max_ticks:
            return Axis(low_snap, high_snap, step)
    return Axis(ZERO, ONE, Decimal("0.25"))


def px(number: float) -> str:
    return f"{number:.1f}"


def line(x1: float, y1: float, x2: float, y2: float, css: str) -> str:
    return (
        f'<line x1="{px(x1)}" y1="{px(y1)}" x2="{px(x2)}" y2="{px(y2)}" class="{css}"/>'
    )


def rect(x: float, y: float, width: float, height: float, css: str) -> str:
    return (
        f'<rect x="{px(x)}" y="{px(y)}" width="{px(max(width, 0.0))}" '
        f'height="{px(height)}" class="{css}"/>'
    )


def text(x: float, y: float, label: str, css: str, anchor: str = "middle") -> str:
    return (
        f'<text x="{px(x)}" y="{px(y)}" class="{css}" '
        f'text-anchor="{anchor}">{escape(label)}</text>'
    )


# Labels are 12px bold: about 7 pixels per character. An SVG file cannot
# measure its own text, so placement works with this estimate.
CHAR_WIDTH = 7.0


def fitted(x: float, label: str) -> tuple[float, str]:
    """Return (x, text-anchor) that keeps a label centred on ``x`` inside the chart."""
    half = CHAR_WIDTH * len(label) / 2
    if x - half < 2:
        return max(x, 2.0), "start"
    if x + half > WIDTH - 2:
        return min(x, WIDTH - 2.0), "end"
    return x, "middle"


def svg(chart_id: str, css: str, height: int, title: str, parts: list[str]) -> str:
    return (
        f'<svg id="{escape(chart_id)}" class="chart {css}" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
        f"<title>{escape(title)}</title>" + "".join(parts) + "</svg>"
    )


def axis_parts(axis: Axis, y: float) -> list[str]:
    parts = [line(LEFT, y, RIGHT, y, "axis")]
    for tick in axis.ticks():
        x = axis.x(tick)
        parts.append(line(x, y, x, y + 4, "axis"))
        parts.append(text(x, y + 16, format_percent(tick), "tick"))
    return parts


# Scale chart rows, in pixels from the top: one label row per marker, so
# close values never print their labels on top of each other.
_SLO_ROW, _MEASURED_ROW, _SLA_ROW = 14, 29, 44
_HEADROOM_Y, _MARGIN_Y, _SCALE_AXIS_Y = 68, 94, 112


def scale_chart(chart_id: str, commitment: CommitmentView) -> str:
    """Place the SLA target, the SLO target and the measured value on one scale."""
    target = commitment.target
    if target is None:
        return ""
    margin, measured = commitment.margin, commitment.measured
    slo = margin.slo_target if margin is not None else None
    value = measured.attainment if measured is not None else None
    axis = axis_for([v for v in (target, slo, value) if v is not None])

    parts = _zones(axis, target, slo)
    parts.extend(axis_parts(axis, _SCALE_AXIS_Y))
    sla_label = f"SLA {format_percent(target)}"
    parts.extend(_marker(axis.x(target), _SLA_ROW, "sla", sla_label))
    if margin is not None:
        parts.extend(_slo_parts(axis, target, margin))
    if measured is not None:
        parts.extend(_measured_parts(axis, target, measured))

    title = f"{commitment.name}: SLA target, SLO target and measured value"
    return svg(chart_id, "scale-chart", 140, title, parts)


def _slo_parts(axis: Axis, target: Decimal, margin: MarginView) -> list[str]:
    if margin.slo_target is None:
        return []
    slo_x = axis.x(margin.slo_target)
    label = f"SLO {format_percent(margin.slo_target)} {margin.slo_threshold}".strip()
    parts = _marker(slo_x, _SLO_ROW, "slo", label)
    if margin.points is not None:
        label = _margin_label(margin.points, margin.multiple)
        parts.append(_bracket(axis.x(target), slo_x, _MARGIN_Y, label, "margin"))
    return parts


def _measured_parts(axis: Axis, target: Decimal, measured: MeasuredView) -> list[str]:
    if measured.attainment is None:
        return []
    value_x = axis.x(measured.attainment)
    css = "measured-bad" if measured.met is False else "measured-ok"
    label = f"measured {measured_percent(measured.attainment)}"
    parts = _marker(value_x, _MEASURED_ROW, css, label)
    if measured.headroom_points is not None:
        label = headroom_words(measured.headroom_points)
        parts.append(_bracket(axis.x(target), value_x, _HEADROOM_Y, label, css))
    return parts


def _margin_label(points: Decimal, multiple: Decimal | None) -> str:
    label = f"margin {format_points(points)}"
    if multiple is not None:
        label += f", {_short(multiple)}x the SLO's error budget"
    return label


def _short(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")).normalize(), "f")


def _zones(axis: Axis, target: Decimal, slo: Decimal | None) -> list[str]:
    """Shade below the SLA target (breach) and from there up to the SLO (warning)."""
    y, height = _SCALE_AXIS_Y - 8, 8
    left, right = axis.x(axis.low), axis.x(axis.high)
    sla_x = axis.x(max(axis.low, target))
    slo_x = axis.x(min(axis.high, slo)) if slo is not None and slo > target else sla_x
    return [
        rect(left, y, sla_x - left, height, "zone-breach"),
        rect(sla_x, y, slo_x - sla_x, height, "zone-warn"),
        rect(slo_x, y, right - slo_x, height, "zone-ok"),
    ]


def _marker(x: float, row: int, css: str, label: str) -> list[str]:
    label_x, anchor = fitted(x, label)
    return [
        line(x, row + 4, x, _SCALE_AXIS_Y, f"mark {css}"),
        text(label_x, row, label, f"label {css}", anchor),
    ]


def _bracket(x1: float, x2: float, y: int, label: str, css: str) -> str:
    left, right = min(x1, x2), max(x1, x2)
    label_x, anchor = fitted((left + right) / 2, label)
    return (
        f'<g class="bracket {css}">'
        f'<path d="M{px(left)},{y - 4} V{y} H{px(right)} V{y - 4}"/>'
        f"{text(label_x, y - 6, label, 'label ' + css, anchor)}</g>"
    )
