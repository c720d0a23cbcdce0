"""JUnit, GitHub annotations and GitLab Code Quality output."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from slacheck.findings import Finding, Severity, Suppression
from slacheck.output import Report, github, gitlab, junit

WAIVE_206 = (
    '# slacheck: waive SC206 owner=legal until=2099-12-31 reason="Months are sold"'
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The example repository with one error added to the standard SLA."""
    target = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "b2b-api", target)
    (target / ".git").mkdir()
    standard = target / "slas" / "standard.yaml"
    text = standard.read_text()
    assert "      target: 99%\n" in text
    standard.write_text(text.replace("      target: 99%\n", "      target: 99.9%\n", 1))
    enterprise = target / "slas" / "enterprise.yaml"
    enterprise.write_text(
        enterprise.read_text().replace("kind: SLA\n", f"kind: SLA\n{WAIVE_206}\n", 1)
    )
    return target


# -- JUnit -------------------------------------------------------------------


def junit_tree(repo: Path, *args: str) -> ET.Element:
    result = run_cli("lint", "--format", "junit", *args, ".", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(result.stdout.split("\n", 1)[1])


def check_junit_structure(root: ET.Element) -> None:
    """Check what Jenkins, GitLab and similar readers rely on."""
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert suites
    for element in (root, *suites):
        cases = list(element.iter("testcase"))
        assert element.get("tests") == str(len(cases))
        failures = sum(1 for c in cases if c.find("failure") is not None)
        assert element.get("failures") == str(failures)
        skipped = sum(1 for c in cases if c.find("skipped") is not None)
        assert element.get("skipped") == str(skipped)
        assert element.get("errors") == "0"
        float(element.get("time", ""))
    for suite in suites:
        assert suite.get("name")
        for case in suite.findall("testcase"):
            assert case.get("name")
            assert case.get("classname")
            float(case.get("time", ""))
            allowed = {"failure", "skipped", "system-out"}
            assert {child.tag for child in case} <= allowed
            failure = case.find("failure")
            if failure is not None:
                assert failure.get("message")
                assert failure.get("type")
                assert failure.text


def test_junit_has_a_case_per_rule_per_file(repo: Path) -> None:
    root = junit_tree(repo)
    check_junit_structure(root)
    standard = root.find("testsuite[@name='slas/standard.yaml']")
    assert standard is not None
    names = [case.get("name") for case in standard.findall("testcase")]
    assert names[0] == "SC201 no-margin"
    assert "SC206 window-mismatch" in names
    failure = standard.find("testcase[@name='SC201 no-margin']/failure")
    assert failure is not None
    assert failure.get("type") == "SC201"
    assert failure.text is not None
    assert failure.text.startswith(
        "slas/standard.yaml:20:15: error: commitment 'monthly-uptime'"
    )


def test_junit_warnings_pass_and_waivers_skip(repo: Path) -> None:
    root = junit_tree(repo)
    standard = root.find(
        "testsuite[@name='slas/standard.yaml']/testcase[@name='SC206 window-mismatch']"
    )
    assert standard is not None
    assert standard.find("failure") is None
    out = standard.find("system-out")
    assert out is not None and out.text is not None
    assert out.text.startswith("slas/standard.yaml:21:15: warning: ")
    enterprise = root.find("testsuite[@name='slas/enterprise.yaml']/testcase")
    assert enterprise is not None
    skipped = enterprise.find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "suppressed: Months are sold"


def test_junit_clean_file_has_one_passing_case(repo: Path) -> None:
    root = junit_tree(repo)
    suite = root.find("testsuite[@name='service.yaml']")
    assert suite is not None
    assert [case.get("name") for case in suite.findall("testcase")] == ["no findings"]
    assert suite.get("failures") == "0"


def test_junit_fail_on_warning_fails_warnings(repo: Path) -> None:
    root = junit_tree(repo, "--fail-on", "warning")
    check_junit_structure(root)
    case = root.find(
        "testsuite[@name='slas/standard.yaml']/testcase[@name='SC206 window-mismatch']"
    )
    assert case is not None
    assert case.find("failure") is not None


# -- GitHub ------------------------------------------------------------------


def test_github_annotations(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = run_cli(
        "lint", "--format", "github", "--select", "SC201,SC206", "..", cwd=repo / "slas"
    )
    assert result.returncode == 1
    assert result.stdout == (
        "::error file=slas/standard.yaml,line=20,col=15,title=SC201::commitment "
        "'monthly-uptime' promises 99.9%25, the same as SLO 'api-availability': no "
        "margin, "
        "so a missed SLO is already a breach; loosen the commitment or tighten the "
        "SLO\n"
        "::warning file=slas/standard.yaml,line=21,col=15,title=SC206::commitment "
        "'monthly-uptime' is judged over a calendar month, UTC but SLO "
        "'api-availability' "
        "uses a rolling 28d window; at 99.9%25 the SLO allows 40.3 min of downtime over "
        "its "
        "window but 40.3 min to 44.6 min over the SLA period, a difference of up to "
        "4.3 min\n"
    )


def test_github_escapes_properties_and_data() -> None:
    finding = Finding(
        "a,b:c%.yaml", 3, 4, "SC001", "bad\nvalue 100%", severity=Severity.INFO
    )
    text = github.render(Report("lint", [finding]))
    expected = "::notice file=a%2Cb%3Ac%25.yaml,line=3,col=4,title=SC001::"
    assert text == expected + "bad%0Avalue 100%25\n"


def test_github_writes_step_summary(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli(
        "lint", "--format", "github", "--select", "SC201,SC206", ".", cwd=repo
    )
    assert result.returncode == 1
    text = summary.read_text()
    assert text.startswith(
        "earlier step\n## slacheck lint\n\nFound 1 error and 1 warning in 9 files. (2 "
        "suppressed)\n"
    )
    assert (
        "| error | SC201 | `slas/standard.yaml:20:15` | commitment 'monthly-uptime' "
        "promises 99.9%" in text
    )
    assert "<details><summary>Suppressed findings</summary>" in text
    assert (
        "| SC206 | `slas/enterprise.yaml:22:15` | Months are sold | legal | "
        "2099-12-31 |" in text
    )


def test_step_summary_needs_the_variable() -> None:
    assert github.write_step_summary(Report("lint", []), environ={}) is False


def test_step_summary_caps_rows() -> None:
    findings = [Finding("a.yaml", n, 1, "SC001", f"problem {n}") for n in range(1, 402)]
    text = github.summary_markdown(Report("lint", findings, files=["a.yaml"]))
    assert text.count("| error | SC001 |") == github.MAX_SUMMARY_ROWS
    assert "101 more not shown; the full report lists them." in text


# -- GitLab ------------------------------------------------------------------


def test_gitlab_code_quality(repo: Path) -> None:
    result = run_cli(
        "lint", "--format", "gitlab", "--select", "SC201,SC206", "..", cwd=repo / "slas"
    )
    assert result.returncode == 1
    issues = json.loads(result.stdout)
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("SC201", "major", {"path": "slas/standard.yaml", "lines": {"begin": 20}}),
        ("SC206", "minor", {"path": "slas/standard.yaml", "lines": {"begin": 21}}),
    ]
    for issue in issues:
        assert issue["description"].startswith(issue["check_name"] + " ")
        assert len(issue["fingerprint"]) == 32


def test_gitlab_fingerprints_are_unique() -> None:
    same = [Finding("a.yaml", n, 1, "SC001", "same problem") for n in (1, 2)]
    issues = json.loads(gitlab.render(Report("lint", same)))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_gitlab_leaves_out_suppressed() -> None:
    waived = Finding(
        "a.yaml", 1, 1, "SC001", "x", suppression=Suppression("baseline", "r")
    )
    assert json.loads(gitlab.render(Report("lint", [waived]))) == []


def test_junit_renders_findings_outside_files() -> None:
    finding = Finding(
        "slacheck.yaml", 2, 1, "SC801", "expired", severity=Severity.WARNING
    )
    root = ET.fromstring(
        junit.render(Report("lint", [finding], files=["a.yaml"])).split("\n", 1)[1]
    )
    assert [s.get("name") for s in root.findall("testsuite")] == [
        "a.yaml",
        "slacheck.yaml",
    ]


def test_output_file_for_every_format(repo: Path) -> None:
    for fmt in ("json", "sarif", "junit", "github", "gitlab"):
        result = run_cli(
            "lint", "--format", fmt, "--output", f"report.{fmt}", ".", cwd=repo
        )
        assert result.returncode == 1
        assert result.stdout.endswith(
            "Found 2 errors and 1 warning in 9 files. (2 suppressed)\n"
        )
        assert (repo / f"report.{fmt}").stat().st_size > 0


@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "junit", "github", "json"])
def test_formats_non_utf8_file_names(tmp_path: Path, fmt: str) -> None:
    import os

    folder = tmp_path / os.fsdecode(b"sur\xff")
    shutil.copytree(REPO / "examples" / "mistakes" / "no-margin", folder)
    result = run_cli("lint", "--no-cache", "--format", fmt, str(folder))
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr
