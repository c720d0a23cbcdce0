"""The parsed-file cache gives the same findings and values as a fresh parse."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from slacheck import parallel
from slacheck.cache import FileCache, LazySource
from slacheck.findings import Finding
from slacheck.lint import lint, load_definitions
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


def _repo(tmp_path: Path) -> Path:
    """The example repo, the mistake repos and a small generated corpus."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "examples", root / "examples")
    corpus.generate(root / "generated", 30)
    return root


def _lint(root: Path, cache_dir: Path | None, **options: Any) -> list[Finding]:
    settings = LintSettings(paths=[str(root)], **options)
    settings.cache_dir = str(cache_dir) if cache_dir else None
    return lint(settings).findings


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("v*/*/*.json"))


def _indexes(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("v*/index-*"))


def test_cache_keeps_findings(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    fresh = _lint(root, None)
    cold = _lint(root, cache_dir)
    indexes = _indexes(cache_dir)
    warm = _lint(root, cache_dir)
    assert cold == fresh
    assert warm == fresh
    # A first run writes its entries into the stat index, not one file each.
    assert len(indexes) == 1
    assert _entries(cache_dir) == []
    assert _indexes(cache_dir) == indexes
    assert {f.code for f in fresh} >= {"SC002", "SC010", "SC206"}
    assert len({f.code for f in fresh}) > 10


def test_cached_values_and_positions_match(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    cache_dir = str(tmp_path / "cache")
    fresh = load_definitions([str(root)])
    load_definitions([str(root)], cache_dir=cache_dir)
    cached = load_definitions([str(root)], cache_dir=cache_dir)
    assert any(isinstance(d.source, LazySource) for d in cached.catalog.documents)
    assert len(cached.catalog.documents) == len(fresh.catalog.documents)
    for new, old in zip(cached.catalog.documents, fresh.catalog.documents, strict=True):
        assert (new.kind, new.name, new.valid) == (old.kind, old.name, old.valid)
        assert new.data == old.data
        assert _types(new.data) == _types(old.data)
        assert new.source.positions == old.source.positions
        assert new.source.key_positions == old.source.key_positions
        assert (new.source.line, new.source.column) == (old.source.line, old.source.column)
    assert cached.texts == fresh.texts


def _types(value: Any) -> Any:
    """Spell a value's structure with leaf types, so 5 and Decimal('5') differ."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value).__name__


def test_changed_content_misses_cache(tmp_path: Path) -> None:
    (tmp_path / "slo.yaml").write_text(SLO.format(target="99.9%"), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    first = _lint(tmp_path, cache_dir)
    (tmp_path / "slo.yaml").write_text(SLO.format(target="99.9"), encoding="utf-8")
    second = _lint(tmp_path, cache_dir)
    assert "SC010" not in {f.code for f in first}
    assert [(f.code, f.line) for f in second if f.code == "SC010"] == [("SC010", 14)]
    # The first run's entry is in the new index. The second run changed too
    # few rows to rewrite it, so its entry went into a file of its own.
    assert len(_entries(cache_dir)) == 1


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"key": "another", "skip": true}',
        b'{"skip": false, "documents": [{"index": 0}], "findings": []}',
    ],
    ids=["empty", "truncated", "binary", "wrong-type", "wrong-key", "malformed"],
)
def test_damaged_entries_are_ignored(
    tmp_path: Path, damage: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path)
    cache_dir = tmp_path / "cache"
    # Without a stat index every entry goes into a file of its own.
    with monkeypatch.context() as patch:
        patch.setattr(parallel.cacheindex, "open_index", lambda store: None)
        fresh = _lint(root, cache_dir)
    entries = _entries(cache_dir)
    assert len(entries) > 30
    for entry in entries:
        if damage == b'{"skip": false, "documents": [{"index": 0}], "findings": []}':
            key = entry.stem
            entry.write_bytes(damage.replace(b'{"skip"', f'{{"key": "{key}", "skip"'.encode()))
        else:
            entry.write_bytes(damage)
    # Without the stat index the run looks each file's entry up by content.
    for index in _indexes(cache_dir):
        index.unlink()
    assert _lint(root, cache_dir) == fresh
    # That run kept its results in a new stat index, not in the entries.
    assert len(_indexes(cache_dir)) == 1
    assert _lint(root, cache_dir) == fresh
    for index in _indexes(cache_dir):
        index.unlink()
    assert _lint(root, cache_dir) == fresh


@pytest.fixture
def no_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run without the stat index, so that every entry gets a file of its own."""
    monkeypatch.setattr(parallel.cacheindex, "open_index", lambda store: None)


def test_cache_entry_is_json_not_pickle(tmp_path: Path, no_index: None) -> None:
    (tmp_path / "slo.yaml").write_text(SLO.format(target="0.999"), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    _lint(tmp_path, cache_dir)
    [entry] = _entries(cache_dir)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    assert stored["key"] == entry.stem
    [document] = stored["documents"]
    assert '{"$decimal":"0.999"}' in document["data"]
    assert (cache_dir / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_same_content_at_two_paths(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(SLO.format(target="99.9"), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    _lint(tmp_path, cache_dir)
    warm = _lint(tmp_path, cache_dir)
    paths = sorted({Path(f.path).name for f in warm if f.code == "SC010"})
    assert paths == ["a.yaml", "b.yaml"]


def test_leftover_temporary_file_is_harmless(tmp_path: Path, no_index: None) -> None:
    (tmp_path / "slo.yaml").write_text(SLO.format(target="99.9%"), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    fresh = _lint(tmp_path, cache_dir)
    [entry] = _entries(cache_dir)
    (entry.parent / "half-written.tmp").write_bytes(b'{"key": "')
    assert _lint(tmp_path, cache_dir) == fresh


def test_unwritable_cache_still_lints(tmp_path: Path) -> None:
    (tmp_path / "slo.yaml").write_text(SLO.format(target="99.9"), encoding="utf-8")
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    fresh = _lint(tmp_path, None)
    assert _lint(tmp_path, blocker) == fresh
    assert FileCache(blocker).get("0" * 64) is None


def test_changed_only_run_with_cache(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    target = str(root / "examples" / "mistakes" / "no-margin")
    cache_dir = tmp_path / "cache"
    _lint(root, cache_dir)
    named = {f.path for f in _lint(root, None) if f.path.startswith(target)}
    fresh = _lint(root, None, report_only=named)
    assert fresh
    assert _lint(root, cache_dir, report_only=named) == fresh
