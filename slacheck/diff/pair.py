"""A document in the base and in the head tree, and how to word a change to it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slacheck.diff.model import Change
from slacheck.findings import format_field
from slacheck.model import Document
from slacheck.quantities import format_percent
from slacheck.yamlload import FieldPath


@dataclass
class Pair:
    """The same document (same kind and name) in both trees; either may be None."""

    kind: str
    name: str
    base: Document | None
    head: Document | None
    show: Callable[[Document], str]

    @property
    def current(self) -> Document:
        document = self.head if self.head is not None else self.base
        assert document is not None
        return document

    @property
    def path(self) -> str:
        return self.show(self.current)

    def change(
        self,
        effect: str,
        message: str,
        where: FieldPath = (),
        *,
        commitment: str = "",
        contract: bool = False,
    ) -> Change:
        """Word a change found at ``where`` (a field path in the head document)."""
        line = self.current.position(where)[0]
        return Change(
            kind=self.kind,
            name=self.name,
            effect=effect,
            message=message,
            path=self.path,
            line=line,
            field=format_field(where),
            commitment=commitment,
            contract=contract,
        )


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def shown(value: Any) -> str:
    """Quote a value for a message: ratios as percentages, text in quotes."""
    if value is None:
        return "nothing"
    if isinstance(value, Decimal):
        return format_percent(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(item) for item in value) or "nothing"
    return repr(value) if isinstance(value, str) else str(value)


def compare_numbers(old: Decimal | None, new: Decimal | None) -> int:
    """Return -1 when ``new`` is smaller, 1 when larger, 0 when equal or unknown."""
    if old is None or new is None or old == new:
        return 0
    return -1 if new < old else 1
