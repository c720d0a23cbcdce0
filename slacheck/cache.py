"""A cache of parsed and schema-checked definition files, keyed by content.

A pre-commit run lints one changed file but must load the whole repository
to resolve references, and parsing is most of that work. Each file's result
(its documents with values and positions, schema validity and findings) is
kept under ``.slacheck_cache/`` as JSON. An entry's name is a SHA-256 of
everything the result depends on: the slacheck version, the schema files,
the file's path, whether it was named explicitly, and its bytes. A changed
file gets a new name, so no entry is ever updated in place.

Safety:

* Entries are JSON, never pickle: a cache folder committed to a repository
  by someone else cannot run code.
* Entry names also hash a random key kept outside the repository, in
  ``$XDG_CACHE_HOME/slacheck/key`` (``~/.cache/slacheck/key``), readable by
  this user only. Without it, a pull request could commit entries named
  for its own files that drop their findings, and a CI gate would trust
  them. Where no such key can be kept, the cache is off for the run.
* An entry is written to a temporary file and renamed into place, so a
  concurrent run sees either no entry or a whole one; two runs writing the
  same entry write the same bytes.
* An entry that does not parse, or whose stored key differs from its name,
  counts as missing and is rewritten.

Loading is lazy: a cached document's values and positions stay JSON text
until a rule or report reads them, so a run that checks one file decodes
little of the rest.

:mod:`slacheck.cacheindex` adds one file per working folder that finds a
file's entry by its stat signature, so that a warm run neither reads nor
hashes unchanged files. It keeps the same safety properties: JSON only,
written atomically, and ignored when damaged (it also carries a CRC-32).
It trusts a signature only for a file that had not changed for a few
seconds when it was read, so an edit that keeps the size and timestamp
is still seen.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slacheck import __version__
from slacheck.findings import Finding, Severity
from slacheck.yamlload import FieldPath, Position
from slacheck.yamlvalues import DeferredTables

if TYPE_CHECKING:
    from collections.abc import Callable

    from slacheck.lint import CheckedFile
    from slacheck.model import Document

log = logging.getLogger(__name__)

DEFAULT_DIR = ".slacheck_cache"
# Bump when the entry layout changes, so that old entries miss.
FORMAT = 3
_DECIMAL = "$decimal"


@cache
def schema_fingerprint() -> str:
    """Hash the schema files, which a checkout can change without a new version."""
    from slacheck.resources import schemas_dir

    digest = hashlib.sha256()
    for path in sorted(schemas_dir().rglob("*.json")):
        digest.update(path.as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


KEY_FILE = "key"
_KEY_LENGTH = 64  # hexadecimal digits: 32 random bytes


@cache
def user_key() -> str | None:
    """Return this user's cache key, creating it on first use.

    None when the key cannot be kept or cannot be trusted: the folder is
    not writable, or the file belongs to someone else or others may
    change it.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    folder = os.path.join(base, "slacheck")
    path = os.path.join(folder, KEY_FILE)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not os.path.exists(path):
            _create_key(path)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            status = os.fstat(descriptor)
            text = os.read(descriptor, _KEY_LENGTH + 1)
        finally:
            os.close(descriptor)
    except OSError as exc:
        log.info("cache off: cannot keep a key in %s: %s", folder, exc)
        return None
    owner = getattr(os, "getuid", None)
    if (owner is not None and status.st_uid != owner()) or status.st_mode & 0o022:
        log.info("cache off: %s belongs to another user or others may write it", path)
        return None
    key = text.decode("ascii", "replace")
    if len(key) != _KEY_LENGTH or any(c not in "0123456789abcdef" for c in key):
        log.info("cache off: %s does not hold a key; delete it to make a new one", path)
        return None
    return key


def _create_key(path: str) -> None:
    """Write a new key, so that two runs starting at once agree on one."""
    temporary = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, os.urandom(_KEY_LENGTH // 2).hex().encode("ascii"))
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)  # fails if another run made the key first
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


def key_id() -> str:
    """Name the user's key without revealing it, for the stat index's header."""
    return hashlib.sha256((user_key() or "").encode("ascii")).hexdigest()[:16]


def open_store(cache_dir: str | None) -> FileCache | None:
    """Return the cache in ``cache_dir``; None when off or no key can be kept."""
    if not cache_dir or user_key() is None:
        return None
    return FileCache(cache_dir)


def entry_key(path: str, explicit: bool, raw: bytes) -> str:
    """Name the cache entry for one file read as ``raw``."""
    digest = hashlib.sha256()
    header = (
        f"{FORMAT}\0{__version__}\0{schema_fingerprint()}\0{user_key()}\0"
        f"{path}\0{explicit}\0"
    )
    digest.update(header.encode("utf-8", "surrogatepass"))
    digest.update(raw)
    return digest.hexdigest()


class FileCache:
    """Entries stored as ``<root>/v<FORMAT>/<first 2 hex digits>/<key>.json``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.folder = self.root / f"v{FORMAT}"
        self._prepared = False
        self._may_hold: bool | None = None

    def get(self, key: str) -> dict[str, Any] | None:
        if not self._may_hold_entries():
            return None
        try:
            with open(self._entry(key), encoding="utf-8") as handle:
                entry = json.load(handle)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, RecursionError) as exc:
            log.debug("ignoring unreadable cache entry %s: %s", key, exc)
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            log.debug("ignoring cache entry %s: it does not match its name", key)
            return None
        return entry

    def _may_hold_entries(self) -> bool:
        """Tell whether any entry folder existed when first asked.

        A first run would otherwise try to open an entry for every file.
        """
        if self._may_hold is None:
            try:
                with os.scandir(self.folder) as found:
                    self._may_hold = any(item.is_dir() for item in found)
            except OSError:
                self._may_hold = False
        return self._may_hold

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store an entry atomically; a failure only costs the next run time."""
        entry = {**entry, "key": key}
        target = self._entry(key)
        try:
            self.prepare()
            target.parent.mkdir(exist_ok=True)
            # The process id makes the name unique among concurrent runs, and
            # one run writes each entry once; tempfile's random names cost more.
            temporary = target.with_name(f"{key}.{os.getpid()}.tmp")
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
            descriptor = os.open(temporary, flags, 0o644)
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(json.dumps(entry, separators=(",", ":")))
            os.replace(temporary, target)
        except OSError as exc:
            log.debug("cannot write cache entry %s: %s", target, exc)

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def prepare(self) -> None:
        if self._prepared:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # Keep the cache out of git and out of backups, as pytest and ruff do.
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by slacheck.\n*\n", encoding="utf-8")
        tag = self.root / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by slacheck.\n",
                encoding="utf-8",
            )
        self._prepared = True


def encode(checked: CheckedFile | None) -> dict[str, Any] | None:
    """Turn a checked file into a JSON-ready entry; None when it cannot be.

    ``None`` for ``checked`` (a file the scan skips) is stored as a skip.
    """
    if checked is None:
        return {"skip": True}
    documents = []
    for document in checked.documents:
        encoded = _encode_document(document)
        if encoded is None:
            return None
        documents.append(encoded)
    findings = [_encode_finding(f) for f in checked.findings]
    if any(f is None for f in findings):
        return None
    return {
        "skip": False,
        "documents": documents,
        "findings": findings,
        "marked": checked.marked,
    }


def _encode_document(document: Document) -> dict[str, Any] | None:
    source = document.source
    # A mapping key spelt like the Decimal marker would decode wrongly.
    if any(parts and parts[-1] == _DECIMAL for parts in source.key_positions):
        return None
    if document.notes:
        return None  # facts attached while loading are not JSON values
    return {
        "index": source.index,
        "line": source.line,
        "column": source.column,
        "apiVersion": document.api_version,
        "kind": document.kind,
        "name": document.name,
        "valid": document.valid,
        "data": json.dumps(source.data, default=_encode_value, separators=(",", ":")),
        "positions": _encode_positions(source.positions),
        "keys": _encode_positions(source.key_positions),
    }


def _encode_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    raise TypeError(f"{type(value).__name__} is not a YAML value")


def _encode_positions(table: dict[FieldPath, Position]) -> str:
    rows = [[line, column, *parts] for parts, (line, column) in table.items()]
    return json.dumps(rows, separators=(",", ":"))


def _encode_finding(finding: Finding) -> list[Any] | None:
    if finding.suppression is not None or finding.extra:
        return None
    return [
        finding.path, finding.line, finding.column, finding.code, finding.message,
        int(finding.severity), finding.kind, finding.name, finding.field_path,
        finding.key,
    ]


def decode(
    entry: dict[str, Any],
    path: str,
    text: str | None,
    *,
    blob: memoryview | None = None,
    read_text: Callable[[], str] | None = None,
) -> CheckedFile | None:
    """Rebuild a checked file from an entry; raises ValueError when malformed.

    ``text`` is None for a file the run has not read, and ``read_text`` then
    reads it on first use. ``blob`` contains the encoded values of an entry
    that the stat index stores apart from its other fields.
    """
    from slacheck.lint import CheckedFile
    from slacheck.model import Document

    if entry.get("skip") is True:
        return None
    try:
        documents = []
        for item in entry["documents"]:
            envelope = (item["apiVersion"], item["kind"], item["name"])
            if not all(isinstance(part, str) for part in envelope):
                raise TypeError("apiVersion, kind and name must be strings")
            source = LazySource(path, item, blob)
            document = Document(source, *envelope)
            document.valid = bool(item["valid"])
            documents.append(document)
        findings = [_decode_finding(row) for row in entry["findings"]]
        marked = entry["marked"] is True
    except (KeyError, TypeError, IndexError) as exc:
        raise ValueError(f"malformed cache entry: {exc}") from None
    checked = CheckedFile(path, text, documents, findings, read_text=read_text)
    if text is None:
        checked.marked = marked
    return checked


def _decode_finding(row: list[Any]) -> Finding:
    path, line, column, code, message, severity, kind, name, field_path, key = row
    return Finding(
        path, line, column, code, message, Severity(severity), kind, name,
        field_path, key,
    )


def _decode_value(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1 and _DECIMAL in mapping:
        return Decimal(mapping[_DECIMAL])
    return mapping


def _decode_positions(text: str | bytes) -> dict[FieldPath, Position]:
    return {tuple(row[2:]): (row[0], row[1]) for row in json.loads(text)}


# The JSON texts of a document's values, positions and key positions.
ENCODED_PARTS = ("data", "positions", "keys")


class LazySource(DeferredTables):
    """A cached document whose values and positions are decoded on first use.

    The JSON texts come from the entry itself. For an entry that the stat
    index stores, they come from its blob instead, and the entry's ``blob``
    field is the start offset and the byte length of each of
    :data:`ENCODED_PARTS`.
    """

    def __init__(
        self, path: str, item: dict[str, Any], blob: memoryview | None = None
    ) -> None:
        # The fields below are properties here, so the dataclass __init__ is
        # skipped and each is filled from the JSON text when first read.
        self._encoded: tuple[Any, ...]
        self.path = path
        self.index = int(item["index"])
        self.line = int(item["line"])
        self.column = int(item["column"])
        self._blob = blob if "blob" in item else None
        if self._blob is None:
            self._encoded = tuple(str(item[part]) for part in ENCODED_PARTS)
        else:
            self._encoded = blob_offsets(item["blob"], len(self._blob))
        self._data: Any = _MISSING

    @property  # type: ignore[override]
    def data(self) -> Any:
        if self._data is _MISSING:
            self._data = json.loads(self._part(0), object_hook=_decode_value)
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value

    def decode_table(self, keys: bool) -> dict[FieldPath, Position]:
        return _decode_positions(self._part(2 if keys else 1))

    def _part(self, number: int) -> str | bytes:
        """Return the JSON text of one of :data:`ENCODED_PARTS`."""
        if self._blob is None:
            return self._encoded[number]
        start, end = self._encoded[number], self._encoded[number + 1]
        return self._blob[start:end].tobytes()


def blob_offsets(where: Any, size: int) -> tuple[int, int, int, int]:
    """Turn a blob reference into the offsets where each part starts and ends.

    ``where`` is ``[start, length of data, of positions, of keys]``, one
    length for each of :data:`ENCODED_PARTS`. Raises ValueError when it is
    malformed or reaches outside a blob of ``size`` bytes.
    """
    # Unpacked by hand: this runs once per cached document on every run.
    if type(where) is not list or len(where) != 4:
        raise ValueError("malformed blob reference")
    start, data, positions, keys = where
    if not type(start) is type(data) is type(positions) is type(keys) is int:
        raise ValueError("malformed blob reference")
    end = start + data + positions + keys
    if min(start, data, positions, keys) < 0 or end > size:
        raise ValueError("blob reference outside the blob")
    return (start, start + data, start + data + positions, end)


_MISSING: Any = object()
