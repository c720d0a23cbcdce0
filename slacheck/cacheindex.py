"""The stat index: one file per working folder that lets a warm run skip reading.

The entries of :mod:`slacheck.cache` are named by a hash of each file's
bytes, so finding one means reading and hashing the file and then opening
its entry. For a repository of thousands of files that is most of a
pre-commit run. The stat index records, for each path a run checked, the
file's stat signature (size, mtime, ctime, inode and device), its entry key
and the entry itself. A later run whose ``os.stat`` of the path returns the
same signature takes the entry from the index without opening the file. The
file's text is read only when a report or a waiver comment needs it (see
:class:`slacheck.lint.SourceTexts`).

Layout: ``<cache>/v<FORMAT>/index-<digest of the working folder>`` has three
parts. The first line is JSON with the size and CRC-32 of the rest. The
second line is the JSON header: what the index depends on, and every row.
Then comes the blob, the JSON texts of every document's values and
positions, back to back. Rows point into the blob by offset, so the values
stay undecoded until read.

Safety, on top of the entry cache's:

* JSON only, never pickle, as for entries.
* A signature is recorded only when the file's mtime and ctime are more
  than :data:`SETTLE_NS` older than the moment its stat was taken. A later
  write then sets an mtime that differs from the recorded one even on a
  filesystem with coarse timestamps, so a change of the same size within
  the same timestamp tick cannot pass as unchanged. A file that was too
  fresh is still recorded without a signature: its next run hashes it and
  takes the entry from the index when the hash still matches.
* Paths are relative to the working folder, so the index is named by and
  records that folder, and an index from another folder is not used. The
  inode and device in the signature also tell a copied checkout apart.
* The header records the slacheck version and the schema fingerprint. An
  index that cannot be read, fails its size or CRC-32 check, or records
  another version, schema or folder counts as empty. The run then writes a
  new one.
* The index is written to a temporary file and renamed into place, so a
  concurrent run reads either the old index or the new one. When two runs
  write, the last one wins and the other's updates are lost, which costs
  only time.
* Rewriting the whole index costs more than hashing a few files, so a run
  rewrites it only when at least :data:`REWRITE_MIN` rows (or 1% of them)
  changed. Until then, files changed since the last rewrite are hashed and
  found by content.

NOTE: the settle margin assumes that file timestamps come from this
machine's clock. On a network filesystem whose server clock runs behind by
more than the margin, a file written moments ago looks settled, so a
same-size write within one timestamp tick can go unseen.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zlib
from typing import TYPE_CHECKING, Any

from slacheck import __version__
from slacheck import cache as file_cache

if TYPE_CHECKING:
    from slacheck.discovery import Candidate
    from slacheck.lint import CheckedFile

log = logging.getLogger(__name__)

# FAT stores mtimes in steps of two seconds, the coarsest of common
# filesystems. The extra second is a margin for file timestamps that trail
# time.time_ns(): Linux takes them from a coarse clock, behind by up to a tick.
SETTLE_NS = 3_000_000_000
# Rewriting 2,000 rows took about 50 ms on a 2-core Xeon, and hashing and
# looking up one changed file by content about 0.4 ms.
REWRITE_MIN = 16

Signature = list[int]
"""``[size, mtime_ns, ctime_ns, inode, device]`` from ``os.stat``."""

MISS: Any = object()
"""The lookup result for a file the index has no usable row for.

None is a different result: the file is known and skipped.
"""


def settled_signature(status: os.stat_result, started_ns: int) -> Signature | None:
    """Return the signature to record, or None when the file changed too recently.

    ``started_ns`` is ``time.time_ns()`` taken before the stat, and so before
    the file was read.
    """
    if max(status.st_mtime_ns, status.st_ctime_ns) >= started_ns - SETTLE_NS:
        return None
    return _signature(status)


def _signature(status: os.stat_result) -> Signature:
    return [
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_ino,
        status.st_dev,
    ]


class StatIndex:
    """The rows of one working folder's index, and the run's changes to them.

    Each row is ``[explicit, signature or None, entry key, entry]``. An entry
    loaded from the file refers to the old blob, and an entry recorded by
    this run still contains its JSON texts.
    """

    def __init__(self, store: file_cache.FileCache) -> None:
        self.folder = os.getcwd()
        digest = hashlib.sha256(self.folder.encode("utf-8", "surrogatepass"))
        self.path = store.folder / f"index-{digest.hexdigest()[:16]}"
        self._store = store
        self._rows: dict[str, list[Any]] = {}
        self._blob = memoryview(b"")
        self._valid = False
        self._changed = 0
        self._seen: set[str] = set()
        self._pending: dict[str, dict[str, Any]] = {}

    def load(self) -> None:
        """Read the index file; a missing or damaged one leaves the index empty."""
        try:
            with open(self.path, "rb") as handle:
                raw = handle.read()
        except FileNotFoundError:
            return
        except OSError as exc:
            log.debug("cannot read stat index %s: %s", self.path, exc)
            return
        try:
            self._rows, self._blob = self._parse(raw)
        except (ValueError, RecursionError) as exc:
            log.debug("ignoring stat index %s: %s", self.path, exc)
            return
        self._valid = True

    def _parse(self, raw: bytes) -> tuple[dict[str, list[Any]], memoryview]:
        first = raw.find(b"\n")
        second = raw.find(b"\n", first + 1)
        if first < 0 or second < 0:
            raise ValueError("the file ends within its first two lines")
        checksum = json.loads(raw[:first])
        body = memoryview(raw)[first + 1 :]
        if not isinstance(checksum, dict):
            raise ValueError("the checksum line is not a JSON object")
        if checksum.get("size") != len(body):
            raise ValueError("the file is truncated")
        if checksum.get("crc32") != zlib.crc32(body):
            raise ValueError("the file is damaged: its CRC-32 differs")
        header = json.loads(raw[first + 1 : second])
        blob = memoryview(raw)[second + 1 :]
        if not isinstance(header, dict):
            raise ValueError("the header is not a JSON object")
        for name, value in self._identity().items():
            if header.get(name) != value:
                raise ValueError(f"{name} is {header.get(name)!r}, not {value!r}")
        rows = header.get("files")
        if not isinstance(rows, dict):
            raise ValueError("the file table is missing")
        return rows, blob

    def _identity(self) -> dict[str, Any]:
        return {
            "format": file_cache.FORMAT,
            "version": __version__,
            "schemas": file_cache.schema_fingerprint(),
            "key": file_cache.key_id(),
            "folder": self.folder,
        }

    def lookup(self, candidate: Candidate) -> CheckedFile | None:
        """Return the file's checked result when its stat matches; else :data:`MISS`."""
        row = self._row(candidate)
        if row is None or row[1] is None:
            return MISS
        try:
            status = os.stat(candidate.path)
        except OSError:
            return MISS
        if _signature(status) != row[1]:
            return MISS
        return self._decode(candidate, row, None)

    def find_key(
        self, candidate: Candidate, key: str, text: str, signature: Signature | None
    ) -> CheckedFile | None:
        """Return the result stored under ``key`` for a file whose stat changed.

        A file that was touched but not changed is found here without opening
        its cache entry, and its row gets the new ``signature``. Returns
        :data:`MISS` when the row has another key or cannot be decoded.
        """
        row = self._row(candidate)
        if row is None or row[2] != key:
            return MISS
        checked = self._decode(candidate, row, text)
        if checked is not MISS and row[1] != signature:
            self._rows[candidate.path] = [row[0], signature, row[2], row[3]]
            self._changed += 1
        return checked

    def _row(self, candidate: Candidate) -> list[Any] | None:
        row = self._rows.get(candidate.path)
        if not isinstance(row, list) or len(row) != 4:
            return None
        return row if row[0] is candidate.explicit else None

    def _decode(
        self, candidate: Candidate, row: list[Any], text: str | None
    ) -> CheckedFile | None:
        path, key = candidate.path, row[2]
        entry = row[3]
        if not isinstance(entry, dict) or not isinstance(key, str):
            return MISS

        def read_text() -> str:
            return _read_text(path, candidate.explicit, key)

        try:
            checked = file_cache.decode(
                entry, path, text, blob=self._blob, read_text=read_text
            )
        except ValueError as exc:
            log.debug("ignoring stat index row for %s: %s", path, exc)
            return MISS
        self._seen.add(path)
        return checked

    def record(
        self,
        path: str,
        explicit: bool,
        signature: Signature | None,
        key: str,
        entry: dict[str, Any],
    ) -> None:
        """Add or replace the row of a file this run read and hashed."""
        self._seen.add(path)
        row = self._rows.get(path)
        if isinstance(row, list) and row[:3] == [explicit, signature, key]:
            return
        self._rows[path] = [explicit, signature, key, entry]
        self._changed += 1

    def keep_entry(self, key: str, entry: dict[str, Any]) -> None:
        """Keep an entry for its own entry file until :meth:`save`.

        A rewritten index contains the entry in its row, so the file is
        written only when the index is not rewritten. A first run over
        thousands of files then writes one file, not thousands.
        """
        self._pending[key] = entry

    def save(self) -> None:
        """Rewrite the index when enough rows changed; failures only cost time."""
        if not self._rewrite():
            for key, entry in self._pending.items():
                self._store.put(key, entry)
        self._pending.clear()

    def _rewrite(self) -> bool:
        if not self._rows:
            return False
        needed = max(REWRITE_MIN, len(self._rows) // 100)
        if self._valid and self._changed < needed:
            return False
        try:
            self._store.prepare()
            self._write(self._build())
        except OSError as exc:
            log.debug("cannot write stat index %s: %s", self.path, exc)
            return False
        return True

    def _build(self) -> list[bytes]:
        """Return the new index as chunks: checksum line, header line, blob."""
        rows: dict[str, list[Any]] = {}
        chunks: list[bytes] = []
        size = 0
        for path, row in self._rows.items():
            if path not in self._seen and not os.path.exists(path):
                continue  # the file is gone, or this row was never valid
            try:
                entry, parts = self._split_entry(row[3], size)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                log.debug("dropping stat index row for %s: %s", path, exc)
                continue
            rows[path] = [*row[:3], entry]
            chunks.extend(parts)
            size += sum(len(part) for part in parts)
        header = {**self._identity(), "files": rows}
        # ASCII JSON keeps file names that are not valid UTF-8 (surrogate
        # escapes) readable by json.loads.
        body = [json.dumps(header, separators=(",", ":")).encode("ascii"), b"\n"]
        body.extend(chunks)
        crc = 0
        for chunk in body:
            crc = zlib.crc32(chunk, crc)
        length = sum(len(chunk) for chunk in body)
        check = json.dumps({"size": length, "crc32": crc}).encode("ascii")
        return [check, b"\n", *body]

    def _split_entry(
        self, entry: dict[str, Any], offset: int
    ) -> tuple[dict[str, Any], list[bytes]]:
        """Move an entry's JSON texts into blob parts starting at ``offset``."""
        documents = []
        parts: list[bytes] = []
        for item in entry.get("documents", ()):
            texts = self._texts_of(item)
            lengths = [len(text) for text in texts]
            light = {k: v for k, v in item.items() if k not in _HEAVY_FIELDS}
            light["blob"] = [offset, *lengths]
            documents.append(light)
            parts.extend(texts)
            offset += sum(lengths)
        # The key is in the row already; entries from the cache repeat it.
        light = {k: v for k, v in entry.items() if k != "key"}
        return {**light, "documents": documents}, parts

    def _texts_of(self, item: dict[str, Any]) -> list[bytes]:
        if "blob" not in item:
            return [str(item[part]).encode("utf-8", "surrogatepass") for part in _PARTS]
        offsets = file_cache.blob_offsets(item["blob"], len(self._blob))
        return [
            self._blob[offsets[i] : offsets[i + 1]].tobytes()
            for i in range(len(_PARTS))
        ]

    def _write(self, chunks: list[bytes]) -> None:
        # A random part in the name keeps two runs in one process (tests)
        # or two processes with a recycled id from sharing a temporary file.
        temporary = self.path.with_name(
            f"{self.path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        )
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
            with os.fdopen(os.open(temporary, flags, 0o644), "wb") as stream:
                stream.writelines(chunks)
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise


_PARTS = file_cache.ENCODED_PARTS
_HEAVY_FIELDS = {*file_cache.ENCODED_PARTS, "blob"}


def _read_text(path: str, explicit: bool, key: str) -> str:
    """Read the text of a file taken from the index by its stat signature."""
    from slacheck.yamlload import read_bytes

    try:
        raw = read_bytes(path)
    except OSError as exc:
        log.warning(
            "cannot read %s again, so its waiver comments are skipped: %s", path, exc
        )
        return ""
    if file_cache.entry_key(path, explicit, raw) != key:
        # The findings come from the content seen at the stat; the text is newer.
        log.warning("%s changed during the run; lint it again", path)
    return raw.decode("utf-8-sig", errors="replace")


def open_index(store: file_cache.FileCache) -> StatIndex | None:
    """Load the stat index of the working folder; None when there is no folder."""
    try:
        index = StatIndex(store)
    except OSError as exc:  # the working folder was deleted
        log.debug("not using a stat index: %s", exc)
        return None
    index.load()
    return index
