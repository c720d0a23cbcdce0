"""Time the built-in evaluation and the policy rules over N snapshots.

Usage: ``python benchmarks/evaluate.py N [--repeat 3]``

Writes N consecutive monthly snapshots for ``examples/b2b-api/`` (seeded, so
every run measures the same figures) under ``benchmarks/.work/evaluate-N/``
and prints, in one process:

* the time to load the definitions and snapshots;
* the time of ``slacheck.evaluation.evaluate`` over all N snapshots;
* the time to compile the shipped policy pack;
* the time to apply it to every result, and that time divided by the number
  of rule evaluations (one rule on one target).

Each figure is the median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slacheck.evaluation import evaluate  # noqa: E402
from slacheck.lint import load_definitions  # noqa: E402
from slacheck.policies import load_policy_set, result_findings  # noqa: E402
from slacheck.policies.targets import result_targets  # noqa: E402

WORK = Path(__file__).resolve().parent / ".work"
DEFINITIONS = ROOT / "examples" / "b2b-api"
KPIS = {
    "mttr-sev1": 60,
    "mttr-sev2": 240,
    "change-failure-rate": 15,
    "deployment-frequency": 10,
    "alert-noise-ratio": 20,
}


def month(index: int) -> tuple[str, str, int]:
    """Return (start, end, days) of the index-th month from January 2026."""
    import calendar

    year, number = 2026 + index // 12, index % 12 + 1
    days = calendar.monthrange(year, number)[1]
    after = (year + (number == 12), number % 12 + 1)
    return f"{year}-{number:02d}-01", f"{after[0]}-{after[1]:02d}-01", days


def snapshot_text(index: int, rng: random.Random) -> str:
    start, end, days = month(index)
    total = rng.randint(5_000_000, 15_000_000)
    good = total - rng.randint(0, total // 200)
    slices = days * 1440
    kpis = "".join(
        f"    - {{kpi: {name}, value: {round(target * rng.uniform(0.5, 1.5))}}}\n"
        for name, target in KPIS.items()
    )
    return f"""\
apiVersion: slacheck/v1
kind: Snapshot
metadata: {{name: bench-{index}}}
spec:
  service: b2b-api
  period: {{start: "{start}", end: "{end}", timeZone: UTC}}
  indicators:
    - sli: api-availability
      events: {{good: {good}, total: {total}}}
      timeSlices: {{good: {slices - rng.randint(0, slices // 100)}, total: {slices}, length: 1m}}
    - sli: api-latency
      threshold: 500ms
      events: {{good: {total - rng.randint(0, total // 50)}, total: {total}}}
    - sli: api-latency
      threshold: 1s
      events: {{good: {total - rng.randint(0, total // 20)}, total: {total}}}
  kpis:
{kpis}"""


def write_snapshots(count: int) -> Path:
    folder = WORK / f"evaluate-{count}"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(count)
    for index in range(count):
        (folder / f"snapshot-{index:05d}.yaml").write_text(
            snapshot_text(index, rng), encoding="utf-8"
        )
    return folder


def median_time(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of monthly snapshots")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("N must be at least 1")
    folder = write_snapshots(args.count)

    def load() -> tuple[Any, list[Any]]:
        definitions = load_definitions([str(DEFINITIONS)])
        snapshots = load_definitions([str(folder)]).catalog.documents
        return definitions.catalog, snapshots

    load_time, (catalog, snapshots) = median_time(args.repeat, load)
    evaluate_time, evaluation = median_time(
        args.repeat, lambda: evaluate(catalog, snapshots)
    )

    def compile_pack() -> Any:
        from slacheck.policies.runner import compile_rules

        policies = load_policy_set([], use_default=True)
        compile_rules(policies, policies.rules)
        return policies

    compile_time, policies = median_time(args.repeat, compile_pack)
    targets = result_targets(evaluation, catalog)
    rule_runs = sum(len(policies.for_kind(t.applies_to)) for t in targets)
    apply_time, findings = median_time(
        args.repeat, lambda: result_findings(evaluation, catalog, policies)
    )
    results = sum(len(s.slos) + len(s.slas) + len(s.kpis) for s in evaluation.snapshots)
    print(f"snapshots:            {args.count} ({results} SLO, SLA and KPI results)")
    print(f"load definitions and snapshots: {load_time * 1000:9.1f} ms")
    print(
        f"built-in evaluation:            {evaluate_time * 1000:9.1f} ms "
        f"({evaluate_time / args.count * 1000:.2f} ms per snapshot)"
    )
    print(
        f"compile the policy pack:        {compile_time * 1000:9.1f} ms "
        f"({len(policies.rules)} rules)"
    )
    print(
        f"apply the policy pack:          {apply_time * 1000:9.1f} ms "
        f"({rule_runs} rule evaluations, {len(findings)} findings)"
    )
    print(
        f"per rule evaluation:            {apply_time / max(rule_runs, 1) * 1e6:9.1f} us"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
