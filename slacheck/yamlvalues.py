"""Turn a composed YAML node tree into plain values that remember positions.

Values get YAML 1.2 core-schema meaning, non-integer numbers become
:class:`decimal.Decimal`, and every value's 1-based line and column is
recorded against its field path. Problems that stop a document from being
built (duplicate keys, alias bombs, deep nesting, unsupported tags) raise
:class:`Abort` carrying the finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from slacheck.display import clip, quote
from slacheck.findings import Finding, Severity, format_field
from slacheck.yamlscalars import (
    OVERSIZED_NUMBER,
    TAG_BOOL,
    TAG_FLOAT,
    TAG_INT,
    TAG_MAP,
    TAG_MERGE,
    TAG_NULL,
    TAG_SEQ,
    TAG_STR,
    is_oversized_number,
    resolve_core,
    yaml11_message,
    yaml11_reading,
)

try:
    _Loader: type = yaml.CSafeLoader
    LIBYAML = True
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader
    LIBYAML = False

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]

MAX_DEPTH = 64
# Values a file may add by expanding aliases and merge keys, on top of one
# extra value per value it spells out. Sharing a list of exclusions between
# a few SLAs stays far below this; a "billion laughs" file exceeds it after
# a few levels. The budget is per file, so a top-level list of documents
# cannot spend it once per item.
MAX_ALIAS_EXPANSION = 10_000
# An optional anchor, then a tag: how a node with an explicit tag starts.
_TAG_START = re.compile(r"(&\S+\s+)?!")
# The same with the non-specific tag "!" alone, which makes a scalar a string.
_NON_SPECIFIC_TAG = re.compile(r"(&\S+\s+)?!(?=\s)")

_IMPLICIT_RESOLVER = yaml.resolver.Resolver()


class _ResolvedTag(str):
    """A tag PyYAML's resolver chose, as opposed to one the source spells.

    The composer resolves each plain scalar's YAML 1.1 tag once; marking
    that result lets the builder reuse it instead of resolving again.
    """


_RESOLVED_TAGS: dict[str, _ResolvedTag] = {}
_RESOLVED_STR = _RESOLVED_TAGS.setdefault(TAG_STR, _ResolvedTag(TAG_STR))
_RESOLVED_MAP = _RESOLVED_TAGS.setdefault(TAG_MAP, _ResolvedTag(TAG_MAP))
_RESOLVED_SEQ = _RESOLVED_TAGS.setdefault(TAG_SEQ, _ResolvedTag(TAG_SEQ))
# The characters a YAML 1.2 core-schema number can start with.
_NUMBER_START = frozenset("0123456789+-.")


# First characters of plain scalars that YAML 1.1 may read as something
# other than a string; PyYAML's resolver tries its patterns only for these.
_YAML11_FIRST = frozenset(
    first for first in yaml.resolver.Resolver.yaml_implicit_resolvers if first
)
# With a resolver for any first character (None), every scalar needs the check.
_ANY_FIRST = None in yaml.resolver.Resolver.yaml_implicit_resolvers


# Plain scalars already resolved, such as "99.9%" or "true", which
# definitions repeat often. Bounded, so a huge file cannot grow it.
_PLAIN_TAGS: dict[str, _ResolvedTag] = {}
_PLAIN_TAGS_MAX = 4096
_PLAIN_TAG_LENGTH_MAX = 40


class MarkingLoader(_Loader):  # type: ignore[misc, valid-type]
    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if _ANY_FIRST or self.yaml_path_resolvers:
            return self._resolve(kind, value, implicit)
        if kind is yaml.ScalarNode:
            # Quoted, or plain with a first character no pattern starts
            # with: PyYAML's resolver would return the string tag.
            if not implicit[0] or (value and value[0] not in _YAML11_FIRST):
                return _RESOLVED_STR
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = self._resolve(kind, value, implicit)
                short = len(value) <= _PLAIN_TAG_LENGTH_MAX
                if short and len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
                    _PLAIN_TAGS[value] = tag
            return tag
        if kind is yaml.MappingNode:
            return _RESOLVED_MAP
        if kind is yaml.SequenceNode:
            return _RESOLVED_SEQ
        return self._resolve(kind, value, implicit)

    def _resolve(self, kind: Any, value: Any, implicit: Any) -> _ResolvedTag:
        tag = super().resolve(kind, value, implicit)
        marked = _RESOLVED_TAGS.get(tag)
        if marked is None:
            marked = _RESOLVED_TAGS.setdefault(tag, _ResolvedTag(tag))
        return marked


@dataclass
class SourceDocument:
    """One YAML document (or one item of a top-level list) with positions."""

    path: str
    index: int
    data: Any
    line: int
    column: int
    positions: dict[FieldPath, Position] = field(default_factory=dict)
    key_positions: dict[FieldPath, Position] = field(default_factory=dict)

    def position(self, parts: FieldPath) -> Position:
        """Return the position of the value at ``parts``, or its nearest parent."""
        while True:
            found = self.positions.get(parts)
            if found is not None:
                return found
            if not parts:
                return (self.line, self.column)
            parts = parts[:-1]

    def key_position(self, parts: FieldPath) -> Position:
        """Return the position of the key naming ``parts`` (falls back to value)."""
        return self.key_positions.get(parts) or self.position(parts)


class DeferredTables(SourceDocument):
    """A document whose position tables are decoded on first use.

    Subclasses set the fields themselves, because the tables are properties
    here and the dataclass ``__init__`` does not apply. They implement
    :meth:`decode_table`.
    """

    _positions: dict[FieldPath, Position] | None = None
    _key_positions: dict[FieldPath, Position] | None = None

    def decode_table(self, keys: bool) -> dict[FieldPath, Position]:
        """Return the key positions with ``keys``, else the value positions."""
        raise NotImplementedError

    @property  # type: ignore[override]
    def positions(self) -> dict[FieldPath, Position]:
        if self._positions is None:
            self._positions = self.decode_table(keys=False)
        return self._positions

    @positions.setter
    def positions(self, value: dict[FieldPath, Position]) -> None:
        self._positions = value

    @property  # type: ignore[override]
    def key_positions(self) -> dict[FieldPath, Position]:
        if self._key_positions is None:
            self._key_positions = self.decode_table(keys=True)
        return self._key_positions

    @key_positions.setter
    def key_positions(self, value: dict[FieldPath, Position]) -> None:
        self._key_positions = value


class Abort(Exception):
    """A problem that stops reading the current document."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class Expansion:
    """Alias and merge-key use in one file, whose documents share one budget."""

    # Nodes built at least once; building one again is an expansion.
    seen: set[int] = field(default_factory=set)
    expanded: int = 0
    # Each merge source's keys and value nodes after its own merge keys.
    flattened: dict[int, list[tuple[str, yaml.Node]]] = field(default_factory=dict)
    exhausted: bool = False
    # Without '&' there is no anchor, so no alias and no shared node;
    # without '!' no tag. Most files have neither, which skips checks.
    may_alias: bool = True
    may_tag: bool = True

    @classmethod
    def for_text(cls, text: str) -> Expansion:
        """Start a file's budget, looking once for anchors and tags."""
        return cls(may_alias="&" in text, may_tag="!" in text)

    def allowance(self) -> int:
        return MAX_ALIAS_EXPANSION + len(self.seen)


class Builder:
    """Turn one document's node tree into plain values with positions."""

    def __init__(
        self,
        document: SourceDocument,
        findings: list[Finding],
        text: str,
        expansion: Expansion,
    ) -> None:
        self.document = document
        self.findings = findings
        self.text = text
        self.expansion = expansion
        # Collections being built and merge sources being flattened: meeting
        # one again inside itself means an alias refers to itself.
        self.active: set[int] = set()
        self.merging: set[int] = set()
        # Looked up once per file, not per document: a file of many small
        # documents searched its whole text for each of them.
        self.may_alias = expansion.may_alias
        self.may_tag = expansion.may_tag

    def build(self, node: yaml.Node, parts: FieldPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            message = f"document nests deeper than {MAX_DEPTH} levels; flatten it"
            raise Abort(self._finding(node, "SC005", message, parts))
        if self.may_alias:
            self._count(node, parts)
        self.document.positions[parts] = mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, parts)
        if not self.may_alias:
            return self._collection(node, parts, depth)
        if id(node) in self.active:
            raise Abort(self._recursive(node, parts))
        self.active.add(id(node))
        value = self._collection(node, parts, depth)
        self.active.discard(id(node))
        return value

    def _collection(self, node: yaml.Node, parts: FieldPath, depth: int) -> Any:
        if isinstance(node, yaml.SequenceNode):
            self._check_collection_tag(node, TAG_SEQ, parts)
            return [
                self.build(item, (*parts, i), depth + 1)
                for i, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.MappingNode)
        self._check_collection_tag(node, TAG_MAP, parts)
        return self._mapping(node, parts, depth)

    def _count(self, node: yaml.Node, parts: FieldPath) -> None:
        seen = self.expansion.seen
        if id(node) in seen:
            self._spend(node, parts, 1)
        else:
            seen.add(id(node))

    def _spend(self, node: yaml.Node, parts: FieldPath, amount: int) -> None:
        expansion = self.expansion
        expansion.expanded += amount
        if expansion.expanded <= expansion.allowance():
            return
        expansion.exhausted = True
        message = (
            f"aliases expand to more than {expansion.allowance()} extra values "
            "(an alias bomb?); write the values out or share fewer anchors; "
            "the rest of the file is not read"
        )
        raise Abort(self._finding(node, "SC004", message, parts))

    def _recursive(self, node: yaml.Node, parts: FieldPath) -> Finding:
        message = (
            "alias refers to itself: the value it names contains the alias; "
            "write the values out instead"
        )
        return self._finding(node, "SC004", message, parts)

    def _mapping(self, node: yaml.MappingNode, parts: FieldPath, depth: int) -> Any:
        result: dict[str, Any] = {}
        merge_values: list[yaml.Node] = []
        positions = self.document.positions
        key_positions = self.document.key_positions
        # A plain scalar value is read here rather than through build(),
        # which costs a call per value; aliases need build()'s counting.
        inline = not self.may_alias and depth < MAX_DEPTH
        for key_node, value_node in node.value:
            if key_node.tag == TAG_MERGE:
                merge_values.append(value_node)
                continue
            key = self._key(key_node, parts)
            child = (*parts, key)
            if key in result:
                self._duplicate(key, key_node, key_positions[child][0], child)
            start = key_node.start_mark
            key_positions[child] = (start.line + 1, start.column + 1)
            if inline and type(value_node) is yaml.ScalarNode:
                start = value_node.start_mark
                positions[child] = (start.line + 1, start.column + 1)
                result[key] = self._scalar(value_node, child)
            else:
                result[key] = self.build(value_node, child, depth + 1)
        if merge_values:
            for key, value_node in self._merged(merge_values, (*parts, "<<")):
                if key not in result:
                    result[key] = self.build(value_node, (*parts, key), depth + 1)
        return result

    def _duplicate(
        self, key: str, key_node: yaml.Node, first: int, child: FieldPath
    ) -> None:
        line = key_node.start_mark.line + 1
        message = (
            f"duplicate key {quote(key)} on line {line}, first defined on "
            f"line {first}; remove one of them"
        )
        raise Abort(self._finding(key_node, "SC002", message, child))

    def _check_unique(
        self, key: str, key_node: yaml.Node, key_lines: dict[str, int], child: FieldPath
    ) -> None:
        line = key_node.start_mark.line + 1
        first = key_lines.get(key)
        if first is not None:
            self._duplicate(key, key_node, first, child)
        key_lines[key] = line

    def _merged(
        self, merge_values: list[yaml.Node], parts: FieldPath
    ) -> list[tuple[str, yaml.Node]]:
        """Return the keys and value nodes that merge keys bring, first one wins.

        As the merge key specification (yaml.org/type/merge.html) states, a
        mapping's own keys win over merged ones, and within one ``<<`` list
        an earlier mapping wins over a later one. Of two ``<<`` keys in one
        mapping the later wins, as PyYAML reads them. A merged mapping's own
        ``<<`` keys are applied first.
        """
        pairs: dict[str, yaml.Node] = {}
        used: set[int] = set()
        for value_node in reversed(merge_values):
            for source in self._merge_sources(value_node, parts):
                if id(source) in used:
                    continue  # a repeated source cannot add a key
                used.add(id(source))
                flattened = self._flattened(source, parts)
                if self.may_alias:
                    self._spend(source, parts, len(flattened))
                for key, merged_node in flattened:
                    pairs.setdefault(key, merged_node)
        return list(pairs.items())

    def _flattened(
        self, node: yaml.MappingNode, parts: FieldPath
    ) -> list[tuple[str, yaml.Node]]:
        """Return a merge source's keys and value nodes, its own merges applied."""
        known = self.expansion.flattened.get(id(node))
        if known is not None:
            return known
        if id(node) in self.merging:
            raise Abort(self._recursive(node, parts))
        self._check_collection_tag(node, TAG_MAP, parts)
        self.merging.add(id(node))
        pairs: dict[str, yaml.Node] = {}
        key_lines: dict[str, int] = {}
        merge_values: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == TAG_MERGE:
                merge_values.append(value_node)
                continue
            key = self._key(key_node, parts)
            self._check_unique(key, key_node, key_lines, parts)
            pairs[key] = value_node
        for key, value_node in self._merged(merge_values, parts):
            pairs.setdefault(key, value_node)
        self.merging.discard(id(node))
        flattened = list(pairs.items())
        self.expansion.flattened[id(node)] = flattened
        return flattened

    def _merge_sources(
        self, node: yaml.Node, parts: FieldPath
    ) -> list[yaml.MappingNode]:
        if isinstance(node, yaml.MappingNode):
            return [node]
        if isinstance(node, yaml.SequenceNode) and all(
            isinstance(item, yaml.MappingNode) for item in node.value
        ):
            return list(node.value)
        message = "a merge key '<<' needs a mapping or a list of mappings"
        raise Abort(self._finding(node, "SC008", message, parts))

    def _key(self, node: yaml.Node, parts: FieldPath) -> str:
        if not isinstance(node, yaml.ScalarNode):
            message = "mapping keys must be plain strings, not lists or mappings"
            raise Abort(self._finding(node, "SC008", message, parts))
        return str(node.value)

    def _check_collection_tag(
        self, node: yaml.Node, expected: str, parts: FieldPath
    ) -> None:
        if node.tag != expected:
            message = f"unsupported YAML tag {quote(node.tag)}; remove the tag"
            raise Abort(self._finding(node, "SC008", message, parts))

    def _scalar(self, node: yaml.ScalarNode, parts: FieldPath) -> Any:
        text = node.value
        if self.may_tag and _NON_SPECIFIC_TAG.match(self.text, node.start_mark.index):
            # YAML reads "! 5" and '! "5"' as strings; PyYAML resolves them
            # as if untagged.
            return text
        if node.style not in (None, ""):
            if node.tag != TAG_STR:
                return self._tagged(node, parts)
            return text
        implicit = node.tag
        if (
            implicit is _RESOLVED_STR
            and not self.may_tag
            and text[:1] not in _NUMBER_START
        ):
            # YAML 1.1 reads it as a string, and YAML 1.2 reads only numbers
            # differently, which start with these characters.
            return text
        if type(implicit) is not _ResolvedTag:
            implicit = _IMPLICIT_RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
        if node.tag != implicit or self._has_explicit_tag(node):
            return self._tagged(node, parts)
        value = resolve_core(text)
        self._warn_if_yaml11_differs(node, implicit, value, parts)
        return value

    def _has_explicit_tag(self, node: yaml.Node) -> bool:
        """Tell whether the source spells a tag, as in ``!!bool yes``.

        A node does not record whether its tag was written or resolved, and
        ``!!bool yes`` gets the same tag as a plain ``yes``. A node's start
        mark sits on its anchor or tag, so the source text distinguishes them.
        """
        if not self.may_tag:
            return False
        match = _TAG_START.match(self.text, node.start_mark.index)
        return match is not None

    def _tagged(self, node: yaml.ScalarNode, parts: FieldPath) -> Any:
        """Honour an explicit standard tag such as ``!!str`` or ``!!int``."""
        text = node.value
        if node.tag == TAG_STR:
            return text
        value = resolve_core(text)
        wanted: dict[str, type | tuple[type, ...]] = {
            TAG_INT: int,
            TAG_FLOAT: (Decimal, int),
            TAG_BOOL: bool,
            TAG_NULL: type(None),
        }
        expected = wanted.get(node.tag)
        if expected is None:
            message = f"unsupported YAML tag {quote(node.tag)}; remove the tag"
            raise Abort(self._finding(node, "SC008", message, parts))
        if not isinstance(value, expected) or (
            node.tag == TAG_INT and isinstance(value, bool)
        ):
            message = f"value {quote(text)} does not match its tag {quote(node.tag)}"
            if is_oversized_number(text):
                message += f": it is {OVERSIZED_NUMBER}"
            raise Abort(self._finding(node, "SC008", message, parts))
        if node.tag == TAG_FLOAT:
            return Decimal(str(value))
        return value

    def _warn_if_yaml11_differs(
        self, node: yaml.ScalarNode, implicit: str, value: Any, parts: FieldPath
    ) -> None:
        text = node.value
        reading = yaml11_reading(implicit, text, value)
        if reading is None or is_oversized_number(text):
            return  # the schema reports an oversized number in its field
        line, column = mark(node)
        self.findings.append(
            Finding(
                self.document.path,
                line,
                column,
                "SC007",
                yaml11_message(text, value, reading),
                severity=Severity.WARNING,
                field_path=format_field(parts),
                key=clip(text),
            )
        )

    def _finding(
        self, node: yaml.Node, code: str, message: str, parts: FieldPath
    ) -> Finding:
        line, column = mark(node)
        return Finding(
            self.document.path,
            line,
            column,
            code,
            message,
            field_path=format_field(parts),
        )


def mark(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)
