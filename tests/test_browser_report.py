"""The HTML report in a real browser: headless Chromium renders it without errors.

Debian's ``chromium`` package provides the browser (``.ci/run`` installs it);
without it these tests are skipped.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from slacheck.lint import lint
from slacheck.report.build import build_report
from slacheck.settings import LintSettings

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "b2b-api"
SNAPSHOT = REPO / "examples" / "snapshots" / "2026-05-breach.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed: 'apt-get install chromium' (Debian) runs these tests",
)

# Flags for a quiet, offline, throwaway browser: no sandbox (root in CI), no
# GPU, no first-run pages and no background traffic to any server.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


def run_chromium(
    page: Path, profile: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def console_messages(log: str) -> list[str]:
    """Return Chromium's log lines for page console output (errors included)."""
    return [line for line in log.splitlines() if ":CONSOLE" in line]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    page = folder / "report.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "slacheck",
            "report",
            str(EXAMPLE),
            "--snapshot",
            str(SNAPSHOT),
            "--format",
            "html",
            "--output",
            str(page),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    return page


def expected_charts() -> tuple[int, int]:
    """Count commitments and credit schedules in the example, from the model."""
    result = lint(LintSettings(paths=[str(EXAMPLE)]))
    model = build_report(result.catalog, result.findings, title="t", sources=[])
    commitments = [c for sla in model.slas for c in sla.commitments]
    return len(commitments), sum(1 for c in commitments if c.credit is not None)


def test_screenshot_renders(report_page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = run_chromium(
        report_page,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.is_file()
    assert png_size(shot) == (1280, 2000)
    # A blank white page compresses to a few kilobytes; text and charts do not.
    assert shot.stat().st_size > 50_000
    assert console_messages(done.stderr) == []


def test_dom_has_charts(report_page: Path, tmp_path: Path) -> None:
    done = run_chromium(report_page, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert console_messages(done.stderr) == []
    scales = re.findall(r'<svg id="scale-[a-z0-9-]+"', dom)
    credits = re.findall(r'<svg id="credits-[a-z0-9-]+"', dom)
    commitments, schedules = expected_charts()
    assert len(scales) == commitments
    assert len(credits) == schedules
    assert '<svg id="scale-b2b-api-enterprise-monthly-uptime"' in dom
    assert '<svg id="credits-b2b-api-enterprise-monthly-uptime"' in dom
    # The breach month: 98.7% against 99.5% owes 20% under the step rule.
    assert "measured 98.7%: 20%" in dom
    assert "0.8 points short" in dom


def test_console_error_detected(tmp_path: Path) -> None:
    # The console check must be able to fail: a page that logs an error.
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom')</script>")
    done = run_chromium(page, tmp_path / "profile", "--dump-dom")
    messages = console_messages(done.stderr)
    assert len(messages) == 1
    assert '"boom"' in messages[0]
