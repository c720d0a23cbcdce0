"""A slacheck SLA on OpenSLO SLOs: examples/openslo-mixed and edits of it."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from slacheck.lint import lint
from slacheck.settings import LintSettings

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "openslo-mixed"
SLA = "slas/enterprise.yaml"

CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A private copy of the example to edit."""
    copy = tmp_path / "openslo-mixed"
    shutil.copytree(EXAMPLE, copy)
    return copy


def _edit(repo: Path, name: str, *replacements: tuple[str, str]) -> None:
    path = repo / name
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _line_of(repo: Path, name: str, needle: str) -> int:
    lines = (repo / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def _findings(repo: Path) -> list[tuple[str, int, int, str]]:
    result = lint(LintSettings(paths=[str(repo)]))
    return [
        (Path(f.path).resolve().relative_to(repo).as_posix(), f.line, f.column, f.code)
        for f in result.findings
    ]


def test_example_lints_clean(cli: CliRunner) -> None:
    result = cli("lint", "examples/openslo-mixed/")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "No findings in 7 files.\n"


def test_example_mixes_both_formats() -> None:
    result = lint(LintSettings(paths=[str(EXAMPLE)]))
    by_format = sorted((d.api_version, d.kind) for d in result.catalog.documents)
    assert ("slacheck/v1", "SLA") in by_format
    assert ("openslo/v1", "SLO") in by_format
    assert ("openslo/v1", "SLI") in by_format
    assert all(d.valid for d in result.catalog.documents)


def test_sla_equal_to_slo_target_is_no_margin(repo: Path, cli: CliRunner) -> None:
    # Promise the SLO's 99.9% and move the first credit tier along with it.
    _edit(
        repo,
        SLA,
        ("      target: 99.5%\n", "      target: 99.9%\n"),
        ("        - below: 99.5%\n", "        - below: 99.9%\n"),
    )
    line = _line_of(repo, SLA, "target: 99.9%")
    result = cli("lint", ".", cwd=repo)
    assert result.returncode == 1
    assert result.stdout == (
        f"{SLA}:{line}:15: SC201 commitment 'monthly-uptime' promises 99.9%, the same "
        "as SLO 'checkout-availability': no margin, so a missed SLO is already a "
        "breach; loosen the commitment or tighten the SLO\n"
    )


def test_latency_equal_is_no_margin(repo: Path) -> None:
    _edit(
        repo,
        SLA,
        (
            "      value: 500ms\n      target: 95%\n",
            "      value: 0.3s\n      target: 99%\n",
        ),
        (
            "        - below: 95%\n          credit: 5%\n",
            "        - below: 99%\n          credit: 5%\n",
        ),
    )
    line = _line_of(repo, SLA, "target: 99%")
    assert _findings(repo) == [(SLA, line, 15, "SC201")]


def test_latency_stricter_than_slo(repo: Path) -> None:
    _edit(
        repo,
        SLA,
        (
            "      value: 500ms\n      target: 95%\n",
            "      value: 250ms\n      target: 99.5%\n",
        ),
        (
            "        - below: 95%\n          credit: 5%\n",
            "        - below: 99.5%\n          credit: 5%\n",
        ),
    )
    line = _line_of(repo, SLA, "value: 250ms") + 1
    assert _findings(repo) == [(SLA, line, 15, "SC202")]


def test_latency_without_sli_unit_is_incomparable(repo: Path) -> None:
    _edit(
        repo,
        "slis/latency.yaml",
        ("    slacheck.dev/unit: ms\n", "    example.com/owner: checkout-team\n"),
    )
    line = _line_of(repo, SLA, "target: 95%")
    result = lint(LintSettings(paths=[str(repo)]))
    assert [(f.line, f.code) for f in result.findings] == [(line, "SC203")]
    assert "(99% lte 300)" in result.findings[0].message


def test_rolling_openslo_window_against_monthly_sla(repo: Path) -> None:
    _edit(
        repo,
        "slos/availability.yaml",
        (
            "    - duration: 1M\n"
            "      isRolling: false\n"
            "      calendar:\n"
            '        startTime: "2026-01-01 00:00:00"\n'
            "        timeZone: UTC\n",
            "    - duration: 28d\n      isRolling: true\n",
        ),
    )
    result = lint(LintSettings(paths=[str(repo)]))
    assert [f.code for f in result.findings] == ["SC206"]
    assert result.findings[0].message == (
        "commitment 'monthly-uptime' is judged over a calendar month, UTC but SLO "
        "'checkout-availability' uses a rolling 28d window; at 99.9% the SLO allows "
        "40.3 min of downtime over its window but 40.3 min to 44.6 min over the SLA "
        "period, a difference of up to 4.3 min"
    )


def test_commitment_picks_objective_by_display_name(repo: Path) -> None:
    # The SLA schema's objective field takes a lower-case name, so the
    # objective to pick needs a displayName of that form.
    _edit(
        repo,
        "slos/availability.yaml",
        (
            "    - displayName: Available\n      target: 0.999\n",
            "    - displayName: Available\n      target: 0.999\n"
            "    - displayName: stretch\n      target: 0.9995\n",
        ),
    )
    assert [code for _, _, _, code in _findings(repo)] == ["SC104"]
    _edit(
        repo,
        SLA,
        (
            "      sloRef: checkout-availability\n",
            "      sloRef: checkout-availability\n      objective: stretch\n",
        ),
    )
    assert _findings(repo) == []


def test_sla_reference_to_missing_openslo_slo(repo: Path) -> None:
    # Only the SLI of that name is left, so the reference names the wrong kind.
    (repo / "slos" / "availability.yaml").unlink()
    line = _line_of(repo, SLA, "sloRef: checkout-availability")
    assert _findings(repo) == [(SLA, line, 15, "SC102")]


SNAPSHOT = """\
apiVersion: slacheck/v1
kind: Snapshot
metadata:
  name: checkout-2026-03
spec:
  service: checkout-api
  period:
    start: "2026-03-01"
    end: "2026-04-01"
    timeZone: UTC
  indicators:
    - sli: checkout-availability
      events: {good: 11992800, total: 12000000}
    - sli: checkout-latency
      threshold: 300ms
      events: {good: 11880000, total: 12000000}
    - sli: checkout-latency
      threshold: 500ms
      events: {good: 11988000, total: 12000000}
"""


def test_snapshot_evaluates_openslo_slos(tmp_path: Path, cli: CliRunner) -> None:
    snapshot = tmp_path / "march.yaml"
    snapshot.write_text(SNAPSHOT, encoding="utf-8")
    result = cli(
        "evaluate", "examples/openslo-mixed/", "-s", str(snapshot), "-f", "json"
    )
    assert result.returncode == 0, result.stderr
    [evaluated] = json.loads(result.stdout)["evaluation"]["snapshots"]
    slos = {(s["slo"], s["objective"]): s for s in evaluated["slos"]}
    availability = slos[("checkout-availability", "Available")]
    assert (availability["target"], availability["status"]) == ("0.999", "met")
    assert availability["attainment"] == "0.9994"
    # 99% within 300 ms: the SLI's unit annotation picks the 300ms reading.
    latency = slos[("checkout-latency", "Fast")]
    assert (latency["target"], latency["status"]) == ("0.99", "met")
    assert latency["attainment"] == "0.99"
    slas = {s["commitment"]: s["status"] for s in evaluated["slas"]}
    assert slas == {"monthly-uptime": "met", "response-time": "met"}
