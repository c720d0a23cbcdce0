"""Benchmark slacheck against the C loader, check-jsonschema and yamllint.

Usage: ``python benchmarks/run.py [--repeat 3] [--quick] [--markdown FILE]``

Generates seeded corpora under ``benchmarks/.work/`` (gitignored), runs every
command as its own process (start-up included, as in CI or pre-commit) and
prints one table of median wall times, ratios and peak memory, with each goal
and whether this run met it. ``--quick`` divides the corpus sizes by ten to
try the harness; its ratios are not the goals' figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import peers  # noqa: E402
import scenarios  # noqa: E402
from measure import Sample, byte_compile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"


@dataclass
class Row:
    scenario: str
    sample: Sample
    ratio: str = ""
    goal: str = ""
    verdict: str = ""


def main(argv: list[str]) -> int:
    args = _parse(argv)
    scale = 10 if args.quick else 1
    WORK.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    bin_dir = peers.ensure_venv(WORK)
    byte_compile(ROOT / "slacheck")
    bench = scenarios.Bench(ROOT, WORK, bin_dir, args.repeat)
    rows = _throughput(bench, 5000 // scale)
    rows += _scale(bench, 1000 // scale, 10000 // scale)
    rows += _precommit(bench, 2000 // scale)
    rows += _evaluate(bench, 1000 // scale)
    text = _render(rows, args, load_before)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    return 0


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per command")
    parser.add_argument("--quick", action="store_true", help="corpus sizes / 10")
    parser.add_argument("--markdown", help="also write the table to this file")
    return parser.parse_args(argv)


def _throughput(bench: scenarios.Bench, count: int) -> list[Row]:
    files = bench.corpus(count)
    compose = bench.compose(files, keep=False)
    kept = bench.compose(files, keep=True)
    lint1 = bench.lint_cold(files, jobs=1)
    lint2 = bench.lint_cold(files, jobs=2)
    first = bench.lint_first(files)
    warm = bench.lint_warm(files)
    cjs = bench.check_jsonschema(files)
    yl = bench.yamllint(files.root, files.files)
    policies = bench.lint_with_policies(files)
    closures = bench.lint_with_policies(files, engine="closures")
    rows = [
        Row(f"C-loader compose, {count} files", compose, "1.00x"),
        Row(f"C-loader compose keeping trees, {count} files", kept,
            _ratio(kept, compose)),
        _goal(f"slacheck lint --no-cache --jobs 1, {count} files", lint1, compose,
              "<= 3x compose", 3.0),
        _goal(f"slacheck lint --no-cache --jobs 2, {count} files", lint2, compose,
              "<= 3x compose", 3.0),
        Row(f"slacheck lint, {count} files, empty cache (first local run)", first,
            _ratio(first, compose)),
        Row(f"slacheck lint, {count} files, warm cache", warm, _ratio(warm, compose)),
        Row(f"check-jsonschema, {count} files", cjs, _ratio(cjs, compose)),
        Row(f"yamllint, {count} files", yl, _ratio(yl, compose)),
        _goal("slacheck lint --jobs 1 / check-jsonschema", lint1, cjs,
              "<= 0.5x", 0.5),
        _speedup("--jobs 2 speed-up over --jobs 1", lint1, lint2),
        _memory(lint1, kept, compose),
    ]
    if policies is None:
        rows.append(Row("slacheck lint + 5 CEL policies", Sample("n/a"),
                        goal="<= 3x compose",
                        verdict="not run: slacheck.policies is not installed yet"))
    else:
        rows.append(_goal(f"slacheck lint --no-cache + 5 CEL policies, {count} files",
                          policies, compose, "<= 3x compose", 3.0))
        rows.append(_goal("  the same / check-jsonschema", policies, cjs, "<= 0.5x", 0.5))
    if closures is not None:
        rows.append(Row(f"  the same with SLACHECK_CEL_ENGINE=closures, {count} files",
                        closures, _ratio(closures, compose)))
    return rows


def _scale(bench: scenarios.Bench, small: int, large: int) -> list[Row]:
    low = bench.lint_cold(bench.corpus(small), jobs=1)
    high = bench.lint_cold(bench.corpus(large), jobs=1)
    return [
        Row(f"slacheck lint --no-cache, {small} files", low),
        _goal(f"slacheck lint --no-cache, {large} files", high, low,
              f"<= 11x {small} files", 11.0),
    ]


def _precommit(bench: scenarios.Bench, count: int) -> list[Row]:
    files = bench.corpus(count)
    changed = bench.changed_file(files)
    one = bench.lint_changed(files, changed)
    yl = bench.yamllint(files.root, [changed])
    return [
        Row(f"yamllint, 1 file", yl),
        _goal(f"slacheck lint --changed-only, 1 changed file of {count}", one, yl,
              "<= 1x yamllint", 1.0),
    ]


def _evaluate(bench: scenarios.Bench, count: int) -> list[Row]:
    result = bench.evaluate(count)
    if result is None:
        return [Row(f"slacheck evaluate, {count} SLOs", Sample("n/a"),
                    goal="<= 5x load",
                    verdict="not run: slacheck evaluate is not installed yet")]
    load, evaluate = result
    return [
        Row(f"load {count} SLO definitions", load),
        _goal(f"slacheck evaluate, {count} SLOs", evaluate, load, "<= 5x load", 5.0),
    ]


def _ratio(sample: Sample, base: Sample) -> str:
    return f"{sample.median / base.median:.2f}x"


def _goal(name: str, sample: Sample, base: Sample, goal: str, limit: float) -> Row:
    ratio = sample.median / base.median
    return Row(name, sample, f"{ratio:.2f}x", goal, _verdict(ratio <= limit, ratio, limit))


def _speedup(name: str, one: Sample, two: Sample) -> Row:
    speedup = one.median / two.median
    met = speedup >= 1.7
    verdict = "met" if met else f"missed by {1.7 - speedup:.2f}x"
    return Row(name, Sample("derived"), f"{speedup:.2f}x", ">= 1.7x", verdict)


def _memory(lint: Sample, kept: Sample, compose: Sample) -> Row:
    ratio = lint.peak_mib / kept.peak_mib
    versus_streaming = lint.peak_mib / compose.peak_mib
    return Row(
        "peak memory: lint / compose keeping trees",
        Sample("derived"),
        f"{ratio:.2f}x ({versus_streaming:.2f}x of compose alone)",
        "<= 2x",
        _verdict(ratio <= 2.0, ratio, 2.0),
    )


def _verdict(met: bool, ratio: float, limit: float) -> str:
    if met:
        return "met"
    return f"missed by {ratio / limit:.2f}x"


def _render(rows: list[Row], args: argparse.Namespace, load_before: float) -> str:
    # Other work on the machine slows every command, the peers included, so
    # the ratios hold up better than the seconds; the load shows how busy it was.
    load_after = os.getloadavg()[0]
    lines = [
        _machine(),
        f"Load average (1 min) before / after the run: {load_before:.1f} / {load_after:.1f}.",
        "",
        f"Runs per command: {args.repeat} (median shown)."
        + (" QUICK MODE: sizes / 10." if args.quick else ""),
        "",
        "| scenario | median s | peak MiB | ratio | goal | result |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        seconds = f"{row.sample.median:.3f}" if row.sample.seconds else ""
        memory = f"{row.sample.peak_mib:.0f}" if row.sample.peak_kib else ""
        lines.append(
            f"| {row.scenario} | {seconds} | {memory} | {row.ratio} | {row.goal} "
            f"| {row.verdict} |"
        )
    return "\n".join(lines)


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = subprocess.run(
        [sys.executable, "-c", "import slacheck; print(slacheck.__version__)"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()
    return (
        f"Machine: {cpu}, {os.cpu_count()} cores, {_memory_total()}; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"slacheck {version}; peers from benchmarks/requirements.txt."
    )


def _memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                kib = int(line.split()[1])
                return f"{kib / 1024 / 1024:.0f} GiB memory"
    except OSError:
        pass
    return "unknown memory"


if __name__ == "__main__":
    if shutil.which("true") is None:  # pragma: no cover - not a POSIX system
        sys.exit("benchmarks/run.py needs a POSIX system (it uses wait4)")
    sys.exit(main(sys.argv[1:]))
