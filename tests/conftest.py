"""Shared fixtures: the repository root and a runner for the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

CliRunner = Callable[..., subprocess.CompletedProcess[str]]


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run ``python -m slacheck ARGS`` in ``cwd``; a traceback fails the test."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "slacheck", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def cli() -> CliRunner:
    """The CLI runner as a fixture, for tests that prefer injection."""
    return run_cli
