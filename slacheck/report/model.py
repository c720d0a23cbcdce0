"""The report's model: each SLA clause in plain words, ready for any renderer.

Renderers only lay these values out; every figure (downtime, credits,
margin, headroom) is computed once here, in exact decimals, so Markdown and
HTML always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from slacheck.credits import Credit, CreditSchedule
from slacheck.findings import Finding


@dataclass(frozen=True)
class Allowance:
    """What a commitment allows per period: downtime, or a share of slow requests."""

    text: str
    low_minutes: Decimal | None = None
    high_minutes: Decimal | None = None


@dataclass(frozen=True)
class CreditRow:
    """One band of a credit schedule: attainment range and the credit it earns."""

    band: str
    credit: Decimal
    alternative: Decimal | None = None
    capped: bool = False


@dataclass(frozen=True)
class WorkedExample:
    """The credit a customer gets at one attainment value."""

    attainment: Decimal
    credit: Credit
    reason: str  # "example", "boundary" or "measured"


@dataclass(frozen=True)
class CreditView:
    schedule: CreditSchedule
    summary: str
    base: str
    cap: Decimal | None
    limit: Decimal
    rows: tuple[CreditRow, ...]
    examples: tuple[WorkedExample, ...]
    breakpoints: tuple[Decimal, ...]
    starts_below: Decimal | None
    open_question: str = ""
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class MarginView:
    """The backing SLO objective and how much looser the commitment is."""

    slo_name: str
    slo_target: Decimal | None
    slo_threshold: str
    slo_window: str
    relation: str  # looser, equal, stricter or incomparable
    points: Decimal | None
    multiple: Decimal | None
    threshold_note: str = ""


@dataclass(frozen=True)
class MeasuredView:
    """One commitment's measured result from a snapshot evaluation."""

    period: str
    attainment: Decimal | None
    met: bool | None
    headroom_points: Decimal | None
    credit: Decimal | None
    claim_deadline: str
    notes: tuple[str, ...] = ()
    running: bool = False  # the period has not ended: figures are so far
    # The calendar month the period starts in, for the exact downtime allowed.
    year: int | None = None
    month: int | None = None


@dataclass
class CommitmentView:
    index: int
    name: str
    sentence: str
    description: str
    target: Decimal | None
    threshold: str
    period: str
    allowance: Allowance | None
    margin: MarginView | None
    backing_note: str
    credit: CreditView | None
    measured: MeasuredView | None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Clause:
    """A contract clause as labelled lines, with the findings about it."""

    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    items_title: str = ""
    findings: list[Finding] = field(default_factory=list)
    missing: str = ""

    @property
    def empty(self) -> bool:
        return not (self.lines or self.items or self.findings or self.missing)


@dataclass
class SlaView:
    name: str
    path: str
    line: int
    service: str
    version: str
    effective: str
    expiry: str
    description: str
    customers: Clause
    commitments: list[CommitmentView]
    measurement: Clause
    exclusions: Clause
    remedies: Clause
    claims: Clause
    escalation: Clause
    general_findings: list[Finding] = field(default_factory=list)

    @property
    def all_findings(self) -> list[Finding]:
        found = list(self.general_findings)
        for clause in self.clauses:
            found.extend(clause.findings)
        for commitment in self.commitments:
            found.extend(commitment.findings)
            if commitment.credit is not None:
                found.extend(commitment.credit.findings)
        return found

    @property
    def clauses(self) -> list[Clause]:
        return [
            self.customers,
            self.measurement,
            self.exclusions,
            self.remedies,
            self.claims,
            self.escalation,
        ]

    @property
    def status(self) -> str:
        """Return ``breached``, ``met`` or ``not measured`` over all commitments."""
        results = [c.measured.met for c in self.commitments if c.measured is not None]
        if any(result is False for result in results):
            return "breached"
        if results and all(result is True for result in results):
            return "met"
        if results:
            return "partly measured"
        return "not measured"

    @property
    def credits_owed(self) -> list[tuple[str, Decimal]]:
        """Return (commitment, credit share) for each measured commitment owing one."""
        owed = []
        for commitment in self.commitments:
            measured = commitment.measured
            if measured is not None and measured.credit:
                owed.append((commitment.name, measured.credit))
        return owed


@dataclass
class ReportModel:
    title: str
    sources: list[str]
    snapshot: str
    slas: list[SlaView]
    other_findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
