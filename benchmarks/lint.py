"""Time ``slacheck lint`` on a synthetic repo of N definitions.

Usage: ``python benchmarks/lint.py N [--repeat 3]``

Generates N seeded definition files under ``benchmarks/.work/lint-N/`` and
prints the median wall time of ``slacheck lint --no-cache`` over them next to
the time PyYAML's C loader alone needs to compose the same files
(``yaml.compose`` with ``CSafeLoader``). Both run as fresh processes, start-up
included. ``benchmarks/run.py`` measures the full set of goals.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import peers  # noqa: E402
from measure import byte_compile, sample  # noqa: E402
from scenarios import slacheck_command  # noqa: E402

WORK = Path(__file__).resolve().parent / ".work"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of definitions")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("N must be at least 1")
    byte_compile(Path(__file__).resolve().parent.parent / "slacheck")
    generated = corpus.generate(WORK / f"lint-{args.count}", args.count)
    listing = WORK / f"lint-{args.count}.files"
    listing.write_text("".join(f"{f}\n" for f in generated.files), encoding="utf-8")
    compose = sample("compose", peers.compose_command(listing), repeat=args.repeat)
    lint = sample(
        "lint",
        [*slacheck_command(), "lint", "--no-cache", "."],
        repeat=args.repeat,
        cwd=generated.root,
    )
    print(f"definitions: {args.count}")
    print(f"slacheck lint: {lint.median:.3f} s (peak {lint.peak_mib:.0f} MiB)")
    print(f"C-loader compose: {compose.median:.3f} s (peak {compose.peak_mib:.0f} MiB)")
    print(f"ratio: {lint.median / compose.median:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
