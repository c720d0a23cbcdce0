"""What a diff finds: changes in plain words and the findings they raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slacheck.findings import Finding

# How a change affects the customer of an SLA.
WEAKENING = "weakening"
STRENGTHENING = "strengthening"
UNCLEAR = "unclear"  # may weaken: versioned like a weakening
NEUTRAL = "neutral"

EFFECTS = (WEAKENING, UNCLEAR, STRENGTHENING, NEUTRAL)


@dataclass(frozen=True)
class Change:
    """One difference between the base and head definition of a document.

    ``contract`` marks a change to what the SLA promises (commitments,
    exclusions, remedies, claims, measurement, customers): such a change
    needs a higher ``metadata.version``.
    """

    kind: str
    name: str
    effect: str
    message: str
    path: str = ""
    line: int = 0
    field: str = ""
    commitment: str = ""
    contract: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "effect": self.effect,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "commitment": self.commitment,
            "contract": self.contract,
        }


@dataclass
class DocumentDiff:
    """All changes to one document (added, removed or changed)."""

    kind: str
    name: str
    status: str  # added, removed or changed
    path: str
    base_version: str = ""
    head_version: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def effects(self) -> set[str]:
        return {change.effect for change in self.changes}


@dataclass
class DiffResult:
    base: str
    head: str
    documents: list[DocumentDiff] = field(default_factory=list)
    files: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        found = [change for doc in self.documents for change in doc.changes]
        return [*found, *self.files]

    def count(self, effect: str) -> int:
        return sum(1 for change in self.changes if change.effect == effect)
