"""Definition documents and the catalogue that resolves references between them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slacheck.display import quote
from slacheck.yamlload import FieldPath, Position, SourceDocument

T = TypeVar("T")

SLACHECK_V1 = "slacheck/v1"
OPENSLO_V1 = "openslo/v1"
SLACHECK_KINDS = ("Service", "SLI", "SLO", "SLA", "KPI", "Snapshot", "Policy")
OPENSLO_KINDS = (
    "Service",
    "SLI",
    "SLO",
    "DataSource",
    "AlertPolicy",
    "AlertCondition",
    "AlertNotificationTarget",
)


@dataclass
class Document:
    """A definition document: envelope fields plus its source with positions."""

    source: SourceDocument
    api_version: str
    kind: str
    name: str
    valid: bool = True
    # Facts other stages attach, such as an OpenSLO document's converted spec.
    notes: dict[str, Any] = field(default_factory=dict)
    # Readings several rules share (commitments, credit schedules), built once.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def remember(self, key: str, build: Callable[[Document], T]) -> T:
        """Return what ``build`` reads from this document, reading it only once.

        Callers must not change the value they get: the next caller shares it.
        """
        if key in self.derived:
            value: T = self.derived[key]
            return value
        built = self.derived[key] = build(self)
        return built

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def data(self) -> dict[str, Any]:
        data = self.source.data
        return data if isinstance(data, dict) else {}

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.data.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def metadata(self) -> dict[str, Any]:
        metadata = self.data.get("metadata")
        return metadata if isinstance(metadata, dict) else {}

    @property
    def is_openslo(self) -> bool:
        return self.api_version == OPENSLO_V1

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name!r}"

    def position(self, parts: FieldPath) -> Position:
        return self.source.position(parts)


@dataclass
class Resolution:
    """The outcome of looking a name up: a single target, or why not."""

    target: Document | None
    problem: str = ""
    code: str = ""


@dataclass
class Catalog:
    """All loaded documents, indexed by kind and name."""

    documents: list[Document] = field(default_factory=list)
    by_kind: dict[str, dict[str, list[Document]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    kind_lists: dict[str, list[Document]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # Groupings that rules derive from the whole catalogue, built once per run
    # so that a rule checking each of n documents does not rescan all n.
    _memo: dict[str, Any] = field(default_factory=dict)
    _resolved: dict[tuple[str, str], Resolution] = field(default_factory=dict)

    def add(self, document: Document) -> None:
        self.documents.append(document)
        self.kind_lists[document.kind].append(document)
        self._memo.clear()
        self._resolved.clear()
        if document.name:
            self.by_kind[document.kind][document.name].append(document)

    def of_kind(self, kind: str) -> Iterator[Document]:
        return iter(self.kind_lists.get(kind, ()))

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """Return the value stored under ``key``, building it on first use."""
        if key not in self._memo:
            self._memo[key] = build()
        value: T = self._memo[key]
        return value

    def named(self, kind: str, name: str) -> list[Document]:
        return self.by_kind.get(kind, {}).get(name, [])

    def resolve(self, kind: str, name: str) -> Resolution:
        """Find the one document of ``kind`` called ``name``.

        A name missing from ``kind`` but present under another kind gets its
        own code, because the fix differs (point the field at the right kind).
        Results are cached until the next document is added.
        """
        known = self._resolved.get((kind, name))
        if known is None:
            known = self._resolved[(kind, name)] = self._resolve(kind, name)
        return known

    def _resolve(self, kind: str, name: str) -> Resolution:
        found = self.named(kind, name)
        if len(found) == 1:
            return Resolution(found[0])
        shown = quote(name)
        if len(found) > 1:
            places = ", ".join(f"{d.path}:{d.source.line}" for d in found[:3])
            if len(found) > 3:
                places += f" and {len(found) - 3} more"
            message = f"{kind} {shown} is defined {len(found)} times ({places})"
            return Resolution(None, message, "SC103")
        elsewhere = sorted(k for k, names in self.by_kind.items() if name in names)
        if elsewhere:
            kinds = " and ".join(_with_article(k) for k in elsewhere)
            message = f"{shown} is {kinds}, not {_with_article(kind)}"
            return Resolution(None, message, "SC102")
        return Resolution(None, f"no {kind} named {shown} is defined", "SC101")


def _with_article(kind: str) -> str:
    """Return the kind with its article as read aloud: 'an SLO', 'a Service'."""
    # Acronyms are read letter by letter ("an SLO"), words as words ("a Service").
    sounds_like_vowel = "AEFHILMNORSX" if kind.isupper() else "AEIOU"
    return f"an {kind}" if kind[:1] in sounds_like_vowel else f"a {kind}"
