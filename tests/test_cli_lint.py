"""The real CLI, run as ``python -m slacheck``: output, exit codes, catalogue."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from slacheck import __version__

REPO = Path(__file__).resolve().parents[1]
CliRunner = Callable[..., subprocess.CompletedProcess[str]]

EXAMPLE_OUTPUT = """\
examples/b2b-api/slas/enterprise.yaml:21:15: SC206 commitment 'monthly-uptime' \
is judged over a calendar month, UTC but SLO 'api-availability' uses a rolling 28d \
window; at 99.9% the SLO allows 40.3 min of downtime over its window but 40.3 min to \
44.6 min over the SLA period, a difference of up to 4.3 min
examples/b2b-api/slas/enterprise.yaml:29:15: SC206 commitment 'response-time' \
is judged over a calendar month, UTC but SLO 'api-latency' uses a rolling 28d \
window; at 99% the SLO allows 6 h 43.2 min of downtime over its window but 6 h 43.2 \
min to 7 h 26.4 min over the SLA period, a difference of up to 43.2 min
examples/b2b-api/slas/standard.yaml:21:15: SC206 commitment 'monthly-uptime' \
is judged over a calendar month, UTC but SLO 'api-availability' uses a rolling 28d \
window; at 99.9% the SLO allows 40.3 min of downtime over its window but 40.3 min to \
44.6 min over the SLA period, a difference of up to 4.3 min
"""

SERVICE = """\
apiVersion: slacheck/v1
kind: Service
metadata:
  name: checkout
"""


def test_example_repository_is_clean(cli: CliRunner) -> None:
    result = cli("lint", "examples/b2b-api/")
    assert result.returncode == 0
    assert result.stdout == EXAMPLE_OUTPUT
    assert result.stderr == "Found 3 warnings in 9 files.\n"


def test_example_repository_fails_on_warning(cli: CliRunner) -> None:
    result = cli("lint", "--fail-on", "warning", "examples/b2b-api/")
    assert result.returncode == 1
    assert result.stdout == EXAMPLE_OUTPUT


UNREADABLE = [
    pytest.param(
        "dup.yaml",
        SERVICE + "  name: payments\n",
        "dup.yaml:5:3: SC002 duplicate key 'name' on line 5, first defined on line 4; "
        "remove one of them\n",
        id="duplicate-key",
    ),
    pytest.param(
        "tab.yaml",
        "apiVersion: slacheck/v1\nkind: Service\nmetadata:\n\tname: checkout\n",
        "tab.yaml:4:1: SC001 invalid YAML: found character that cannot start any "
        "token (while scanning for the next token); a tab character is here: "
        "indent with spaces, not tabs\n",
        id="tab",
    ),
    pytest.param(
        "binary.yaml",
        b"apiVersion: slacheck/v1\nkind: Service\n\x00\x01\x02\xff",
        "binary.yaml:3:1: SC003 file contains binary content (a NUL byte), "
        "not YAML text\n",
        id="binary",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), UNREADABLE)
def test_unreadable_file_is_one_line(
    tmp_path: Path, name: str, content: str | bytes, expected: str, cli: CliRunner
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = cli("lint", name, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == expected
    assert result.stderr == "Found 1 error in 1 file.\n"


def test_unreadable_files_do_not_stop_the_run(tmp_path: Path, cli: CliRunner) -> None:
    for param in UNREADABLE:
        name, content, _ = param.values
        path = tmp_path / str(name)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(str(content), encoding="utf-8")
    (tmp_path / "svc.yaml").write_text(SERVICE + "spec: {}\n", encoding="utf-8")
    result = cli("lint", ".", cwd=tmp_path)
    assert result.returncode == 1
    expected = "".join(str(param.values[2]) for param in UNREADABLE)
    assert result.stdout == "".join(sorted(expected.splitlines(keepends=True)))
    assert result.stderr == "Found 3 errors in 4 files.\n"


MIXED_SLO = """\
apiVersion: slacheck/v1
kind: SLO
metadata:
  name: checkout-availability
  labels:
    paging: on
spec:
  service: checkout
  indicatorRef: checkout-availability
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 1 month
      isRolling: true
  objectives:
    - target: 99.9
      nmae: availability
"""


def write_mixed_repo(folder: Path) -> None:
    (folder / "slo.yaml").write_text(MIXED_SLO, encoding="utf-8")
    (folder / "dup.yaml").write_text(SERVICE + "  name: x\n", encoding="utf-8")
    (folder / "broken.yaml").write_text(SERVICE + "spec: [\n", encoding="utf-8")
    (folder / "binary.yaml").write_bytes(b"apiVersion: slacheck/v1\n\x00")
    (folder / "gone.yaml").symlink_to(folder / "missing.yaml")


def test_json_findings_all_have_positions(tmp_path: Path, cli: CliRunner) -> None:
    write_mixed_repo(tmp_path)
    result = cli("lint", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == ""
    report = json.loads(result.stdout)
    findings = report["findings"]
    codes = sorted(f["code"] for f in findings)
    assert codes == [
        "SC001",
        "SC002",
        "SC003",
        "SC007",
        "SC010",
        "SC010",
        "SC010",
        "SC011",
    ]
    for finding in findings:
        assert finding["line"] >= 1, finding
        assert finding["column"] >= 1, finding
        assert finding["field"].startswith("$"), finding
        assert set(finding) >= {
            "code",
            "severity",
            "path",
            "line",
            "column",
            "message",
            "kind",
            "name",
            "field",
        }
    schema_errors = [f for f in findings if f["code"] == "SC010"]
    assert sorted((f["line"], f["column"], f["field"]) for f in schema_errors) == [
        (12, 17, "$.spec.timeWindow[0].duration"),
        (15, 15, "$.spec.objectives[0].target"),
        (16, 7, "$.spec.objectives[0].nmae"),
    ]
    for finding in schema_errors:
        assert (finding["kind"], finding["name"]) == ("SLO", "checkout-availability")
    warning = next(f for f in findings if f["code"] == "SC007")
    assert (warning["severity"], warning["field"]) == (
        "warning",
        "$.metadata.labels.paging",
    )
    duplicate = next(f for f in findings if f["code"] == "SC002")
    assert (duplicate["path"], duplicate["line"], duplicate["field"]) == (
        "dup.yaml",
        5,
        "$.metadata.name",
    )
    assert report["summary"]["errors"] == 7
    assert report["summary"]["warnings"] == 1


def test_json_of_clean_run_parses(cli: CliRunner) -> None:
    result = cli("lint", "--format", "json", "--ignore", "SC206", "examples/b2b-api")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert report["summary"]["files"] == 9


def test_text_output_is_sorted(tmp_path: Path, cli: CliRunner) -> None:
    write_mixed_repo(tmp_path)
    result = cli("lint", "slo.yaml", "dup.yaml", ".", cwd=tmp_path)
    lines = result.stdout.splitlines()
    keys = []
    for line in lines:
        match = re.match(r"(.+?):(\d+):(\d+): (SC\d{3}) ", line)
        assert match, line
        path, row, column, code = match.groups()
        keys.append((path, int(row), int(column), code))
    assert keys == sorted(keys)
    assert len(lines) == 8
    assert [k[0] for k in keys] == [
        "binary.yaml",
        "broken.yaml",
        "dup.yaml",
        "gone.yaml",
        "slo.yaml",
        "slo.yaml",
        "slo.yaml",
        "slo.yaml",
    ]


SELECT_REPO = (
    SERVICE
    + """\
  labels:
    paging: on
spec:
  descripton: Checkout API
"""
)

WARNING_LINE = (
    "svc.yaml:6:13: SC007 plain value 'on' is read as the string 'on' here (YAML 1.2) "
    "but as a boolean by YAML 1.1 tools; quote it\n"
)
ERROR_LINE = (
    "svc.yaml:8:3: SC010 unknown field 'descripton' in $.spec; "
    "did you mean 'description'?\n"
)


@pytest.mark.parametrize(
    ("options", "stdout", "code"),
    [
        ([], WARNING_LINE + ERROR_LINE, 1),
        (["--select", "SC007"], WARNING_LINE, 0),
        (["--select", "sc007"], WARNING_LINE, 0),
        (["--select", "SC01"], ERROR_LINE, 1),
        (["--select", "SC0"], WARNING_LINE + ERROR_LINE, 1),
        (["--select", "SC007,SC010"], WARNING_LINE + ERROR_LINE, 1),
        (["--select", "SC007", "--select", "SC010"], WARNING_LINE + ERROR_LINE, 1),
        (["--select", "SC2"], "", 0),
        (["--ignore", "SC010"], WARNING_LINE, 0),
        (["--ignore", "SC0"], "", 0),
        (["--select", "SC0", "--ignore", "SC007"], ERROR_LINE, 1),
        (["--ignore", "SC010", "--fail-on", "warning"], WARNING_LINE, 1),
        (["--ignore", "SC010", "--fail-on", "error"], WARNING_LINE, 0),
        (["--ignore", "SC007", "--fail-on", "warning"], ERROR_LINE, 1),
    ],
)
def test_select_ignore_fail_on(
    tmp_path: Path, options: list[str], stdout: str, code: int, cli: CliRunner
) -> None:
    (tmp_path / "svc.yaml").write_text(SELECT_REPO, encoding="utf-8")
    result = cli("lint", *options, "svc.yaml", cwd=tmp_path)
    assert result.stdout == stdout
    assert result.returncode == code


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--fail-on", "bogus", "examples/b2b-api"],
            "slacheck: error: --fail-on 'bogus' is invalid; "
            "use error, warning or info\n",
        ),
        (
            ["--format", "xml", "examples/b2b-api"],
            "slacheck: error: --format 'xml' is invalid; use one of ",
        ),
        (["no/such/folder"], "slacheck: error: path 'no/such/folder' does not exist\n"),
        (["--jobs", "0", "examples/b2b-api"], "Invalid value for '--jobs'"),
        (["--no-such-option", "examples/b2b-api"], "No such option: --no-such-option"),
    ],
)
def test_usage_errors_exit_2(options: list[str], message: str, cli: CliRunner) -> None:
    result = cli("lint", *options)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    if message.endswith("\n"):
        assert result.stderr == message


def test_unavailable_format_is_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from slacheck import output
    from slacheck.cli import UsageError
    from slacheck.commands.lintcmd import run_lint

    monkeypatch.setitem(output.FORMATS, "nosuch", "no_such_format_module")
    with pytest.raises(UsageError, match="--format 'nosuch' is invalid"):
        run_lint(paths=["examples/b2b-api"], fmt="nosuch", output=None)


def test_version(cli: CliRunner) -> None:
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"slacheck {__version__}\n"
    assert result.stderr == ""


def test_rules_lists_every_code(cli: CliRunner) -> None:
    result = cli("rules")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    codes = []
    for line in lines:
        match = re.match(r"(SC\d{3})  ([a-z0-9-]+) +(error|warning|info) +\S", line)
        assert match, line
        codes.append(match.group(1))
    assert len(codes) == len(set(codes))
    expected = {f"SC{n:03d}" for n in range(1, 12)} | {"SC201", "SC206"}
    assert expected <= set(codes)


def test_rules_as_json(cli: CliRunner) -> None:
    result = cli("rules", "--format", "json")
    assert result.returncode == 0
    entries = json.loads(result.stdout)
    by_code = {entry["code"]: entry for entry in entries}
    assert by_code["SC002"] == {
        "code": "SC002",
        "name": "duplicate-key",
        "severity": "error",
        "summary": "A mapping has the same key twice.",
    }


@pytest.mark.parametrize("written", ["SC201", "sc201", " SC201 "])
def test_explain_prints_rule_docs(written: str, cli: CliRunner) -> None:
    result = cli("explain", written)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "SC201 no-margin (default severity: error)"
    assert "Failing example:" in result.stdout
    assert "Passing example:" in result.stdout


def test_explain_unknown_code_exits_2(cli: CliRunner) -> None:
    result = cli("explain", "NOPE")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "slacheck: error: unknown code 'NOPE'; 'slacheck rules' lists them, and "
        "policy rules are read from the config's policies and --policy PATH\n"
    )


@pytest.mark.parametrize("kind", ["SLA", "sla", "Service", "SLI", "SLO", "KPI"])
def test_schema_prints_the_file(kind: str, cli: CliRunner) -> None:
    result = cli("schema", kind)
    assert result.returncode == 0
    printed = json.loads(result.stdout)
    on_disk = json.loads((REPO / "schemas" / "v1" / f"{kind.lower()}.json").read_text())
    assert printed == on_disk


def test_schema_unknown_kind_exits_2(cli: CliRunner) -> None:
    result = cli("schema", "nope")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "slacheck: error: no schema for kind 'nope' in slacheck/v1"
    )
    assert len(result.stderr.splitlines()) == 1


def test_empty_and_comment_files_are_clean(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "comments.yaml").write_text(
        "# apiVersion: slacheck/v1\n", encoding="utf-8"
    )
    result = cli("lint", "empty.yaml", "comments.yaml", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "No findings in 0 files.\n"


def test_hostile_files_never_crash(tmp_path: Path, cli: CliRunner) -> None:
    depth = 10_000
    hostile = {
        # Indenting 10,000 levels would pass the size limit first, so the
        # block sequences nest on one line: "- - - x".
        "deep-block.yaml": "apiVersion: slacheck/v1\na:\n  " + "- " * depth + "x\n",
        "deep-flow.yaml": "apiVersion: slacheck/v1\na: " + "[" * depth + "]" * depth,
        "bomb.yaml": "apiVersion: slacheck/v1\na: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"b{i}: &b{i} [{', '.join(['*a' if i == 0 else f'*b{i - 1}'] * 9)}]\n"
            for i in range(9)
        ),
        "list.yaml": "- 1\n- [a]\n- apiVersion: slacheck/v1\n  kind: SLA\n",
        "scalar.yaml": "apiVersion: slacheck/v1\n--- just text\n",
        "kindless.yaml": "apiVersion: slacheck/v1\nkind: [SLA]\nmetadata: 3\n",
    }
    for name, text in hostile.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = cli("lint", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    by_path: dict[str, set[str]] = {}
    for finding in report["findings"]:
        by_path.setdefault(finding["path"], set()).add(finding["code"])
    assert by_path["deep-block.yaml"] == {"SC005"}
    assert by_path["deep-flow.yaml"] == {"SC005"}
    assert by_path["bomb.yaml"] == {"SC004"}
    assert "SC012" not in {code for codes in by_path.values() for code in codes}
