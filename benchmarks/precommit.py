"""Time the phases of a warm pre-commit run in one process.

Usage: ``python benchmarks/precommit.py N [--repeat 9]``

Generates N seeded definition files under ``benchmarks/.work/precommit-N/``
(once), fills the cache with ``slacheck lint .``, then repeats: append a
comment to one SLA file, discover the files as ``--changed-only`` does, and
load them through the cache. It prints the median time of each phase.
Start-up is left out, since a new process per run would add only noise to
these phases; ``benchmarks/run.py`` measures whole runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from scenarios import slacheck_command  # noqa: E402

WORK = Path(__file__).resolve().parent / ".work"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of definitions")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs")
    args = parser.parse_args(argv)
    root = WORK / f"precommit-{args.count}"
    if not root.exists():
        corpus.generate(root, args.count)
    subprocess.run([*slacheck_command(), "lint", "."], cwd=root, check=False,
                   stdout=subprocess.DEVNULL)
    os.chdir(root)
    changed = next(Path("teams").rglob("slas/*.yaml")).as_posix()
    phases = _time_phases(changed, args.repeat)
    for name, times in phases.items():
        print(f"{name}: median {statistics.median(times) * 1000:.1f} ms "
              f"over {len(times)} runs")
    return 0


def _time_phases(changed: str, repeat: int) -> dict[str, list[float]]:
    from slacheck.discovery import discover
    from slacheck.lint import Loaded, add_checked
    from slacheck.model import Catalog
    from slacheck.parallel import check_files

    phases: dict[str, list[float]] = {"discovery": [], "loading": []}
    for number in range(repeat):
        with open(changed, "a", encoding="utf-8") as handle:
            handle.write(f"# edit {number}\n")
        started = time.perf_counter()
        candidates = list(discover([changed, "."]))
        found = time.perf_counter()
        loaded = Loaded(Catalog())
        for checked in check_files(candidates, cache_dir=".slacheck_cache"):
            if checked is not None:
                add_checked(loaded, checked)
        phases["discovery"].append(found - started)
        phases["loading"].append(time.perf_counter() - found)
    return phases


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
