"""Waivers: inline comments and config entries that accept a finding."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from slacheck.commands.lintcmd import build_settings
from slacheck.findings import Finding
from slacheck.lint import lint
from slacheck.rules.base import get_rule

TODAY = date(2026, 6, 1)
ENTERPRISE = "slas/enterprise.yaml"
STANDARD = "slas/standard.yaml"
WAIVE_206 = (
    '# slacheck: waive SC206 owner=legal until=2026-12-31 reason="Months are sold"'
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example repository as the current folder."""
    target = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "b2b-api", target)
    monkeypatch.chdir(target)
    monkeypatch.setenv("SLACHECK_TODAY", TODAY.isoformat())
    return target


def add_comment(path: str, after: str, comment: str) -> None:
    """Put ``comment`` on its own line after the first line equal to ``after``."""
    lines = Path(path).read_text().splitlines()
    index = lines.index(after)
    lines.insert(index + 1, comment)
    Path(path).write_text("\n".join(lines) + "\n")


def run(paths: list[str] | None = None, **options: object) -> list[Finding]:
    settings = build_settings(
        paths=paths or ["."],
        select=[],
        ignore=[],
        fail_on=None,
        config=None,
        policy=[],
        jobs=1,
        changed_only=bool(options.pop("changed_only", False)),
    )
    for name, value in options.items():
        setattr(settings, name, value)
    return lint(settings).findings


def summary(findings: list[Finding]) -> list[tuple[str, int, str, str]]:
    return [
        (f.path, f.line, f.code, f.suppression.kind if f.suppression else "")
        for f in findings
    ]


def test_inline_waiver_covers_its_document(repo: Path) -> None:
    add_comment(ENTERPRISE, "kind: SLA", WAIVE_206)
    assert summary(run()) == [
        (ENTERPRISE, 22, "SC206", "inline-waiver"),
        (ENTERPRISE, 30, "SC206", "inline-waiver"),
        (STANDARD, 21, "SC206", ""),
    ]


def test_waived_finding_keeps_reason_in_json(repo: Path) -> None:
    add_comment(ENTERPRISE, "kind: SLA", WAIVE_206)
    result = run_cli("lint", "--format", "json", ".", cwd=repo)
    assert result.returncode == 0
    findings = json.loads(result.stdout)["findings"]
    waived = [f for f in findings if "suppressed" in f]
    assert len(waived) == 2
    assert waived[0]["suppressed"] == {
        "kind": "inline-waiver",
        "reason": "Months are sold",
        "owner": "legal",
        "expires": "2026-12-31",
    }
    assert json.loads(result.stdout)["summary"]["suppressed"] == 2


def test_text_output_hides_waived_but_counts_them(repo: Path) -> None:
    add_comment(ENTERPRISE, "kind: SLA", WAIVE_206)
    result = run_cli("lint", ".", cwd=repo)
    assert result.returncode == 0
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == [
        "slas/standard.yaml:21:15"
    ]
    assert result.stderr == "Found 1 warning in 9 files. (2 suppressed)\n"


def test_expired_waiver_is_reported_and_ignored(repo: Path) -> None:
    add_comment(ENTERPRISE, "kind: SLA", WAIVE_206.replace("2026-12-31", "2026-05-31"))
    findings = run()
    assert summary(findings) == [
        (ENTERPRISE, 3, "SC801", ""),
        (ENTERPRISE, 22, "SC206", ""),
        (ENTERPRISE, 30, "SC206", ""),
        (STANDARD, 21, "SC206", ""),
    ]
    assert findings[0].message == (
        "waiver for SC206 on SLA 'b2b-api-enterprise' (owner legal) expired on "
        "2026-05-31; fix the finding or renew the waiver with a new date and reason"
    )
    assert str(findings[0].severity) == "warning"


def test_waiver_applies_through_its_last_day(repo: Path) -> None:
    add_comment(
        ENTERPRISE, "kind: SLA", WAIVE_206.replace("2026-12-31", TODAY.isoformat())
    )
    assert [f.code for f in run() if not f.suppressed] == ["SC206"]


def test_today_comes_from_settings(repo: Path) -> None:
    add_comment(ENTERPRISE, "kind: SLA", WAIVE_206)
    codes = [f.code for f in run(today=date(2027, 1, 1)) if not f.suppressed]
    assert codes == ["SC801", "SC206", "SC206", "SC206"]


def test_unused_waiver_is_reported(repo: Path) -> None:
    add_comment(STANDARD, "kind: SLA", WAIVE_206.replace("SC206", "SC201"))
    findings = [f for f in run() if f.code.startswith("SC8")]
    assert summary(findings) == [(STANDARD, 3, "SC802", "")]
    assert findings[0].message == (
        "waiver for SC201 on SLA 'b2b-api-standard' matches no finding; remove it"
    )


def test_unused_waiver_for_unchecked_code_is_quiet(repo: Path) -> None:
    add_comment(STANDARD, "kind: SLA", WAIVE_206.replace("SC206", "SC201"))
    assert [f.code for f in run(ignore=["SC2"])] == []


def test_changed_only_skips_unused_waivers_elsewhere(repo: Path) -> None:
    add_comment(STANDARD, "kind: SLA", WAIVE_206.replace("SC206", "SC201"))
    findings = run([ENTERPRISE], changed_only=True)
    assert summary(findings) == [
        (ENTERPRISE, 21, "SC206", ""),
        (ENTERPRISE, 29, "SC206", ""),
    ]


MULTI = """\
apiVersion: slacheck/v1
kind: Service
metadata:
  name: first
spec:
  description: First service.
---
# slacheck: waive SC101 owner=ops until=2099-01-01 reason="Second only"
apiVersion: slacheck/v1
kind: Service
metadata:
  name: second
spec:
  description: Second service.
"""


def test_comment_below_marker_belongs_to_next_document(repo: Path) -> None:
    Path("more.yaml").write_text(MULTI)
    findings = [f for f in run(["more.yaml"]) if f.code == "SC802"]
    assert len(findings) == 1
    assert findings[0].name == "second"
    assert "on Service 'second'" in findings[0].message


INVALID = [
    pytest.param(
        "# slacheck: waive SC206 until=2026-12-31",
        "waiver comment has no owner, reason",
        id="missing-fields",
    ),
    pytest.param(
        '# slacheck: waive SC206 owner=a until=next-year reason="x"',
        "waiver date until='next-year' is not a YYYY-MM-DD date",
        id="bad-date",
    ),
    pytest.param(
        '# slacheck: waive SC999 owner=a until=2026-12-31 reason="x"',
        "waiver names an unknown code 'SC999' ('slacheck rules' lists the codes)",
        id="unknown-code",
    ),
    pytest.param(
        '# slacheck: waive owner=a until=2026-12-31 reason="x"',
        "waiver comment names no code",
        id="no-code",
    ),
    pytest.param(
        '# slacheck: waive SC206 owner=a until=2026-12-31 reason="x" color=red',
        "unknown waiver field 'color=red'; use owner, until and reason",
        id="unknown-field",
    ),
    pytest.param(
        '# slacheck: waive SC206 owner=a until=2026-12-31 reason="x',
        "waiver comment cannot be split into words (No closing quotation)",
        id="open-quote",
    ),
    pytest.param(
        "# slacheck: ignore SC206",
        "unknown slacheck directive 'ignore'",
        id="unknown-directive",
    ),
]


@pytest.mark.parametrize(("comment", "problem"), INVALID)
def test_malformed_comment_is_reported(repo: Path, comment: str, problem: str) -> None:
    add_comment(ENTERPRISE, "kind: SLA", comment)
    findings = [f for f in run() if f.code == "SC803"]
    assert len(findings) == 1
    assert (findings[0].line, findings[0].column) == (3, 1)
    form = "write '# slacheck: waive CODE owner=NAME until=YYYY-MM-DD reason=\"...\"'"
    assert findings[0].message == f"{problem}; {form}"


def test_trailing_comment_waives_its_document(repo: Path) -> None:
    text = (
        Path(STANDARD)
        .read_text()
        .replace("      target: 99%\n", f"      target: 99%  {WAIVE_206}\n", 1)
    )
    Path(STANDARD).write_text(text)
    suppressed = [(f.path, f.suppressed) for f in run() if f.path == STANDARD]
    assert suppressed == [(STANDARD, True)]


def write_config(text: str) -> None:
    Path("slacheck.yaml").write_text(text)


def test_config_waiver_by_document(repo: Path) -> None:
    write_config(
        "waivers:\n"
        "  - code: SC206\n"
        "    document: SLA/b2b-api-standard\n"
        "    owner: legal\n"
        "    until: 2026-12-31\n"
        "    reason: Signed before the SLO existed\n"
    )
    assert summary(run()) == [
        (ENTERPRISE, 21, "SC206", ""),
        (ENTERPRISE, 29, "SC206", ""),
        (STANDARD, 21, "SC206", "config-waiver"),
    ]


def test_config_waiver_by_path(repo: Path) -> None:
    write_config(
        "waivers:\n"
        "  - code: SC206\n"
        "    path: slas/enterprise.yaml\n"
        "    owner: legal\n"
        "    until: 2026-12-31\n"
        "    reason: Enterprise contracts follow the calendar\n"
    )
    assert [f.suppressed for f in run()] == [True, True, False]


def test_expired_config_waiver_points_at_config(repo: Path) -> None:
    write_config(
        "# waivers agreed with legal\n"
        "waivers:\n"
        "  - code: SC206\n"
        "    document: b2b-api-standard\n"
        "    owner: legal\n"
        "    until: 2025-12-31\n"
        "    reason: 2025 contract round\n"
    )
    findings = run()
    assert summary(findings)[0] == ("slacheck.yaml", 3, "SC801", "")
    assert (
        "on 'b2b-api-standard' (owner legal) expired on 2025-12-31"
        in findings[0].message
    )


def test_config_waiver_for_missing_document(repo: Path) -> None:
    write_config(
        "waivers:\n"
        "  - code: SC206\n"
        "    document: SLA/b2b-api-gold\n"
        "    owner: legal\n"
        "    until: 2026-12-31\n"
        "    reason: Gold tier\n"
    )
    findings = [f for f in run() if f.code == "SC802"]
    assert [f.message for f in findings] == [
        "waiver for SC206 on SLA 'b2b-api-gold' matches no finding; no loaded "
        "document matches its document and path; remove it"
    ]


@pytest.mark.parametrize("code", ["SC801", "SC802", "SC803"])
def test_documented_example_reports_code(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rule = get_rule(code)
    assert rule is not None
    example = rule.examples["Failing"]
    (tmp_path / "example.yaml").write_text(example)
    settings = build_settings(
        paths=[str(tmp_path / "example.yaml")],
        select=[],
        ignore=[],
        fail_on=None,
        config=None,
        policy=[],
        jobs=1,
        changed_only=False,
    )
    codes = [f.code for f in lint(settings).findings]
    assert code in codes
    assert "SC010" not in codes


@pytest.mark.parametrize("code", ["SC801", "SC802", "SC803"])
def test_documented_passing_example_is_clean(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rule = get_rule(code)
    assert rule is not None
    (tmp_path / "example.yaml").write_text(rule.examples["Passing"])
    settings = build_settings(
        paths=[str(tmp_path / "example.yaml")],
        select=[],
        ignore=[],
        fail_on=None,
        config=None,
        policy=[],
        jobs=1,
        changed_only=False,
    )
    assert [f.code for f in lint(settings).findings if f.code.startswith("SC8")] == []


def test_double_waiver_is_not_unused(repo: Path) -> None:
    add_comment(STANDARD, "kind: SLA", WAIVE_206)
    write_config(
        "waivers:\n"
        "  - code: SC206\n"
        "    document: SLA/b2b-api-standard\n"
        "    owner: legal\n"
        "    until: 2026-12-31\n"
        "    reason: Signed before the SLO existed\n"
    )
    findings = run()
    assert [f.code for f in findings if f.code.startswith("SC8")] == []
    standard = [f for f in findings if f.path == STANDARD]
    assert [f.suppression.kind if f.suppression else "" for f in standard] == [
        "config-waiver"
    ]
