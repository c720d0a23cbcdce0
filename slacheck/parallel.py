"""Read files and run rules in worker processes (``--jobs N``), or in order.

Two phases use the workers:

1. Loading: the main process first takes every file whose stat matches
   the stat index (see :mod:`slacheck.cacheindex`). Each worker reads,
   parses and schema-checks a share of the other files (through the cache
   when there is one) and sends back each file as a JSON-ready cache entry,
   which the main process turns into lazily decoded documents. Sending JSON
   text is cheaper than pickling the values.
2. Rules: once the catalogue is complete, workers forked from the main
   process inherit it without copying and each checks every N-th document,
   sending back only findings.

Results do not depend on ``jobs``: files come back in discovery order and
findings are sorted afterwards. Where the ``fork`` start method is missing
(Windows), loading uses ``spawn`` and rules run in the main process.
"""

from __future__ import annotations

import logging
import multiprocessing
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
from slacheck.yamlload import load_file, read_bytes

if TYPE_CHECKING:
    from slacheck.findings import Finding
    from slacheck.lint import CheckedFile
    from slacheck.model import Catalog
    from slacheck.settings import LintSettings

log = logging.getLogger(__name__)

# Files per task: large enough that task overhead is small, small enough
# that both workers stay busy until the end.
CHUNK = 64


def check_files(
    candidates: Iterable[Candidate], *, jobs: int = 1, cache_dir: str | None = None
) -> Iterator[CheckedFile | None]:
    """Yield each candidate's checked file (None when skipped), in order."""
    store = file_cache.FileCache(cache_dir) if cache_dir else None
    index = cacheindex.open_index(store) if store else None
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
    """Check in worker processes the files that the stat index has no match for."""
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
    context = multiprocessing.get_context(_start_method())
    with context.Pool(jobs, initializer=_init_worker, initargs=(cache_dir,)) as pool:
        results = (
            result
            for chunk in pool.imap(_check_chunk, _chunks(misses, CHUNK))
            for result in chunk
        )
        for checked in found:
            if checked is MISS:
                checked = _receive(index, *next(results))
            yield checked


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
    encoded = file_cache.encode(checked)
    if encoded is None:
        return checked, None
    store.put(key, encoded)
    # A file that is not UTF-8 is reported by the loader, so its row would
    # skip that; it is parsed on every run instead.
    return checked, None if text is None else (signature, key, encoded)


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
    methods = multiprocessing.get_all_start_methods()
    return "fork" if "fork" in methods else "spawn"


def _chunks(items: Iterable[Candidate], size: int) -> Iterator[list[Candidate]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


_WORKER_STORE: file_cache.FileCache | None = None


def _init_worker(cache_dir: str | None) -> None:
    global _WORKER_STORE
    _WORKER_STORE = file_cache.FileCache(cache_dir) if cache_dir else None


def _check_chunk(chunk: list[Candidate]) -> list[tuple[Any, ...]]:
    """Check files in a worker; each comes back as an entry, or as the object.

    Each result also carries the file's stat index row without its entry
    (the entry is the payload), or None when the file gets no row.
    """
    results: list[tuple[Any, ...]] = []
    for candidate in chunk:
        if _WORKER_STORE is None:
            checked, row = check_one(candidate, None), None
        else:
            checked, row = _check_through_cache(candidate, _WORKER_STORE, None)
        signature_key = None if row is None else row[:2]
        if checked is None:
            results.append((candidate, "", None, signature_key))
            continue
        encoded = file_cache.encode(checked)
        results.append((candidate, checked.text, encoded or checked, signature_key))
    return results


def _receive(
    index: StatIndex | None,
    candidate: Candidate,
    text: str,
    payload: Any,
    signature_key: tuple[Any, str] | None,
) -> CheckedFile | None:
    if index is not None and signature_key is not None:
        if payload is None:
            index.record(candidate.path, candidate.explicit, *signature_key, SKIP)
        elif isinstance(payload, dict):
            index.record(candidate.path, candidate.explicit, *signature_key, payload)
    if payload is None or not isinstance(payload, dict):
        return payload  # skipped, or a file whose values are not plain JSON
    return file_cache.decode(payload, candidate.path, text)


_RULE_STATE: tuple[Catalog, LintSettings, list[Any]] | None = None


def run_rules(
    catalog: Catalog, settings: LintSettings, documents: list[Any]
) -> list[Finding] | None:
    """Run rules over ``documents`` in forked workers; None when fork is missing."""
    global _RULE_STATE
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    _RULE_STATE = (catalog, settings, documents)
    jobs = max(1, settings.jobs)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            shares = pool.map(_rules_share, [(i, jobs) for i in range(jobs)])
    finally:
        _RULE_STATE = None
    return [finding for share in shares for finding in share]


def _rules_share(share: tuple[int, int]) -> list[Finding]:
    from slacheck.lint import run_rules_on

    assert _RULE_STATE is not None, "rule workers must be forked"
    catalog, settings, documents = _RULE_STATE
    start, step = share
    return run_rules_on(catalog, settings, documents[start::step])
