"""Findings: the values every check produces and every report consumes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(enum.IntEnum):
    """How serious a finding is; higher values are worse."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {text!r}; use one of {names}") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is accepted rather than fixed (a waiver or a baseline)."""

    kind: str
    reason: str
    owner: str = ""
    expires: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place.

    ``line`` and ``column`` are 1-based; a finding about a whole file (one
    that cannot be read or parsed) points at 1:1. ``field_path`` is a
    JSONPath-like location inside the document, such as
    ``$.spec.commitments[0].target``; empty means the whole document or file,
    which reports render as ``$``.
    ``key`` is a short, line-independent statement of what the finding is
    about (usually the offending value); baselines and fingerprints use it.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    kind: str = ""
    name: str = ""
    field_path: str = ""
    key: str = ""
    suppression: Suppression | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    def with_suppression(self, suppression: Suppression) -> Finding:
        return replace(self, suppression=suppression)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": str(self.severity),
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "kind": self.kind,
            "name": self.name,
            "field": self.field_path or "$",
        }
        if self.suppression is not None:
            data["suppressed"] = {
                "kind": self.suppression.kind,
                "reason": self.suppression.reason,
                "owner": self.suppression.owner,
                "expires": self.suppression.expires,
            }
        return data


def format_field(parts: tuple[str | int, ...]) -> str:
    """Render a path of keys and indexes as ``$.spec.items[0].name``."""
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier():
            out.append(f".{part}")
        else:
            out.append(f"[{part!r}]")
    return "".join(out)
