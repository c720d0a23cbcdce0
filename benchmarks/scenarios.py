"""The measured scenarios: each returns the samples one table row needs."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import corpus
import peers
from measure import Sample, combine, sample

POLICY_DIR = Path(__file__).resolve().parent / "policies"
CACHE_DIR = ".slacheck_cache"
# slacheck.cacheindex records a file's stat only once it is SETTLE_NS old.
STAT_MARGIN_SECONDS = 3.5


def slacheck_command() -> list[str]:
    """The console script next to this interpreter, as a user would run it."""
    script = Path(sys.executable).parent / "slacheck"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "slacheck"]


class Bench:
    """Corpora and commands for one run, all under ``work``."""

    def __init__(self, root: Path, work: Path, peer_bin: Path, repeat: int) -> None:
        self.root = root
        self.work = work
        self.peer_bin = peer_bin
        self.repeat = repeat
        self.corpora: dict[int, corpus.Corpus] = {}
        self.bundled = peers.bundle_schemas(root / "schemas" / "v1", work / "bundled")

    def corpus(self, count: int) -> corpus.Corpus:
        if count not in self.corpora:
            generated = corpus.generate(self.work / f"corpus-{count}", count)
            listing = self.work / f"corpus-{count}.files"
            listing.write_text("".join(f"{f}\n" for f in generated.files), "utf-8")
            self.corpora[count] = generated
        return self.corpora[count]

    def compose(self, files: corpus.Corpus, *, keep: bool) -> Sample:
        listing = self.work / f"corpus-{len(files.files)}.files"
        label = "compose-keep" if keep else "compose"
        return sample(label, peers.compose_command(listing, keep=keep), repeat=self.repeat)

    def lint_cold(self, files: corpus.Corpus, *, jobs: int) -> Sample:
        """A CI run: a fresh checkout has no cache to read, so CI passes --no-cache."""
        argv = [*slacheck_command(), "lint", "--no-cache", "--jobs", str(jobs), "."]
        return sample(f"lint-j{jobs}", argv, repeat=self.repeat, cwd=files.root)

    def lint_first(self, files: corpus.Corpus) -> Sample:
        """A first local run: the cache starts empty and every entry is written."""
        argv = [*slacheck_command(), "lint", "."]
        return sample("lint-first", argv, repeat=self.repeat, cwd=files.root,
                      before_each=lambda: _clear_cache(files.root))

    def lint_warm(self, files: corpus.Corpus) -> Sample:
        """A second run over unchanged files: every file comes from the cache."""
        argv = [*slacheck_command(), "lint", "."]
        _clear_cache(files.root)
        sample("warm-up", argv, repeat=1, cwd=files.root)
        return sample("lint-warm", argv, repeat=self.repeat, cwd=files.root)

    def lint_with_policies(
        self, files: corpus.Corpus, engine: str = "interpreted"
    ) -> Sample | None:
        """Lint with the benchmark policies on one CEL engine (docs/policies.md)."""
        if not _policies_available() or not list(POLICY_DIR.glob("*.yaml")):
            return None
        argv = [
            "env", f"SLACHECK_CEL_ENGINE={engine}",
            *slacheck_command(), "lint", "--no-cache", "--policy", str(POLICY_DIR), ".",
        ]
        return sample(f"lint-policies-{engine}", argv, repeat=self.repeat, cwd=files.root)

    def check_jsonschema(self, files: corpus.Corpus) -> Sample:
        by_kind: dict[str, list[Path]] = defaultdict(list)
        for path, kind in zip(files.files, files.kinds):
            by_kind[kind].append(path)
        commands = peers.check_jsonschema_commands(self.peer_bin, self.bundled, by_kind)
        parts = [sample("check-jsonschema", c, repeat=self.repeat) for c in commands]
        return combine("check-jsonschema", parts)

    def yamllint(self, root: Path, files: list[Path]) -> Sample:
        argv = peers.yamllint_command(self.peer_bin, files)
        return sample("yamllint", argv, repeat=self.repeat, cwd=root)

    def changed_file(self, files: corpus.Corpus) -> Path:
        """Warm the cache over the whole repo; return the file a commit edits."""
        _clear_cache(files.root)
        # The stat index trusts only files older than its racy-write margin,
        # as a repository's files are by the time someone commits.
        time.sleep(STAT_MARGIN_SECONDS)
        sample("warm-up", [*slacheck_command(), "lint", "."], repeat=1, cwd=files.root)
        return next(f for f in files.files if f.parent.name == "slas")

    def lint_changed(self, files: corpus.Corpus, changed: Path) -> Sample:
        """pre-commit after editing one file: its content, so its hash, changes."""
        relative = changed.relative_to(files.root)
        argv = [*slacheck_command(), "lint", "--changed-only", str(relative)]
        original = changed.read_text(encoding="utf-8")
        edits = iter(range(1, 1_000_000))

        def edit() -> None:
            changed.write_text(f"{original}# edit {next(edits)}\n", encoding="utf-8")

        try:
            return sample("lint-changed", argv, repeat=self.repeat, cwd=files.root,
                          before_each=edit)
        finally:
            changed.write_text(original, encoding="utf-8")

    def evaluate(self, slo_count: int) -> tuple[Sample, Sample] | None:
        """Load time and evaluate time for a repo with ``slo_count`` SLOs."""
        if not _command_available("evaluate"):
            return None
        files = self.corpus(slo_count * corpus.DEFINITIONS_PER_SERVICE // 2)
        snapshot = corpus.write_snapshot(self.work / "snapshot.yaml", files)
        load = [sys.executable, "-c",
                "from slacheck.lint import load_definitions; load_definitions(['.'])"]
        loaded = sample("load", load, repeat=self.repeat, cwd=files.root)
        argv = [*slacheck_command(), "evaluate", "--snapshot", str(snapshot), "."]
        evaluated = sample("evaluate", argv, repeat=self.repeat, cwd=files.root)
        return loaded, evaluated


def _clear_cache(root: Path) -> None:
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)


def _policies_available() -> bool:
    probe = [sys.executable, "-c", "import slacheck.policies"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def _command_available(name: str) -> bool:
    probe = [*slacheck_command(), name, "--help"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0
