"""Read files and run rules in worker processes (``--jobs N``), or in order.

Two phases use the workers:

1. Loading: each worker reads, parses and schema-checks a share of the
   files (through the cache when there is one) and sends back each file as
   a JSON-ready cache entry, which the main process turns into lazily
   decoded documents. Sending JSON text is cheaper than pickling the values.
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
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from slacheck import cache as file_cache
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
    if jobs <= 1:
        for candidate in candidates:
            yield check_one(candidate, store)
        return
    context = multiprocessing.get_context(_start_method())
    chunks = _chunks(candidates, CHUNK)
    with context.Pool(jobs, initializer=_init_worker, initargs=(cache_dir,)) as pool:
        for results in pool.imap(_check_chunk, chunks):
            for path, text, payload in results:
                yield _receive(path, text, payload)


def check_one(candidate: Candidate, store: file_cache.FileCache | None) -> CheckedFile | None:
    """Check one file, through the cache when ``store`` is given."""
    from slacheck.lint import check_file, check_parsed, looks_like_definitions

    if store is None:
        return check_file(candidate)
    try:
        raw = read_bytes(candidate.path)
    except OSError:
        return check_file(candidate)  # reports the read error as a finding
    if not candidate.explicit and not looks_like_definitions(raw):
        return None
    key = file_cache.entry_key(candidate.path, candidate.explicit, raw)
    text = _text_of(raw)
    entry = store.get(key)
    if entry is not None and text is not None:
        try:
            return file_cache.decode(entry, candidate.path, text)
        except ValueError as exc:
            log.debug("ignoring cache entry for %s: %s", candidate.path, exc)
    checked = check_parsed(load_file(candidate.path, raw), explicit=candidate.explicit)
    encoded = file_cache.encode(checked)
    if encoded is not None:
        store.put(key, encoded)
    return checked


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


def _check_chunk(chunk: list[Candidate]) -> list[tuple[str, str, Any]]:
    """Check files in a worker; each comes back as an entry, or as the object."""
    results = []
    for candidate in chunk:
        checked = check_one(candidate, _WORKER_STORE)
        if checked is None:
            results.append((candidate.path, "", None))
            continue
        encoded = file_cache.encode(checked)
        results.append((candidate.path, checked.text, encoded or checked))
    return results


def _receive(path: str, text: str, payload: Any) -> CheckedFile | None:
    if payload is None or not isinstance(payload, dict):
        return payload  # skipped, or a file whose values are not plain JSON
    return file_cache.decode(payload, path, text)


_RULE_STATE: tuple[Catalog, LintSettings, list[Any]] | None = None


def run_rules(
    catalog: Catalog, settings: LintSettings, documents: list[Any]
) -> list[Finding] | None:
    """Run rules over ``documents`` in forked workers; None when fork is missing.

    The main process checks one share itself while ``jobs - 1`` workers
    check the others, so two jobs fork one worker, not two.
    """
    global _RULE_STATE
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    _RULE_STATE = (catalog, settings, documents)
    jobs = max(1, settings.jobs)
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
