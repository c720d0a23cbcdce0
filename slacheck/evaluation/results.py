"""Evaluation results: plain values with exact Decimal figures.

Ratios are shares between 0 and 1 (0.9994 is 99.94%); headroom is in
percentage points. ``to_dict`` renders Decimals as strings so JSON output
keeps every digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from slacheck.credits import Credit
from slacheck.evaluation.periods import Period
from slacheck.evaluation.snapshot import Measurement, Snapshot
from slacheck.findings import Finding
from slacheck.model import Document
from slacheck.objectives import Objective

# Status words shared by SLO and SLA results.
MET = "met"
MISSED = "missed"
BREACHED = "breached"
NO_DATA = "noData"
NOT_JUDGED = "notJudged"


@dataclass
class Budget:
    """An error budget over the judged period.

    ``allowed``, ``consumed`` and ``remaining`` count bad events or bad time
    slices (``unit``); they are None when only a ratio was measured. For a
    running period ``allowed`` is the budget of the whole period, projected
    from the traffic so far for event counts.
    """

    ratio: Decimal
    unit: str
    allowed: Decimal | None = None
    consumed: Decimal | None = None
    remaining: Decimal | None = None
    consumed_share: Decimal | None = None
    burn_rate: Decimal | None = None
    pace: Decimal | None = None
    allowed_minutes: Decimal | None = None

    @property
    def remaining_share(self) -> Decimal | None:
        return None if self.consumed_share is None else 1 - self.consumed_share


@dataclass
class SLOResult:
    """One SLO objective judged over one snapshot."""

    document: Document
    objective: Objective
    sli: str
    status: str
    attainment: Decimal | None = None
    budget: Budget | None = None
    measurement: Measurement | None = None
    window_note: str = ""
    notes: list[str] = field(default_factory=list)
    # The SLI's missingData rule, good or bad, when it stood in for a
    # measurement the snapshot lacks.
    missing_data: str | None = None

    @property
    def met(self) -> bool | None:
        return None if self.status not in (MET, MISSED) else self.status == MET

    @property
    def label(self) -> str:
        return _label(self.document.name, self.objective.name)


@dataclass
class CommitmentHistory:
    """The record of one commitment over the snapshots up to and including this one."""

    periods: int = 0
    breaches: int = 0
    headroom_points: list[Decimal] = field(default_factory=list)

    @property
    def breach_rate(self) -> Decimal | None:
        return None if not self.periods else Decimal(self.breaches) / self.periods


@dataclass
class Risk:
    """Leading KPIs of an SLA that moved the wrong way since the previous period."""

    worsening_kpis: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        return "elevated" if self.worsening_kpis else "normal"


@dataclass
class SLAResult:
    """One SLA commitment judged over one contract period."""

    document: Document
    commitment: Objective
    sli: str
    status: str
    attainment: Decimal | None = None
    headroom_points: Decimal | None = None
    budget_used: Decimal | None = None
    credit: Credit | None = None
    credit_base: str | None = None
    claim_deadline: date | None = None
    excluded_minutes: Decimal = Decimal(0)
    measurement: Measurement | None = None
    notes: list[str] = field(default_factory=list)
    risk: Risk = field(default_factory=Risk)
    history: CommitmentHistory = field(default_factory=CommitmentHistory)
    # As in SLOResult: the missingData rule that stood in for a measurement.
    missing_data: str | None = None

    @property
    def met(self) -> bool | None:
        return None if self.status not in (MET, BREACHED) else self.status == MET

    @property
    def breached(self) -> bool:
        return self.status == BREACHED

    @property
    def label(self) -> str:
        return _label(self.document.name, self.commitment.name)


@dataclass
class KPIResult:
    """One KPI measurement against its target, with the change since last period.

    Derived KPIs (``document`` is None) are the breach rate and headroom of an
    SLA commitment over the snapshots evaluated together.
    """

    name: str
    document: Document | None
    value: Decimal | None
    target: Decimal | None
    direction: str | None
    unit: str
    previous: Decimal | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def on_target(self) -> bool | None:
        if self.value is None or self.target is None or self.direction is None:
            return None
        if self.direction == "lowerIsBetter":
            return self.value <= self.target
        return self.value >= self.target

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def trend(self) -> str:
        """Return 'worse', 'better', 'flat' or 'unknown' against the previous period."""
        change = self.change
        if change is None or self.direction is None:
            return "unknown"
        if change == 0:
            return "flat"
        better = change < 0 if self.direction == "lowerIsBetter" else change > 0
        return "better" if better else "worse"

    @property
    def status(self) -> str:
        on_target = self.on_target
        if on_target is None:
            return NO_DATA if self.value is None else "noTarget"
        return "onTarget" if on_target else "offTarget"


@dataclass
class SnapshotEvaluation:
    """Everything judged over one snapshot."""

    snapshot: Snapshot
    slos: list[SLOResult] = field(default_factory=list)
    slas: list[SLAResult] = field(default_factory=list)
    kpis: list[KPIResult] = field(default_factory=list)

    @property
    def period(self) -> Period:
        return self.snapshot.period

    def services(self) -> list[str]:
        names = {_service(r.document) for r in self.slos}
        names |= {_service(r.document) for r in self.slas}
        names |= {_service(k.document) for k in self.kpis if k.document is not None}
        return sorted(names)


@dataclass
class Evaluation:
    """The result of :func:`slacheck.evaluation.evaluate`, oldest snapshot first."""

    snapshots: list[SnapshotEvaluation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def latest(self) -> SnapshotEvaluation | None:
        return self.snapshots[-1] if self.snapshots else None


def _label(document: str, part: str) -> str:
    return f"{document}/{part}" if part else document


def _service(document: Document | None) -> str:
    if document is None:
        return ""
    service = document.spec.get("service")
    return service if isinstance(service, str) else ""


def service_of(document: Document | None) -> str:
    return _service(document)
