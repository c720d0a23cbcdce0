"""Sentences both renderers share, so Markdown and HTML say the same thing."""

from __future__ import annotations

from decimal import Decimal

from slacheck.findings import Finding
from slacheck.quantities import format_percent, format_points
from slacheck.report.model import (
    CommitmentView,
    CreditRow,
    MarginView,
    MeasuredView,
    SlaView,
    WorkedExample,
)
from slacheck.report.words import headroom_words, measured_percent, plural

EXAMPLE_REASONS = {
    "boundary": "edge of a band",
    "example": "worked example",
    "measured": "measured this period",
}


def multiple_text(multiple: Decimal) -> str:
    return format(multiple.quantize(Decimal("0.01")).normalize(), "f")


def backing_sentence(margin: MarginView) -> str:
    target = format_percent(margin.slo_target) if margin.slo_target is not None else "?"
    threshold = f" {margin.slo_threshold}" if margin.slo_threshold else ""
    window = f" over {margin.slo_window}" if margin.slo_window else ""
    return f"{margin.slo_name}: {target}{threshold}{window}"


def margin_sentence(margin: MarginView) -> str:
    """Say how much looser the commitment is than its SLO, or what is wrong."""
    if margin.relation == "equal":
        return "none: the SLA promises exactly what the SLO targets"
    if margin.relation == "stricter":
        return "negative: the SLA promises more than the SLO targets"
    if margin.relation == "incomparable":
        return (
            "cannot be compared: the target and threshold pull in opposite directions"
        )
    if margin.points is None:
        return "unknown"
    text = format_points(margin.points)
    if margin.threshold_note:
        text += f", {margin.threshold_note}"
    if margin.multiple is not None:
        text += (
            f"; the SLA's error budget is {multiple_text(margin.multiple)}x the SLO's"
        )
    return text


def measured_sentence(measured: MeasuredView) -> str:
    if measured.attainment is None:
        return "no data for this period"
    status = {True: "met", False: "breached", None: "not judged"}[measured.met]
    if measured.running and measured.met is not None:
        status += " so far"
    parts = [f"{measured_percent(measured.attainment)}, {status}"]
    if measured.headroom_points is not None:
        parts.append(headroom_words(measured.headroom_points))
    if measured.credit is not None:
        parts.append(f"credit owed {format_percent(measured.credit)}")
    return ", ".join(parts)


def credit_text(share: Decimal, alternative: Decimal | None) -> str:
    text = format_percent(share)
    if alternative is not None:
        text += f" ({format_percent(alternative)} if a partly used step earns nothing)"
    return text


def row_credit(row: CreditRow) -> str:
    text = credit_text(row.credit, row.alternative)
    return f"{text} (cap)" if row.capped else text


def example_credit(example: WorkedExample) -> str:
    text = credit_text(example.credit.share, example.credit.alternative)
    return f"{text} (cap)" if example.credit.capped else text


def finding_line(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}:{finding.column}"
    return f"{finding.code} {finding.severity} at {where}: {finding.message}"


def findings_count(findings: list[Finding]) -> str:
    active = [f for f in findings if not f.suppressed]
    if not active:
        return "none"
    errors = sum(1 for f in active if str(f.severity) == "error")
    warnings = sum(1 for f in active if str(f.severity) == "warning")
    notes = len(active) - errors - warnings
    parts = []
    if errors:
        parts.append(plural(errors, "error"))
    if warnings:
        parts.append(plural(warnings, "warning"))
    if notes:
        parts.append(plural(notes, "note"))
    return ", ".join(parts)


def status_text(sla: SlaView) -> str:
    """Return the summary status: ``breached, credit owed 20% (monthly-uptime)``."""
    owed = sla.credits_owed
    status = sla.status
    if any(c.measured is not None and c.measured.running for c in sla.commitments):
        status += " so far"
    if not owed:
        return status
    credits = "; ".join(f"{format_percent(share)} ({name})" for name, share in owed)
    return f"{status}, credit owed {credits}"


def customers_text(sla: SlaView) -> str:
    values = dict(sla.customers.lines)
    return (
        values.get("Tiers")
        or values.get("Plans")
        or values.get("Party")
        or "not stated"
    )


def version_text(sla: SlaView) -> str:
    text = sla.version or "no version"
    if sla.effective:
        text += f", effective {sla.effective}"
    if sla.expiry:
        text += f" until {sla.expiry}"
    return text


def commitments_text(sla: SlaView) -> list[str]:
    return [commitment.sentence for commitment in sla.commitments]


def commitment_facts(commitment: CommitmentView) -> list[tuple[str, str]]:
    """Return the labelled facts listed under a commitment's headline."""
    facts = []
    if commitment.allowance is not None:
        facts.append(("Allows", commitment.allowance.text))
    if commitment.margin is not None:
        facts.append(("Backing SLO", backing_sentence(commitment.margin)))
        facts.append(("Margin", margin_sentence(commitment.margin)))
    elif commitment.backing_note:
        facts.append(("Backing SLO", commitment.backing_note))
    measured = commitment.measured
    if measured is not None:
        facts.append((f"Measured ({measured.period})", measured_sentence(measured)))
        if measured.claim_deadline:
            facts.append(("Claim deadline", measured.claim_deadline))
        facts.extend(("Note", note) for note in measured.notes)
    return facts
