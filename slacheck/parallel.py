"""Read files and run rules in worker processes (``--jobs N``), or in order.

Two phases use the workers, and in both the main process does a share of
the work itself instead of waiting, so ``--jobs 2`` starts one worker:

1. Loading: the main process first takes every file whose stat matches
   the stat index (see :mod:`slacheck.cacheindex`). The other files are
   dealt out in chunks, every N-th chunk to the main process and the others
   to ``N - 1`` workers, which read, parse and schema-check them (through
   the cache when there is one). A worker sends each file's values as they
   are and its position tables as ``marshal`` bytes, which cost a fraction
   of JSON to write and are read only when a finding needs a line number.
   With a cache, it also sends the file's stat index row.
2. Rules: once the catalogue is complete, workers forked from the main
   process inherit it without copying; the main process and each worker
   check every N-th document, and the workers send back only findings.

Results do not depend on ``jobs``: files come back in discovery order and
findings are sorted afterwards. Where the ``fork`` start method is missing
(Windows), loading uses ``spawn`` and rules run in the main process.
"""

from __future__ import annotations

import logging
import marshal
import os
import stat
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from slacheck import cache as file_cache
from slacheck import cacheindex
from slacheck.cacheindex import MISS, StatIndex
from slacheck.discovery import Candidate
from slacheck.yamlload import FieldPath, Position, load_file, read_bytes
from slacheck.yamlvalues import DeferredTables

if TYPE_CHECKING:
    from slacheck.findings import Finding
    from slacheck.lint import CheckedFile
    from slacheck.model import Catalog
    from slacheck.settings import LintSettings

log = logging.getLogger(__name__)

def usable_jobs(jobs: int) -> int:
    """Return how many processes to use for ``--jobs``: at most one per CPU.

    More processes than CPUs only take turns, and a mistyped ``--jobs``
    must not start thousands of them.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return max(1, min(jobs, cpus or os.cpu_count() or 1))


# Files per task: large enough that task overhead is small, small enough
# that both workers stay busy until the end.
CHUNK = 64


def check_files(
    candidates: Iterable[Candidate], *, jobs: int = 1, cache_dir: str | None = None
) -> Iterator[CheckedFile | None]:
    """Yield each candidate's checked file (None when skipped), in order."""
    store = file_cache.open_store(cache_dir)
    index = cacheindex.open_index(store) if store else None
    jobs = usable_jobs(jobs)
    if jobs <= 1:
        for candidate in candidates:
            yield check_one(candidate, store, index)
    else:
        yield from _check_in_pool(candidates, jobs, cache_dir, index)
    if index is not None:
        index.save()


def _check_in_pool(
    candidates: Iterable[Candidate],
    jobs: int,
    cache_dir: str | None,
    index: StatIndex | None,
) -> Iterator[CheckedFile | None]:
    """Check the files that the stat index has no match for, with workers."""
    found = []
    misses = []
    for candidate in candidates:
        checked = index.lookup(candidate) if index else MISS
        found.append(checked)
        if checked is MISS:
            misses.append(candidate)
    if not misses:
        yield from found
        return
    chunks = list(_chunks(misses, CHUNK))
    jobs = min(jobs, len(chunks))  # a process per chunk at most
    if jobs <= 1:
        store = file_cache.open_store(cache_dir)
        checked_here = (check_one(candidate, store, index) for candidate in misses)
        for checked in found:
            yield next(checked_here) if checked is MISS else checked
        return
    import multiprocessing

    context = multiprocessing.get_context(_start_method())
    workers = context.Pool(jobs - 1, initializer=_init_worker, initargs=(cache_dir,))
    with workers as pool:
        # Every jobs-th chunk stays here; the workers get the others at once.
        sent = {
            number: pool.apply_async(_check_chunk, (chunk,))
            for number, chunk in enumerate(chunks)
            if number % jobs
        }
        checked_misses = _check_shares(chunks, jobs, sent, cache_dir, index)
        for checked in found:
            yield next(checked_misses) if checked is MISS else checked


def _check_shares(
    chunks: list[list[Candidate]],
    jobs: int,
    sent: dict[int, Any],
    cache_dir: str | None,
    index: StatIndex | None,
) -> Iterator[CheckedFile | None]:
    """Yield the files of ``chunks`` in order, checking every jobs-th chunk here."""
    store = file_cache.open_store(cache_dir)
    for number, chunk in enumerate(chunks):
        if number % jobs == 0:
            for candidate in chunk:
                yield check_one(candidate, store, index)
            continue
        for candidate, text, payload, row in sent.pop(number).get():
            if index is not None and row is not None:
                index.record(candidate.path, candidate.explicit, *row)
            yield _receive(candidate.path, text, payload)


def check_one(
    candidate: Candidate,
    store: file_cache.FileCache | None,
    index: StatIndex | None = None,
) -> CheckedFile | None:
    """Check one file, through the stat index and the cache when given."""
    from slacheck.lint import check_file

    if store is None:
        return check_file(candidate)
    if index is not None:
        checked = index.lookup(candidate)
        if checked is not MISS:
            return checked
    checked, row = _check_through_cache(candidate, store, index)
    if index is not None and row is not None:
        index.record(candidate.path, candidate.explicit, *row)
    return checked


Row = tuple[cacheindex.Signature | None, str, dict[str, Any]]
"""A stat index row for a file just read: signature, entry key and entry."""

SKIP: dict[str, Any] = {"skip": True}
"""The entry of a file that a folder scan skips."""


def _check_through_cache(
    candidate: Candidate, store: file_cache.FileCache, index: StatIndex | None
) -> tuple[CheckedFile | None, Row | None]:
    """Read and hash a file, then take its result from the cache or check it."""
    from slacheck.lint import check_file, check_parsed, looks_like_definitions

    started = time.time_ns()
    try:
        status = os.stat(candidate.path)
        if candidate.error or not stat.S_ISREG(status.st_mode):
            return check_file(candidate), None
        raw = read_bytes(candidate.path)
    except OSError:
        return check_file(candidate), None  # reports the read error as a finding
    signature = cacheindex.settled_signature(status, started)
    key = file_cache.entry_key(candidate.path, candidate.explicit, raw)
    if not candidate.explicit and not looks_like_definitions(raw):
        return None, (signature, key, SKIP)
    text = _text_of(raw)
    if text is not None:
        found = _cached(candidate, key, text, signature, store, index)
        if found is not MISS:
            return found  # type: ignore[no-any-return]
    checked = check_parsed(load_file(candidate.path, raw), explicit=candidate.explicit)
    # A file that is not UTF-8 is reported by the loader, so a stored result
    # would skip that; it is parsed on every run instead.
    encoded = file_cache.encode(checked) if text is not None else None
    if encoded is None:
        return checked, None
    if index is not None:
        index.keep_entry(key, encoded)
    else:
        store.put(key, encoded)
    return checked, (signature, key, encoded)


def _cached(
    candidate: Candidate,
    key: str,
    text: str,
    signature: cacheindex.Signature | None,
    store: file_cache.FileCache,
    index: StatIndex | None,
) -> Any:
    """Return the result stored under ``key`` with its row, or :data:`MISS`."""
    if index is not None:
        checked = index.find_key(candidate, key, text, signature)
        if checked is not MISS:
            return checked, None
    entry = store.get(key)
    if entry is None:
        return MISS
    try:
        return file_cache.decode(entry, candidate.path, text), (signature, key, entry)
    except ValueError as exc:
        log.debug("ignoring cache entry for %s: %s", candidate.path, exc)
        return MISS


def _text_of(raw: bytes) -> str | None:
    """Decode as the loader does; None when it would report an encoding problem."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _start_method() -> str:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return "fork" if "fork" in methods else "spawn"


def _chunks(items: Iterable[Candidate], size: int) -> Iterator[list[Candidate]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


_WORKER_STORE: file_cache.FileCache | None = None


def _init_worker(cache_dir: str | None) -> None:
    global _WORKER_STORE
    _WORKER_STORE = file_cache.open_store(cache_dir)


def _check_chunk(chunk: list[Candidate]) -> list[tuple[Any, ...]]:
    """Check files in a worker; each comes back packed, or as the object.

    Each result also carries the file's stat index row, or None when the
    file gets no row.
    """
    results: list[tuple[Any, ...]] = []
    for candidate in chunk:
        if _WORKER_STORE is None:
            checked, row = check_one(candidate, None), None
        else:
            checked, row = _check_through_cache(candidate, _WORKER_STORE, None)
        if checked is None:
            results.append((candidate, "", None, row))
            continue
        results.append((candidate, checked.text, _pack(checked), row))
    return results


def _pack(checked: CheckedFile) -> Any:
    """Return a file's documents with their position tables as marshal bytes.

    A file whose tables marshal cannot write is sent as the object itself.
    """
    try:
        documents = [
            (
                document.source.index,
                document.source.line,
                document.source.column,
                document.source.data,
                marshal.dumps(document.source.positions),
                marshal.dumps(document.source.key_positions),
                document.api_version,
                document.kind,
                document.name,
                document.valid,
                document.notes,
            )
            for document in checked.documents
        ]
    except ValueError:  # marshal: a value of a type it cannot write
        return checked
    return (documents, checked.findings)


def _receive(path: str, text: str, payload: Any) -> CheckedFile | None:
    from slacheck.lint import CheckedFile
    from slacheck.model import Document

    if not isinstance(payload, tuple):
        return payload  # skipped (None), or a file sent as the object
    packed, findings = payload
    documents = []
    for item in packed:
        index, line, column, data, positions, keys, api, kind, name, valid, notes = item
        source = PackedSource(path, index, line, column, data, positions, keys)
        documents.append(Document(source, api, kind, name, valid, notes))
    return CheckedFile(path, text, documents, findings)


class PackedSource(DeferredTables):
    """A document from a worker whose position tables are read on first use."""

    def __init__(
        self,
        path: str,
        index: int,
        line: int,
        column: int,
        data: Any,
        positions: bytes,
        key_positions: bytes,
    ) -> None:
        self.path = path
        self.index = index
        self.line = line
        self.column = column
        self.data = data
        self._packed = (positions, key_positions)

    def decode_table(self, keys: bool) -> dict[FieldPath, Position]:
        table: dict[FieldPath, Position] = marshal.loads(self._packed[keys])
        return table


# A forked worker copies each memory page that it or the main process then
# touches. For 5,000 files that cost more than the 0.2 s the rules take in
# one process, and at 10,000 files the two were about even on 2 cores.
RULES_FORK_MIN = 20_000

_RULE_STATE: tuple[Catalog, LintSettings, list[Any]] | None = None


def run_rules(
    catalog: Catalog, settings: LintSettings, documents: list[Any]
) -> list[Finding] | None:
    """Run rules over ``documents`` in forked workers; None to run them here.

    The main process checks one share itself while ``jobs - 1`` workers
    check the others, so two jobs fork one worker, not two. Below
    :data:`RULES_FORK_MIN` documents, or where the ``fork`` start method is
    missing, it returns None and the caller runs the rules itself.
    """
    global _RULE_STATE
    import multiprocessing

    if len(documents) < RULES_FORK_MIN:
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    _RULE_STATE = (catalog, settings, documents)
    jobs = min(usable_jobs(settings.jobs), len(documents))
    if jobs <= 1:
        return None
    try:
        with multiprocessing.get_context("fork").Pool(jobs - 1) as pool:
            others = pool.map_async(_rules_share, [(i, jobs) for i in range(1, jobs)])
            shares = [_rules_share((0, jobs)), *others.get()]
    finally:
        _RULE_STATE = None
    return [finding for share in shares for finding in share]


def _rules_share(share: tuple[int, int]) -> list[Finding]:
    from slacheck.lint import run_rules_on

    assert _RULE_STATE is not None, "rule workers must be forked"
    catalog, settings, documents = _RULE_STATE
    start, step = share
    return run_rules_on(catalog, settings, documents[start::step])
