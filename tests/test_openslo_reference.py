"""The OpenSLO specification's and Go SDK's own examples, linted as a whole.

Every finding is listed with its line and column; each is a real defect of
those files (see docs/openslo.md, "The reference files").
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from slacheck.lint import lint
from slacheck.model import Document
from slacheck.settings import LintSettings

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "openslo"
SDK = "go-sdk-v1-examples"
SPEC = "openslo-spec-examples"

CliRunner = Callable[..., subprocess.CompletedProcess[str]]

EXPECTED: dict[str, list[tuple[int, int, str]]] = {
    f"{SDK}/alert_conditions.yaml": [(17, 11, "SC605")],
    f"{SDK}/alert_notification_targets.yaml": [],
    f"{SDK}/alert_policies.yaml": [(18, 20, "SC101"), (50, 20, "SC101")],
    f"{SDK}/data_sources.yaml": [],
    f"{SDK}/services.yaml": [(10, 11, "SC103"), (24, 11, "SC103")],
    f"{SDK}/slis.yaml": [
        (18, 28, "SC101"),
        (24, 28, "SC101"),
        (44, 28, "SC101"),
        (51, 28, "SC101"),
        (99, 26, "SC101"),
    ],
    f"{SDK}/slos.yaml": [(14, 14, "SC101"), (35, 22, "SC007"), (40, 9, "SC601")],
    f"{SPEC}/budgeting-method--occurences-slo.yaml": [(9, 12, "SC101")],
    f"{SPEC}/budgeting-method--ratio-timeslices.yaml": [
        (9, 12, "SC101"),
        (32, 7, "SC601"),
    ],
    f"{SPEC}/budgeting-method--timeslices-slo.yaml": [
        (5, 9, "SC103"),
        (9, 12, "SC102"),
        (27, 17, "SC603"),
        (30, 20, "SC007"),
        (35, 7, "SC601"),
    ],
    f"{SPEC}/treat-low-traffic-as-equally-important--timeslices-slo.yaml": [
        (4, 9, "SC103"),
        (7, 12, "SC102"),
        (28, 20, "SC007"),
        (33, 7, "SC601"),
    ],
}

# Whole output lines of the SC6xx findings, whose messages the OpenSLO rules write.
OPENSLO_LINES = [
    f"{SDK}/alert_conditions.yaml:17:11: SC605 op 'lte' makes this burn-rate "
    "condition fire while the burn rate is at or below 2, not when the error "
    "budget burns fast; use 'gt' or 'gte'",
    f"{SDK}/slos.yaml:40:9: SC601 objective 'Good' sets op, but inline SLI "
    "'web-successful-requests-ratio' is a ratio metric; op and value apply only "
    "to threshold metrics, so remove op",
    f"{SPEC}/budgeting-method--ratio-timeslices.yaml:32:7: SC601 objective 'Good' "
    "sets op, but inline SLI 'response-code' is a ratio metric; op and value "
    "apply only to threshold metrics, so remove op",
    f"{SPEC}/budgeting-method--timeslices-slo.yaml:27:17: SC603 calendar-aligned "
    "window duration '1m' is 1 minute, because OpenSLO units are case-sensitive "
    "(m minutes, M months); write '1M' for 1 month",
    f"{SPEC}/budgeting-method--timeslices-slo.yaml:35:7: SC601 objective 'Internal "
    "objective' sets op, but inline SLI 'web-availability' is a ratio metric; op "
    "and value apply only to threshold metrics, so remove op",
    f"{SPEC}/treat-low-traffic-as-equally-important--timeslices-slo.yaml:33:7: "
    "SC601 objective 'Objective' sets op, but inline SLI 'web-availability' is a "
    "ratio metric; op and value apply only to threshold metrics, so remove op",
]


def _relative(path: str) -> str:
    return Path(path).resolve().relative_to(DATA).as_posix()


def _findings_by_file(root: Path) -> dict[str, list[tuple[int, int, str]]]:
    result = lint(LintSettings(paths=[str(root)]))
    found: dict[str, list[tuple[int, int, str]]] = {name: [] for name in EXPECTED}
    for finding in result.findings:
        found.setdefault(_relative(finding.path), []).append(
            (finding.line, finding.column, finding.code)
        )
    return found


def test_every_file_loads_as_openslo() -> None:
    result = lint(LintSettings(paths=[str(DATA)]))
    loaded = sorted(_relative(path) for path in result.files)
    assert loaded == sorted(EXPECTED)
    assert all(document.is_openslo for document in result.catalog.documents)
    assert all(document.valid for document in result.catalog.documents)
    assert len(result.catalog.documents) == 20


def test_findings_are_exactly_the_known_defects() -> None:
    assert _findings_by_file(DATA) == EXPECTED


def test_no_finding_lacks_a_position() -> None:
    result = lint(LintSettings(paths=[str(DATA)]))
    assert all(f.line > 0 and f.column > 0 for f in result.findings)


def test_cli_shows_every_finding(cli: CliRunner) -> None:
    result = cli("lint", "tests/data/openslo/")
    assert result.returncode == 1
    assert result.stderr == "Found 21 errors and 4 warnings in 11 files.\n"
    lines = result.stdout.splitlines()
    prefix = "tests/data/openslo/"
    reported = [line.split(" ", 2)[:2] for line in lines]
    expected = [
        (f"{prefix}{name}:{line}:{column}:", code)
        for name, findings in sorted(EXPECTED.items())
        for line, column, code in findings
    ]
    assert [tuple(pair) for pair in reported] == expected
    for line in OPENSLO_LINES:
        assert prefix + line in lines


def test_spec_folder_alone_reports_missing_services() -> None:
    # Without the SDK files no SLO is called web-availability, so the
    # specification's services are plainly undefined (SC101, not SC102).
    found = _findings_by_file(DATA / SPEC)
    codes = [
        code
        for name in EXPECTED
        if name.startswith(SPEC)
        for _, _, code in found[name]
        if code.startswith("SC10")
    ]
    assert codes == ["SC101", "SC101", "SC103", "SC101", "SC103", "SC101"]


def test_unquoted_start_time_stays_a_string() -> None:
    result = lint(LintSettings(paths=[str(DATA / SPEC)]))
    slos = [d for d in result.catalog.documents if d.name == "service-availability"]
    assert len(slos) == 2
    for document in slos:
        assert _start_time(document) == "2022-01-01 12:00:00"


def _start_time(document: Document) -> object:
    return document.spec["timeWindow"][0]["calendar"]["startTime"]


def test_source_attribution_is_kept() -> None:
    source = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    assert "Apache License 2.0" in source
    assert "OpenSLO/OpenSLO at aa5cb78" in source
    assert "OpenSLO/go-sdk at ae145da" in source
