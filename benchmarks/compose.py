"""Compose every file in a list with PyYAML's C loader: the parsing baseline.

Usage: ``python benchmarks/compose.py FILE_LIST [--keep]``. ``--keep`` holds
every node tree until the end, as a linter that resolves references across
files must hold its documents, so its peak memory is the baseline for
slacheck's.
"""

from __future__ import annotations

import sys

import yaml


def main(argv: list[str]) -> int:
    with open(argv[0], encoding="utf-8") as handle:
        paths = handle.read().splitlines()
    keep = "--keep" in argv[1:]
    kept = []
    for path in paths:
        with open(path, "rb") as source:
            text = source.read().decode("utf-8")
        nodes = list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
        if keep:
            kept.append(nodes)
    return 0 if len(kept) in (0, len(paths)) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
