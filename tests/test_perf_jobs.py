"""``--jobs N`` gives the same findings and output as a run in one process."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CliRunner

from slacheck.findings import Finding
from slacheck.lint import lint, load_definitions
from slacheck.settings import LintSettings

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Examples, mistakes and enough generated files for several worker tasks."""
    root = tmp_path_factory.mktemp("jobs") / "repo"
    shutil.copytree(REPO / "examples", root / "examples")
    corpus.generate(root / "generated", 300)
    return root


def _lint(root: Path, *, jobs: int, cache_dir: Path | None = None) -> list[Finding]:
    settings = LintSettings(paths=[str(root)], jobs=jobs)
    settings.cache_dir = str(cache_dir) if cache_dir else None
    return lint(settings).findings


def test_two_jobs_same_findings(repo: Path) -> None:
    one = _lint(repo, jobs=1)
    two = _lint(repo, jobs=2)
    assert two == one
    assert len(one) > 50


def test_two_jobs_same_findings_through_cache(repo: Path, tmp_path: Path) -> None:
    one = _lint(repo, jobs=1)
    cold = _lint(repo, jobs=2, cache_dir=tmp_path / "cache")
    warm = _lint(repo, jobs=2, cache_dir=tmp_path / "cache")
    assert cold == one
    assert warm == one


def test_two_jobs_same_catalogue(repo: Path) -> None:
    one = load_definitions([str(repo)])
    two = load_definitions([str(repo)], jobs=2)
    assert two.files == one.files
    assert two.texts == one.texts
    assert [(d.path, d.kind, d.name, d.valid) for d in two.catalog.documents] == [
        (d.path, d.kind, d.name, d.valid) for d in one.catalog.documents
    ]
    assert [d.data for d in two.catalog.documents] == [d.data for d in one.catalog.documents]
    assert [d.notes for d in two.catalog.documents] == [
        d.notes for d in one.catalog.documents
    ]
    for new, old in zip(two.catalog.documents, one.catalog.documents, strict=True):
        assert new.source.positions == old.source.positions
        assert new.source.key_positions == old.source.key_positions
    # Files beyond the first chunk come from the worker.
    assert any(type(d.source).__name__ == "PackedSource" for d in two.catalog.documents)


def test_two_jobs_changed_only(repo: Path) -> None:
    named = {str(p) for p in (repo / "examples" / "b2b-api" / "slas").glob("*.yaml")}
    settings = LintSettings(paths=[str(repo)], report_only=named)
    one = lint(settings).findings
    settings.jobs = 2
    assert lint(settings).findings == one
    assert {f.path for f in one} == named


def test_cli_output_same_with_jobs(repo: Path, cli: CliRunner) -> None:
    one = cli("lint", "--no-cache", "--format", "json", ".", cwd=repo)
    two = cli("lint", "--no-cache", "--jobs", "2", "--format", "json", ".", cwd=repo)
    cached = cli("lint", "--jobs", "2", "--format", "json", ".", cwd=repo)
    assert one.returncode == 1
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert (cached.returncode, cached.stdout) == (one.returncode, one.stdout)
    assert (repo / ".slacheck_cache").is_dir()


@pytest.mark.parametrize("jobs", [2, 3])
def test_forked_rule_workers_same_findings(
    repo: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small repositories check rules in one process; force the workers.
    from slacheck import lint as lint_module
    from slacheck import parallel

    expected = _lint(repo, jobs=1)
    monkeypatch.setattr(parallel, "RULES_FORK_MIN", 1)
    monkeypatch.setattr(parallel, "usable_jobs", lambda jobs: jobs)
    checked_here: list[int] = []
    run_rules_on = lint_module.run_rules_on

    def spy(catalog: Any, settings: Any, documents: list[Any]) -> Any:
        checked_here.append(len(documents))
        return run_rules_on(catalog, settings, documents)

    monkeypatch.setattr(lint_module, "run_rules_on", spy)
    assert _lint(repo, jobs=jobs) == expected
    # The main process checked its own share, not every document.
    documents = load_definitions([str(repo)]).catalog.documents
    assert len(checked_here) == 1
    assert 0 < checked_here[0] <= sum(d.valid for d in documents) // jobs + 1


def test_small_repo_rules_in_one_process(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slacheck import parallel

    def fail(*args: object) -> None:
        raise AssertionError("forked rule workers for a small repository")

    monkeypatch.setattr(parallel, "_rules_share", fail)
    assert _lint(repo, jobs=2) == _lint(repo, jobs=1)


def test_jobs_capped_by_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    from slacheck import parallel

    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.delattr(parallel.os, "sched_getaffinity", raising=False)
    assert parallel.usable_jobs(99_999_999) == 2
    assert parallel.usable_jobs(1) == 1
    assert parallel.usable_jobs(0) == 1


def test_jobs_one_chunk_starts_no_pool(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    def fail(*args: object) -> None:
        raise AssertionError("started worker processes for one chunk of files")

    monkeypatch.setattr(multiprocessing, "get_context", fail)
    one_file = next((repo / "examples" / "b2b-api" / "slas").glob("*.yaml"))
    expected = lint(LintSettings(paths=[str(one_file)])).findings
    assert lint(LintSettings(paths=[str(one_file)], jobs=99_999_999)).findings == expected
