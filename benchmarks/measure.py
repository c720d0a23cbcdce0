"""Run a command several times and keep its median wall time and peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Sample:
    """One command's runs: wall seconds and peak resident memory per run."""

    label: str
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mib(self) -> float:
        return max(self.peak_kib) / 1024


def run_once(argv: Sequence[str], *, cwd: Path | None = None) -> tuple[float, int, int]:
    """Run ``argv`` with output discarded; return (seconds, peak KiB, exit code).

    Peak memory is ``ru_maxrss`` from ``wait4``: the largest resident set of
    the process or of any child it waited for (Linux counts KiB). A process
    pool's workers are children too, so for ``--jobs 2`` it is the largest
    single process, not the sum.
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss, process.returncode


def sample(
    label: str,
    argv: Sequence[str],
    *,
    repeat: int,
    cwd: Path | None = None,
    before_each: Callable[[], None] | None = None,
    ok_codes: tuple[int, ...] = (0, 1),
) -> Sample:
    """Run a command ``repeat`` times; ``before_each`` resets state untimed."""
    result = Sample(label)
    for _ in range(repeat):
        if before_each is not None:
            before_each()
        seconds, peak, code = run_once(argv, cwd=cwd)
        if code not in ok_codes:
            raise RuntimeError(f"{label}: {' '.join(argv)} exited {code}")
        result.seconds.append(seconds)
        result.peak_kib.append(peak)
        result.exit_codes.append(code)
    return result


def combine(label: str, parts: list[Sample]) -> Sample:
    """Add up commands that together do one job (one run per part and repeat)."""
    result = Sample(label)
    for runs in zip(*(part.seconds for part in parts)):
        result.seconds.append(sum(runs))
    for runs in zip(*(part.peak_kib for part in parts)):
        result.peak_kib.append(max(runs))
    return result


def byte_compile(package: Path) -> None:
    """Write the package's bytecode, as pip does when it installs a wheel.

    An editable install leaves this to the first import, which skips it
    when PYTHONDONTWRITEBYTECODE is set: every run would then compile
    slacheck's source again (about 60 ms), while the peers, installed from
    wheels, start from bytecode.
    """
    import compileall

    compileall.compile_dir(str(package), quiet=1)
