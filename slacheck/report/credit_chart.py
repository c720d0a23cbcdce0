"""The credit-schedule step chart: credit owed at each attainment, with examples."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from slacheck.credits import credit_for
from slacheck.quantities import ONE, ZERO, format_percent
from slacheck.report.model import CommitmentView, CreditView
from slacheck.report.svg import (
    LEFT,
    RIGHT,
    Axis,
    axis_for,
    axis_parts,
    line,
    px,
    svg,
    text,
    ticks_between,
)
from slacheck.report.words import measured_percent

_PLOT_TOP, _PLOT_BOTTOM, _HEIGHT = 30, 186, 232

# Label boxes are estimated, because an SVG file cannot measure its own
# text: 12px bold labels average about 7 pixels per character.
_CHAR_WIDTH, _LABEL_HEIGHT, _LABEL_ROWS = 7.0, 13.0, 4

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class CreditPlot:
    axis: Axis
    top: Decimal  # credit share at the top of the plot

    def y(self, share: Decimal) -> float:
        return _PLOT_BOTTOM - float(share / self.top) * (_PLOT_BOTTOM - _PLOT_TOP)


def credit_chart(chart_id: str, commitment: CommitmentView) -> str:
    """Draw the credit owed at each attainment as a step line, with worked examples."""
    credit = commitment.credit
    if credit is None:
        return ""
    xs = [v for v in credit.breakpoints if v > ZERO]
    xs.extend(example.attainment for example in credit.examples)
    if commitment.target is not None:
        xs.append(commitment.target)
    plot = CreditPlot(axis_for(xs, max_ticks=10), _plot_top(_peak(credit)))
    parts = _axes(plot, credit.base)
    parts.append(_step_path(credit, plot))
    taken: list[Box] = []
    parts.extend(_cap(credit, plot, taken))
    parts.extend(_target(commitment.target, plot, taken))
    parts.extend(_examples(credit, plot, taken))
    title = f"{commitment.name}: service credit owed at each attainment"
    return svg(chart_id, "credit-chart", _HEIGHT, title, parts)


def _peak(credit: CreditView) -> Decimal:
    shares = [row.credit for row in credit.rows]
    shares.extend(example.credit.share for example in credit.examples)
    if credit.cap is not None:
        shares.append(credit.limit)
    return max(shares, default=credit.limit)


def _plot_top(peak: Decimal) -> Decimal:
    """Return the next round share above the highest credit shown."""
    for top in ("0.1", "0.2", "0.4", "0.6", "0.8"):
        if peak < Decimal(top):
            return Decimal(top)
    return Decimal("1.1")


def _axes(plot: CreditPlot, base: str) -> list[str]:
    parts = axis_parts(plot.axis, _PLOT_BOTTOM)
    parts.append(line(LEFT, _PLOT_TOP, LEFT, _PLOT_BOTTOM, "axis"))
    step = Decimal("0.05") if plot.top <= Decimal("0.2") else Decimal("0.1")
    if plot.top > Decimal("0.6"):
        step = Decimal("0.25")
    for share in ticks_between(ZERO, min(plot.top, ONE), step):
        y = plot.y(share)
        parts.append(line(LEFT, y, RIGHT, y, "grid"))
        parts.append(text(LEFT - 4, y + 4, format_percent(share), "tick", "end"))
    parts.append(text(RIGHT, _PLOT_BOTTOM + 34, "attainment", "tick", "end"))
    caption = f"credit, share of {base}"
    parts.append(text(LEFT + 4, _PLOT_TOP - 16, caption, "tick", "start"))
    return parts


def _step_path(credit: CreditView, plot: CreditPlot) -> str:
    """Trace the credit from low to high attainment, level between breakpoints."""
    axis = plot.axis
    inner = (b for b in credit.breakpoints if axis.low < b < axis.high)
    edges = sorted({axis.low, axis.high, *inner})
    bands = zip(edges, edges[1:], strict=False)
    shares = [credit_for(credit.schedule, (a + b) / 2).share for a, b in bands]
    path = [f"M{px(axis.x(edges[0]))},{px(plot.y(shares[0]))}"]
    for index, share in enumerate(shares):
        if index:
            path.append(f"V{px(plot.y(share))}")
        path.append(f"H{px(axis.x(edges[index + 1]))}")
    return f'<path d="{" ".join(path)}" class="steps"/>'


def _box(x: float, y: float, label: str, anchor: str) -> Box:
    width = _CHAR_WIDTH * len(label)
    left = {"start": x, "end": x - width}.get(anchor, x - width / 2)
    return (left, y - _LABEL_HEIGHT + 2, left + width, y + 2)


def _overlaps(box: Box, taken: list[Box]) -> bool:
    return any(
        box[0] < other[2]
        and other[0] < box[2]
        and box[1] < other[3]
        and other[1] < box[3]
        for other in taken
    )


def _cap(credit: CreditView, plot: CreditPlot, taken: list[Box]) -> list[str]:
    if credit.cap is None:
        return []
    y = plot.y(credit.limit)
    label = f"at most {format_percent(credit.limit)}"
    taken.append(_box(LEFT + 4, y - 5, label, "start"))
    return [
        line(LEFT, y, RIGHT, y, "cap"),
        text(LEFT + 4, y - 5, label, "label cap-label", "start"),
    ]


def _target(target: Decimal | None, plot: CreditPlot, taken: list[Box]) -> list[str]:
    axis = plot.axis
    if target is None or not axis.low <= target <= axis.high:
        return []
    x = axis.x(target)
    anchor, label_x = ("end", x - 3) if x > RIGHT - 90 else ("start", x + 3)
    y = _PLOT_TOP - 4
    taken.append(_box(label_x, y, "commitment", anchor))
    return [
        line(x, _PLOT_TOP - 2, x, _PLOT_BOTTOM, "commitment"),
        text(label_x, y, "commitment", "tick", anchor),
    ]


def _examples(credit: CreditView, plot: CreditPlot, taken: list[Box]) -> list[str]:
    """Mark the worked examples; each label takes the lowest free row above its dot.

    Credit never falls as attainment drops, so the step line right of a dot
    is at or below it and a label placed above and to the right stays clear.
    """
    parts = []
    shown = [e for e in credit.examples if e.reason != "boundary"]
    for example in sorted(shown, key=lambda e: e.attainment):
        x, y = plot.axis.x(example.attainment), plot.y(example.credit.share)
        css = "measured-point" if example.reason == "measured" else "example-point"
        share = format_percent(example.credit.share)
        label = f"{measured_percent(example.attainment)}: {share}"
        if example.reason == "measured":
            label = f"measured {label}"
        anchor, label_x = ("end", x - 6) if x > RIGHT - 110 else ("start", x + 6)
        label_y = y - 8
        for row in range(_LABEL_ROWS):
            label_y = y - 8 - row * (_LABEL_HEIGHT + 1)
            if not _overlaps(_box(label_x, label_y, label, anchor), taken):
                break
        taken.append(_box(label_x, label_y, label, anchor))
        parts.append(f'<circle cx="{px(x)}" cy="{px(y)}" r="4" class="{css}"/>')
        parts.append(text(label_x, label_y, label, f"label {css}", anchor))
    return parts
