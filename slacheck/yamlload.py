"""Read YAML files into plain values that remember where each value came from.

PyYAML's C composer builds the node tree (fast, bounded nesting), and this
module turns nodes into values itself, for three reasons:

* values get YAML 1.2 core-schema meaning, so ``no``, ``on``, ``1:30`` and
  unquoted dates stay strings, unlike PyYAML's YAML 1.1 constructors;
* non-integer numbers become :class:`decimal.Decimal`, so ``99.9`` is exact;
* every value's 1-based line and column is recorded against its field path,
  which is how schema errors and rule findings point at the right line.

Problems that stop a file from being read (syntax, encoding, duplicate keys,
alias bombs, deep nesting, size) become findings, never exceptions.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from slacheck.findings import Finding, Severity, format_field

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
# Nodes a file may add by expanding aliases beyond the nodes it spells out.
# Sharing a list of exclusions between a few SLAs stays far below this; a
# "billion laughs" document exceeds it after a few levels.
MAX_ALIAS_EXPANSION = 10_000

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"

# YAML 1.2.2, section 10.3.2 (core schema tag resolution).
_CORE_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_CORE_TRUE = frozenset({"true", "True", "TRUE"})
_CORE_FALSE = frozenset({"false", "False", "FALSE"})
_CORE_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_CORE_INT8 = re.compile(r"0o[0-7]+\Z")
_CORE_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_LEADING_ZERO_INT = re.compile(r"[-+]?0[0-9]+\Z")
# An optional anchor, then a tag: how a node with an explicit tag starts.
_TAG_START = re.compile(r"(&\S+\s+)?!")

_IMPLICIT_RESOLVER = yaml.resolver.Resolver()


class _ResolvedTag(str):
    """A tag PyYAML's resolver chose, as opposed to one the source spells.

    The composer resolves each plain scalar's YAML 1.1 tag once; marking
    that result lets the builder reuse it instead of resolving again.
    """


_RESOLVED_TAGS: dict[str, _ResolvedTag] = {}


class _MarkingLoader(_Loader):  # type: ignore[misc, valid-type]
    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
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


@dataclass
class LoadedFile:
    path: str
    documents: list[SourceDocument]
    findings: list[Finding]
    text: str = ""


class _Abort(Exception):
    """A problem that stops reading the current document."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


# Byte-order marks of the encodings YAML allows besides UTF-8; the UTF-32
# marks come first because the UTF-32-LE mark starts with the UTF-16-LE one.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def read_bytes(path: str) -> bytes:
    """Read a file, stopping one byte past the size limit.

    :func:`decode` reports a file that long as too large, so a huge file
    never has to fit in memory. Raises :class:`OSError` like ``open``.
    """
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def decode(path: str, raw: bytes) -> tuple[str | None, Finding | None]:
    """Decode file bytes as UTF-8, rejecting binary content with a finding."""
    if len(raw) > MAX_FILE_BYTES:
        limit_mib = MAX_FILE_BYTES // (1024 * 1024)
        message = (
            f"file is larger than the {limit_mib} MiB limit; "
            "split it into smaller definition files"
        )
        return None, Finding(path, 1, 1, "SC006", message)
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            message = f"file is encoded as {encoding}; save it as UTF-8"
            return None, Finding(path, 1, 1, "SC003", message)
    nul = raw.find(b"\0")
    if nul != -1:
        line = raw.count(b"\n", 0, nul) + 1
        message = "file holds binary content (a NUL byte), not YAML text"
        return None, Finding(path, line, 1, "SC003", message)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = (
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
            "save it as UTF-8"
        )
        return None, Finding(path, line, column, "SC003", message)
    return text, None


def load_text(path: str, text: str) -> LoadedFile:
    """Parse ``text`` into documents; syntax problems become findings."""
    result = LoadedFile(path=path, documents=[], findings=[], text=text)
    try:
        roots = list(yaml.compose_all(text, Loader=_MarkingLoader))
    except yaml.MarkedYAMLError as exc:
        result.findings.append(_syntax_finding(path, exc, text))
        return result
    except yaml.reader.ReaderError as exc:
        result.findings.append(_reader_finding(path, exc, text))
        return result
    except yaml.YAMLError as exc:  # any other error without a mark
        message = f"invalid YAML: {_one_line(str(exc))}"
        result.findings.append(Finding(path, 1, 1, "SC001", message))
        return result
    except RecursionError:
        # Only the pure-Python composer recurses per level; libyaml stops
        # at its own depth limit first and raises a marked error instead.
        message = "YAML nesting is too deep for the parser; flatten it"
        result.findings.append(Finding(path, 1, 1, "SC005", message))
        return result
    for root in roots:
        if root is None or _is_empty(root):
            continue
        _split_root(path, root, result)
    return result


def _is_empty(root: yaml.Node) -> bool:
    """Tell whether a document is empty, as after a trailing ``---``."""
    return (
        isinstance(root, yaml.ScalarNode)
        and root.tag == _NULL
        and root.value == ""
        and root.style in (None, "")
    )


def _reader_finding(path: str, exc: yaml.reader.ReaderError, text: str) -> Finding:
    """Point at a character YAML forbids, such as a control character."""
    offset = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    character = exc.character
    if isinstance(character, int):
        shown = f"U+{character:04X}"
    else:
        shown = repr(character)
    message = f"invalid YAML: character {shown} is not allowed in YAML text; remove it"
    return Finding(path, line, column, "SC001", message)


def load_file(path: str, raw: bytes) -> LoadedFile:
    text, problem = decode(path, raw)
    if problem is not None:
        return LoadedFile(path=path, documents=[], findings=[problem])
    assert text is not None
    return load_text(path, text)


def _syntax_finding(path: str, exc: yaml.MarkedYAMLError, text: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    problem = exc.problem or "syntax error"
    if "nesting depth" in problem or "nesting depth" in str(exc):
        message = f"YAML nesting is too deep for the parser: {_one_line(problem)}"
        return Finding(path, line, column, "SC005", message)
    detail = problem
    if exc.context:
        detail = f"{problem} ({exc.context})"
    if _tab_at(text, line, column):
        detail += "; a tab character is here: indent with spaces, not tabs"
    return Finding(path, line, column, "SC001", f"invalid YAML: {_one_line(detail)}")


def _tab_at(text: str, line: int, column: int) -> bool:
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return False
    return "\t" in lines[line - 1][: column + 1]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _split_root(path: str, root: yaml.Node, result: LoadedFile) -> None:
    if isinstance(root, yaml.SequenceNode) and root.tag == _SEQ:
        # A top-level list of objects is a file of several documents.
        for item in root.value:
            _build_document(path, item, len(result.documents), result)
        return
    _build_document(path, root, len(result.documents), result)


def _build_document(path: str, node: yaml.Node, index: int, out: LoadedFile) -> None:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    document = SourceDocument(path=path, index=index, data=None, line=line, column=column)
    builder = _Builder(document, out.findings, out.text)
    try:
        document.data = builder.build(node, (), 0)
    except _Abort as abort:
        out.findings.append(abort.finding)
        return
    out.documents.append(document)


class _Builder:
    """Turn one document's node tree into plain values with positions."""

    def __init__(
        self, document: SourceDocument, findings: list[Finding], text: str
    ) -> None:
        self.document = document
        self.findings = findings
        self.text = text
        self.seen: set[int] = set()
        self.expanded = 0
        # Without '&' there is no anchor, so no alias and no shared node;
        # without '!' no tag. Most files have neither, which skips checks.
        self.may_alias = "&" in text
        self.may_tag = "!" in text

    def build(self, node: yaml.Node, parts: FieldPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            message = f"document nests deeper than {MAX_DEPTH} levels; flatten it"
            raise _Abort(self._finding(node, "SC005", message, parts))
        if self.may_alias:
            self._count(node, parts)
        self.document.positions[parts] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, parts)
        if isinstance(node, yaml.SequenceNode):
            self._check_collection_tag(node, _SEQ, parts)
            return [
                self.build(item, (*parts, i), depth + 1)
                for i, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.MappingNode)
        self._check_collection_tag(node, _MAP, parts)
        return self._mapping(node, parts, depth)

    def _count(self, node: yaml.Node, parts: FieldPath) -> None:
        if id(node) in self.seen:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_EXPANSION:
                message = (
                    "aliases expand to more than "
                    f"{MAX_ALIAS_EXPANSION} extra values (an alias bomb?); "
                    "write the values out or share fewer anchors"
                )
                raise _Abort(self._finding(node, "SC004", message, parts))
        else:
            self.seen.add(id(node))

    def _mapping(self, node: yaml.MappingNode, parts: FieldPath, depth: int) -> Any:
        result: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        merged: list[yaml.MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_sources(value_node, (*parts, "<<")))
                continue
            key = self._key(key_node, parts)
            child = (*parts, key)
            if key in key_lines:
                first, again = key_lines[key], key_node.start_mark.line + 1
                message = (
                    f"duplicate key {key!r} on line {again}, first defined on "
                    f"line {first}; remove one of them"
                )
                raise _Abort(self._finding(key_node, "SC002", message, child))
            key_lines[key] = key_node.start_mark.line + 1
            self.document.key_positions[child] = _mark(key_node)
            result[key] = self.build(value_node, child, depth + 1)
        for source in merged:
            for key_node, value_node in source.value:
                key = self._key(key_node, parts)
                if key not in result:
                    result[key] = self.build(value_node, (*parts, key), depth + 1)
        return result

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
        raise _Abort(self._finding(node, "SC008", message, parts))

    def _key(self, node: yaml.Node, parts: FieldPath) -> str:
        if not isinstance(node, yaml.ScalarNode):
            message = "mapping keys must be plain strings, not lists or mappings"
            raise _Abort(self._finding(node, "SC008", message, parts))
        return str(node.value)

    def _check_collection_tag(
        self, node: yaml.Node, expected: str, parts: FieldPath
    ) -> None:
        if node.tag != expected:
            message = f"unsupported YAML tag {node.tag!r}; remove the tag"
            raise _Abort(self._finding(node, "SC008", message, parts))

    def _scalar(self, node: yaml.ScalarNode, parts: FieldPath) -> Any:
        text = node.value
        if node.style not in (None, ""):
            if node.tag != _STR:
                return self._tagged(node, parts)
            return text
        implicit = node.tag
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
        if node.tag == _STR:
            return text
        value = resolve_core(text)
        wanted: dict[str, type | tuple[type, ...]] = {
            _INT: int,
            _FLOAT: (Decimal, int),
            _BOOL: bool,
            _NULL: type(None),
        }
        expected = wanted.get(node.tag)
        if expected is None:
            message = f"unsupported YAML tag {node.tag!r}; remove the tag"
            raise _Abort(self._finding(node, "SC008", message, parts))
        if not isinstance(value, expected) or (
            node.tag == _INT and isinstance(value, bool)
        ):
            message = f"value {text!r} does not match its tag {node.tag!r}"
            raise _Abort(self._finding(node, "SC008", message, parts))
        if node.tag == _FLOAT:
            return Decimal(str(value))
        return value

    def _warn_if_yaml11_differs(
        self, node: yaml.ScalarNode, implicit: str, value: Any, parts: FieldPath
    ) -> None:
        text = node.value
        reading = _yaml11_reading(implicit, text, value)
        if reading is None:
            return
        line, column = _mark(node)
        self.findings.append(
            Finding(
                self.document.path,
                line,
                column,
                "SC007",
                _yaml11_message(text, value, reading),
                severity=Severity.WARNING,
                field_path=format_field(parts),
                key=text,
            )
        )

    def _finding(
        self, node: yaml.Node, code: str, message: str, parts: FieldPath
    ) -> Finding:
        line, column = _mark(node)
        return Finding(
            self.document.path,
            line,
            column,
            code,
            message,
            field_path=format_field(parts),
        )


def _yaml11_reading(implicit: str, text: str, value: Any) -> str | None:
    """Name what a YAML 1.1 tool reads a plain scalar as, when that differs.

    ``implicit`` is PyYAML's YAML 1.1 tag for the scalar and ``value`` what
    the YAML 1.2 core schema gave; None means both readings agree.
    """
    if implicit == _BOOL and not isinstance(value, bool):
        return "a boolean"
    if implicit == _TIMESTAMP:
        return "a date or timestamp"
    if implicit in (_INT, _FLOAT) and isinstance(value, str):
        return "a number"
    if implicit == _INT and _LEADING_ZERO_INT.match(text):
        return "an octal number"
    if implicit == _STR and not isinstance(value, str):
        return "a string"  # 0o17 and 1e3 are numbers only in YAML 1.2
    return None


def _yaml11_message(text: str, value: Any, reading: str) -> str:
    if isinstance(value, str) and text.lstrip("+-").lower() in (".inf", ".nan"):
        return (
            f"plain value {text!r} is read as the string {text!r} here, but as "
            "a number by YAML 1.1 and YAML 1.2 tools; quote it"
        )
    if isinstance(value, str):
        return (
            f"plain value {text!r} is read as the string {value!r} here "
            f"(YAML 1.2) but as {reading} by YAML 1.1 tools; quote it"
        )
    number = format(value, "f") if isinstance(value, Decimal) else str(value)
    fix = "drop the leading zero or quote it"
    if reading == "a string":
        fix = f"write {number} or quote it"
    return (
        f"plain value {text!r} is read as the number {number} here "
        f"(YAML 1.2) but as {reading} by YAML 1.1 tools; {fix}"
    )


def resolve_core(text: str) -> Any:
    """Resolve a plain scalar by the YAML 1.2 core schema."""
    if text in _CORE_NULL:
        return None
    if text in _CORE_TRUE:
        return True
    if text in _CORE_FALSE:
        return False
    if _CORE_INT10.match(text):
        return int(text)
    if _CORE_INT8.match(text):
        return int(text[2:], 8)
    if _CORE_INT16.match(text):
        return int(text[2:], 16)
    if _CORE_FLOAT.match(text):
        return Decimal(text)
    # Infinity and NaN (".inf", ".nan") stay strings: no definition field
    # takes them, and a string makes the schema error name the field.
    return text


def _mark(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)
