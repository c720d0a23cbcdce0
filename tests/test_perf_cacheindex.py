"""The stat index: warm runs skip unchanged files and still give fresh results."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
import time
import zlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from slacheck import cache, cacheindex, parallel
from slacheck.cacheindex import StatIndex
from slacheck.findings import Finding
from slacheck.lint import SourceTexts, lint, load_definitions
from slacheck.settings import LintSettings

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402

SLO = """\
apiVersion: slacheck/v1
kind: SLO
metadata:
  name: api
spec:
  service: shop
  indicatorRef: api
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - name: availability
      target: {target}
"""
# The same length, so a change between them keeps the file size.
CLEAN_TARGET, SC010_TARGET = "99.9%", "99.90"
HOUR_NS = 3600 * 10**9


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record signatures of files written moments ago, as if they had settled."""
    monkeypatch.setattr(cacheindex, "SETTLE_NS", 0)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths the cache reads, for lookups by content and for deferred texts."""
    seen: list[str] = []
    real = parallel.read_bytes

    def counting(path: str) -> bytes:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(parallel, "read_bytes", counting)
    monkeypatch.setattr("slacheck.yamlload.read_bytes", counting)
    return seen


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "examples", root / "examples")
    corpus.generate(root / "generated", 30)
    return root


def _lint(root: Path, cache_dir: Path | None, **options: Any) -> list[Finding]:
    settings = LintSettings(paths=[str(root)], **options)
    settings.cache_dir = str(cache_dir) if cache_dir else None
    return lint(settings).findings


def _indexes(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("v*/index-*"))


def _codes(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in findings]


def test_warm_run_reads_no_file(
    tmp_path: Path, settled: None, reads: list[str]
) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    fresh = _lint(root, None)
    cold = _lint(root, cache_dir)
    cold_reads = len(reads)
    reads.clear()
    warm = _lint(root, cache_dir)
    assert cold == fresh
    assert warm == fresh
    assert cold_reads > 100
    assert reads == []
    assert len(_indexes(cache_dir)) == 1


def test_warm_values_and_texts_match(tmp_path: Path, settled: None) -> None:
    root = _repo(tmp_path)
    cache_dir = str(tmp_path / "cache")
    fresh = load_definitions([str(root)])
    load_definitions([str(root)], cache_dir=cache_dir)
    warm = load_definitions([str(root)], cache_dir=cache_dir)
    assert isinstance(warm.texts, SourceTexts)
    assert len(warm.catalog.documents) == len(fresh.catalog.documents)
    for new, old in zip(warm.catalog.documents, fresh.catalog.documents, strict=True):
        assert (new.kind, new.name, new.valid) == (old.kind, old.name, old.valid)
        assert new.data == old.data
        assert new.source.positions == old.source.positions
        assert new.source.key_positions == old.source.key_positions
    assert dict(warm.texts) == dict(fresh.texts)


def test_changed_only_warm_run(tmp_path: Path, settled: None, reads: list[str]) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    target = root / "generated" / "teams" / "team-000" / "svc-00000" / "slas"
    named = {str(path) for path in target.glob("*.yaml")}
    _lint(root, cache_dir)
    for path in named:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("# edited\n")
    fresh = _lint(root, None, report_only=named)
    reads.clear()
    warm = _lint(root, cache_dir, report_only=named)
    assert warm == fresh
    assert fresh
    # Only the edited files, which are also the reported ones, are read.
    assert sorted(set(reads)) == sorted(named)


def test_inline_waiver_in_cached_file(tmp_path: Path, settled: None) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    before = _lint(root, None)
    [first] = [f for f in before if f.code == "SC206"][:1]
    lines = Path(first.path).read_text(encoding="utf-8").splitlines()
    waiver = '# slacheck: waive SC206 owner=ops until=2099-01-01 reason="Sold monthly"'
    lines.insert(first.line - 1, waiver)
    Path(first.path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    fresh = _lint(root, None)
    _lint(root, cache_dir)
    warm = _lint(root, cache_dir)
    assert warm == fresh
    assert any(f.suppressed for f in warm if f.path == first.path)


class _CoarseClockOs:
    """The os module as seen on a filesystem with whole-second timestamps.

    ext3 and HFS+ store whole seconds. The ctime is fixed, so the mtime is
    the only time in the signature that a write changes.
    """

    def __init__(self, ctime_ns: int) -> None:
        self.ctime_ns = ctime_ns

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def stat(self, path: str) -> SimpleNamespace:
        real = os.stat(path)
        return SimpleNamespace(
            st_mode=real.st_mode,
            st_size=real.st_size,
            st_mtime_ns=real.st_mtime_ns // 10**9 * 10**9,
            st_ctime_ns=self.ctime_ns,
            st_ino=real.st_ino,
            st_dev=real.st_dev,
        )


def _use_coarse_clock(monkeypatch: pytest.MonkeyPatch, ctime_ns: int) -> _CoarseClockOs:
    coarse = _CoarseClockOs(ctime_ns)
    monkeypatch.setattr(parallel, "os", coarse)
    monkeypatch.setattr(cacheindex, "os", coarse)
    return coarse


def _rewrite_keeping_mtime(path: Path, text: str) -> None:
    before = os.stat(path)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_racy_write_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coarse = _use_coarse_clock(monkeypatch, time.time_ns())
    slo = tmp_path / "defs" / "slo.yaml"
    slo.parent.mkdir()
    slo.write_text(SLO.format(target=CLEAN_TARGET), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    first = _lint(slo.parent, cache_dir)
    signature = cacheindex._signature(coarse.stat(str(slo)))  # type: ignore[arg-type]
    _rewrite_keeping_mtime(slo, SLO.format(target=SC010_TARGET))
    again = cacheindex._signature(coarse.stat(str(slo)))  # type: ignore[arg-type]
    second = _lint(slo.parent, cache_dir)
    assert again == signature
    assert "SC010" not in {f.code for f in first}
    assert ("SC010", 14) in _codes(second)


def test_settled_file_is_trusted_until_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    long_ago = time.time_ns() - HOUR_NS
    _use_coarse_clock(monkeypatch, long_ago)
    slo = tmp_path / "defs" / "slo.yaml"
    slo.parent.mkdir()
    slo.write_text(SLO.format(target=CLEAN_TARGET), encoding="utf-8")
    os.utime(slo, ns=(long_ago, long_ago))
    cache_dir = tmp_path / "cache"
    first = _lint(slo.parent, cache_dir)
    reads.clear()
    assert _lint(slo.parent, cache_dir) == first
    assert reads == []
    slo.write_text(SLO.format(target="99.9"), encoding="utf-8")
    os.utime(slo, ns=(long_ago, long_ago))
    assert ("SC010", 14) in _codes(_lint(slo.parent, cache_dir))


def test_touched_file_found_in_index(
    tmp_path: Path, settled: None, reads: list[str]
) -> None:
    slo = tmp_path / "defs" / "slo.yaml"
    slo.parent.mkdir()
    slo.write_text(SLO.format(target=SC010_TARGET), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    first = _lint(slo.parent, cache_dir)
    for entry in cache_dir.glob("v*/*/*.json"):
        entry.unlink()
    os.utime(slo, ns=(time.time_ns(), time.time_ns() - HOUR_NS))
    reads.clear()
    assert _lint(slo.parent, cache_dir) == first
    assert reads == [str(slo)]
    assert list(cache_dir.glob("v*/*/*.json")) == []


def _flip_byte(raw: bytes, where: int) -> bytes:
    return raw[:where] + bytes([raw[where] ^ 0x01]) + raw[where + 1 :]


def _rewrite_header(raw: bytes, change: Any) -> bytes:
    """Replace the header with ``change(header)`` under a matching checksum."""
    _, line, blob = raw.split(b"\n", 2)
    body = json.dumps(change(json.loads(line))).encode() + b"\n" + blob
    check = json.dumps({"size": len(body), "crc32": zlib.crc32(body)}).encode()
    return check + b"\n" + body


def _with(**fields: Any) -> Any:
    return lambda raw: _rewrite_header(raw, lambda header: {**header, **fields})


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[: raw.index(b"\n")],
        lambda raw: b"\xff\xfe" + raw,
        lambda raw: _flip_byte(raw, len(raw) - 10),
        lambda raw: _flip_byte(raw, raw.index(b'"files"') + 20),
        lambda raw: _rewrite_header(raw, lambda header: []),
        _with(files=[]),
        _with(format=0),
        _with(version="0.0.0"),
        _with(schemas="0" * 64),
    ],
    ids=[
        "empty",
        "truncated",
        "checksum-only",
        "binary",
        "flipped-blob-byte",
        "flipped-header-byte",
        "wrong-type",
        "wrong-table",
        "old-format",
        "old-version",
        "other-schemas",
    ],
)
def test_damaged_index_is_ignored(tmp_path: Path, settled: None, damage: Any) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    fresh = _lint(root, None)
    _lint(root, cache_dir)
    [index] = _indexes(cache_dir)
    damaged = damage(index.read_bytes())
    index.write_bytes(damaged)
    assert _lint(root, cache_dir) == fresh
    # The damaged index is replaced by a whole one.
    assert index.read_bytes() != damaged
    reread = StatIndex(cache.FileCache(cache_dir))
    reread.load()
    assert reread._valid
    assert _lint(root, cache_dir) == fresh


def test_damaged_row_is_ignored(tmp_path: Path, settled: None) -> None:
    slo = tmp_path / "defs" / "slo.yaml"
    slo.parent.mkdir()
    slo.write_text(SLO.format(target=SC010_TARGET), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    fresh = _lint(slo.parent, None)
    _lint(slo.parent, cache_dir)
    [index] = _indexes(cache_dir)

    def reach_outside(header: dict[str, Any]) -> dict[str, Any]:
        [row] = header["files"].values()
        row[3]["documents"][0]["blob"] = [0, 10**9, 0, 0]
        return header

    index.write_bytes(_rewrite_header(index.read_bytes(), reach_outside))
    assert _lint(slo.parent, cache_dir) == fresh


def test_index_of_another_folder_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    cache_dir = tmp_path / "cache"
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, target in ((first, CLEAN_TARGET), (second, SC010_TARGET)):
        folder.mkdir()
        (folder / "slo.yaml").write_text(SLO.format(target=target), encoding="utf-8")
    monkeypatch.chdir(first)
    _lint(Path("."), cache_dir)
    [first_index] = _indexes(cache_dir)
    monkeypatch.chdir(second)
    # Even under this folder's name, the first folder's index is rejected.
    forged = StatIndex(cache.FileCache(cache_dir))
    shutil.copy(first_index, forged.path)
    forged.load()
    assert not forged._valid
    findings = _lint(Path("."), cache_dir)
    assert ("SC010", 14) in _codes(findings)
    assert len(_indexes(cache_dir)) == 2


def test_concurrent_writers_leave_a_whole_index(tmp_path: Path, settled: None) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    fresh = _lint(root, cache_dir)
    store = cache.FileCache(cache_dir)
    one, two = StatIndex(store), StatIndex(store)
    one.load()
    two.load()
    for index in (one, two):
        path = next(iter(index._rows))
        index.record(path, False, None, "0" * 64, {"skip": True})
        index._changed = cacheindex.REWRITE_MIN
    one.save()
    two.save()
    assert list(store.folder.glob("*.tmp")) == []
    check = StatIndex(store)
    check.load()
    assert check._valid
    assert _lint(root, cache_dir) == fresh


def _touch_and_lint(job: tuple[Path, Path]) -> list[list[Finding]]:
    """Touch every generated file, then lint, three times over."""
    root, cache_dir = job
    runs = []
    for _ in range(3):
        for path in (root / "generated").rglob("*.yaml"):
            os.utime(path)
        runs.append(_lint(root, cache_dir))
    return runs


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)
def test_concurrent_runs_keep_results(tmp_path: Path, settled: None) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    fresh = _lint(root, None)
    _lint(root, cache_dir)
    # Touched files get new signatures, so every run rewrites the index and
    # the two processes' writes overlap.
    with multiprocessing.get_context("fork").Pool(2) as pool:
        runs = pool.map(_touch_and_lint, [(root, cache_dir)] * 2)
    assert [findings == fresh for job in runs for findings in job] == [True] * 6
    assert list(cache_dir.glob("v*/*.tmp")) == []
    check = StatIndex(cache.FileCache(cache_dir))
    check.load()
    assert check._valid


def test_index_is_renamed_into_place(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames: list[tuple[str, str]] = []
    real = os.replace

    def recording(source: Any, target: Any) -> None:
        renames.append((str(source), str(target)))
        real(source, target)

    monkeypatch.setattr(os, "replace", recording)
    slo = tmp_path / "defs" / "slo.yaml"
    slo.parent.mkdir()
    slo.write_text(SLO.format(target=SC010_TARGET), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    _lint(slo.parent, cache_dir)
    [index] = _indexes(cache_dir)
    [(temporary, target)] = [pair for pair in renames if "index-" in pair[1]]
    assert target == str(index)
    assert Path(temporary).parent == index.parent
    assert temporary.endswith(".tmp")


def test_unwritable_index_still_lints(tmp_path: Path, settled: None) -> None:
    slo = tmp_path / "defs" / "slo.yaml"
    slo.parent.mkdir()
    slo.write_text(SLO.format(target=SC010_TARGET), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    fresh = _lint(slo.parent, None)
    blocker = StatIndex(cache.FileCache(cache_dir)).path
    blocker.mkdir(parents=True)
    assert _lint(slo.parent, cache_dir) == fresh
    assert _lint(slo.parent, cache_dir) == fresh
    assert list(blocker.parent.glob("*.tmp")) == []


def test_few_changes_keep_the_index(tmp_path: Path, settled: None) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    _lint(root, cache_dir)
    [index] = _indexes(cache_dir)
    written = index.read_bytes()
    edited = next((root / "generated").rglob("enterprise.yaml"))
    with open(edited, "a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    fresh = _lint(root, None)
    assert _lint(root, cache_dir) == fresh
    assert index.read_bytes() == written
    assert _lint(root, cache_dir) == fresh


def test_jobs_with_partial_index(tmp_path: Path, settled: None) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    _lint(root, cache_dir)
    for path in list((root / "generated").rglob("*.yaml"))[::3]:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("# edited\n")
    fresh = _lint(root, None)
    assert _lint(root, cache_dir, jobs=2) == fresh
    assert _lint(root, cache_dir, jobs=2) == fresh
    assert _lint(root, cache_dir) == fresh


def test_no_cache_leaves_cache_alone(tmp_path: Path) -> None:
    from conftest import run_cli

    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "slo.yaml").write_text(SLO.format(target=SC010_TARGET), encoding="utf-8")
    cached = run_cli("lint", "--format", "json", ".", cwd=folder)
    snapshot = {
        path: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in (folder / ".slacheck_cache").rglob("*")
        if path.is_file()
    }
    index = next(path for path in snapshot if path.name.startswith("index-"))
    index.write_bytes(b"damaged")
    snapshot[index] = (b"damaged", index.stat().st_mtime_ns)
    uncached = run_cli("lint", "--no-cache", "--format", "json", ".", cwd=folder)
    after = {
        path: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in (folder / ".slacheck_cache").rglob("*")
        if path.is_file()
    }
    assert uncached.stdout == cached.stdout
    assert uncached.returncode == cached.returncode
    assert after == snapshot
    elsewhere = tmp_path / "fresh"
    shutil.copytree(folder, elsewhere, ignore=shutil.ignore_patterns(".slacheck_cache"))
    run_cli("lint", "--no-cache", ".", cwd=elsewhere)
    assert not (elsewhere / ".slacheck_cache").exists()


def test_source_texts_read_once() -> None:
    calls: list[str] = []

    def read() -> str:
        calls.append("read")
        return "a: 1\n# slacheck: waive SC101\n"

    texts = SourceTexts({"plain.yaml": "b: 2\n"})
    texts.defer("lazy.yaml", read, marked=True)
    assert texts.mentions("lazy.yaml", "slacheck:")
    assert calls == []
    assert len(texts) == 2
    assert "lazy.yaml" in texts
    assert texts["lazy.yaml"].startswith("a: 1")
    assert texts["lazy.yaml"].startswith("a: 1")
    assert calls == ["read"]
    assert dict(texts) == {"plain.yaml": "b: 2\n", "lazy.yaml": read()}
    assert texts.setdefault("plain.yaml", "other") == "b: 2\n"
    del texts["lazy.yaml"]
    assert "lazy.yaml" not in texts
    with pytest.raises(KeyError):
        texts["lazy.yaml"]


def test_entry_files_only_outside_index(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    fresh = _lint(root, None)
    assert _lint(root, cache_dir) == fresh
    assert list(cache_dir.glob("v*/*/*.json")) == []  # all in the new index
    changed = root / "slo.yaml"
    changed.write_text(SLO.format(target=SC010_TARGET), encoding="utf-8")
    with_change = _lint(root, None)
    assert _lint(root, cache_dir) == with_change
    # One changed row does not rewrite the index; its entry gets a file.
    assert len(list(cache_dir.glob("v*/*/*.json"))) == 1
    parsed: list[str] = []
    real = parallel.load_file

    def counting(path: str, raw: bytes) -> Any:
        parsed.append(path)
        return real(path, raw)

    monkeypatch.setattr(parallel, "load_file", counting)
    assert _lint(root, cache_dir) == with_change
    assert parsed == []  # the changed file came from its entry file
