"""Read YAML files into plain values that remember where each value came from.

PyYAML's C composer builds the node tree (fast, bounded nesting), and
:mod:`slacheck.yamlvalues` turns nodes into values itself, for three reasons:

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
import errno
import os
import stat
from dataclasses import dataclass

import yaml

from slacheck.findings import Finding
from slacheck.yamlscalars import resolve_core
from slacheck.yamlvalues import (
    LIBYAML,
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    Abort,
    Builder,
    Expansion,
    FieldPath,
    MarkingLoader,
    Position,
    SourceDocument,
)

__all__ = [
    "MAX_ALIAS_EXPANSION",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "FieldPath",
    "LoadedFile",
    "NotRegularFile",
    "Position",
    "SourceDocument",
    "decode",
    "load_file",
    "load_text",
    "read_bytes",
    "resolve_core",
]

MAX_FILE_BYTES = 5 * 1024 * 1024

_SEQ = "tag:yaml.org,2002:seq"
_NULL = "tag:yaml.org,2002:null"


@dataclass
class LoadedFile:
    path: str
    documents: list[SourceDocument]
    findings: list[Finding]
    text: str = ""
    # The bytes of a file that could not be decoded, so that a caller can
    # still look for words in it; empty otherwise.
    raw: bytes = b""


# Byte-order marks of the encodings YAML allows besides UTF-8; the UTF-32
# marks come first because the UTF-32-LE mark starts with the UTF-16-LE one.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


class NotRegularFile(OSError):
    """The path is a folder, FIFO, socket or device, so it is not read."""


# Opening a FIFO without O_NONBLOCK waits for a writer, which hung a scan.
# Reading a regular file is the same with or without the flag.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


_READ_CHUNK = 64 * 1024


def read_bytes(path: str) -> bytes:
    """Read a regular file, stopping one byte past the size limit.

    :func:`decode` reports a file that long as too large, so a huge file
    never has to fit in memory. Raises :class:`NotRegularFile` for anything
    but a regular file (after following symbolic links), and
    :class:`OSError` like ``open`` otherwise.
    """
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", path)
        # Plain os.read calls sized from fstat: a buffered read of the limit
        # sets aside the whole limit for every small file.
        limit = MAX_FILE_BYTES + 1
        chunks = []
        total = 0
        # One byte past the size shows the end; a file that grows meanwhile
        # is read on in chunks up to the limit.
        want = min(info.st_size + 1, limit)
        while total < limit:
            chunk = os.read(descriptor, want)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            want = min(_READ_CHUNK, limit - total)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(descriptor)


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
        message = "file contains binary content (a NUL byte), not YAML text"
        return None, Finding(path, line, 1, "SC003", message)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # After a byte-order mark, the decoder counts from the byte after it.
        line, column = _byte_position(exc.object, exc.start)
        message = (
            f"file is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x}); "
            "save it as UTF-8"
        )
        return None, Finding(path, line, column, "SC003", message)
    return text, None


def load_text(path: str, text: str) -> LoadedFile:
    """Parse ``text`` into documents; syntax problems become findings."""
    result = LoadedFile(path=path, documents=[], findings=[], text=text)
    # Documents before a syntax error are kept and checked; the error is
    # reported where it is, and the documents after it cannot be read.
    roots: list[yaml.Node] = []
    try:
        for root in yaml.compose_all(text, Loader=MarkingLoader):
            roots.append(root)
    except yaml.MarkedYAMLError as exc:
        result.findings.append(_syntax_finding(path, exc, text))
    except yaml.reader.ReaderError as exc:
        result.findings.append(_reader_finding(path, exc, text))
    except yaml.YAMLError as exc:  # any other error without a mark
        message = f"invalid YAML: {_one_line(str(exc))}"
        result.findings.append(Finding(path, 1, 1, "SC001", message))
    except RecursionError:
        # Only the pure-Python composer recurses per level; libyaml stops
        # at its own depth limit first and raises a marked error instead.
        message = "YAML nesting is too deep for the parser; flatten it"
        result.findings.append(Finding(path, 1, 1, "SC005", message))
    # Aliases cannot cross a '---', but one budget per file bounds the work
    # of a file of many documents as it bounds a top-level list.
    expansion = Expansion.for_text(text)
    for root in roots:
        if root is None or _is_empty(root):
            continue
        _split_root(path, root, result, expansion)
        if expansion.exhausted:
            break
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
    if LIBYAML:
        # libyaml reads the text as UTF-8 and reports a byte offset.
        encoded = text.encode("utf-8", "surrogatepass")
        line, column = _byte_position(encoded, exc.position)
    else:
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


def _byte_position(raw: bytes, offset: int) -> Position:
    """Return the line and character column of a byte offset in UTF-8 bytes."""
    offset = min(max(offset, 0), len(raw))
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    before = raw[start:offset].decode("utf-8", "replace")
    return line, len(before) + 1


def load_file(path: str, raw: bytes) -> LoadedFile:
    text, problem = decode(path, raw)
    if problem is not None:
        return LoadedFile(path=path, documents=[], findings=[problem], raw=raw)
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


def _split_root(
    path: str, root: yaml.Node, result: LoadedFile, expansion: Expansion
) -> None:
    if isinstance(root, yaml.SequenceNode) and root.tag == _SEQ:
        # A top-level list of objects is a file of several documents.
        for item in root.value:
            _build_document(path, item, result, expansion)
            if expansion.exhausted:
                return
        return
    _build_document(path, root, result, expansion)


def _build_document(
    path: str, node: yaml.Node, out: LoadedFile, expansion: Expansion
) -> None:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    document = SourceDocument(
        path=path, index=len(out.documents), data=None, line=line, column=column
    )
    builder = Builder(document, out.findings, out.text, expansion)
    try:
        document.data = builder.build(node, (), 0)
    except Abort as abort:
        out.findings.append(abort.finding)
        return
    out.documents.append(document)
