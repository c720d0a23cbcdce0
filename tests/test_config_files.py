"""Config files: where they are found, what they accept, how they apply."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from slacheck.cli import UsageError
from slacheck.config import load_config, locate, toml_line
from slacheck.findings import Severity

ACCEPTED_KEYS = (
    "baseline, default-policies, exclude, fail-on, ignore, include, "
    "min-budget-multiple, "
    "min-margin-points, per-path-ignores, policies, select, severity, waivers"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the example repository with a .git folder marking its root."""
    target = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "b2b-api", target)
    (target / ".git").mkdir()
    return target


def test_nearest_config_wins(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text("ignore: [SC206]\n")
    (repo / "slas" / "slacheck.yaml").write_text("ignore: [SC201]\n")
    found = locate(repo / "slas")
    assert found is not None
    assert found.path == (repo / "slas" / "slacheck.yaml").resolve()


def test_search_stops_at_repository_root(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "slacheck.yaml").write_text("ignore: [SC206]\n")
    assert locate(repo / "slas") is None


def test_outside_a_repository_only_current_folder(tmp_path: Path) -> None:
    (tmp_path / "slacheck.yaml").write_text("ignore: [SC206]\n")
    (tmp_path / "sub").mkdir()
    assert locate(tmp_path / "sub") is None
    assert locate(tmp_path) is not None


def test_pyproject_without_table_is_skipped(repo: Path) -> None:
    (repo / "slas" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (repo / "pyproject.toml").write_text("[tool.slacheck]\nignore = ['SC206']\n")
    found = locate(repo / "slas")
    assert found is not None
    assert found.path == (repo / "pyproject.toml").resolve()


def test_both_files_in_one_folder_is_an_error(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text("ignore: [SC206]\n")
    (repo / "pyproject.toml").write_text("[tool.slacheck]\nignore = ['SC206']\n")
    result = run_cli("lint", ".", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == (
        f"slacheck: error: {repo.resolve()}: both slacheck.yaml and pyproject.toml "
        "[tool.slacheck] configure slacheck; keep one of them\n"
    )


BAD_YAML = [
    pytest.param(
        "selct: [SC2]\n",
        "slacheck.yaml:1: unknown key 'selct' (did you mean 'select'?); "
        f"accepted keys: {ACCEPTED_KEYS}",
        id="unknown-key",
    ),
    pytest.param(
        "min_margin_points: 0.2\n",
        "slacheck.yaml:1: unknown key 'min_margin_points' (did you mean "
        f"'min-margin-points'?); accepted keys: {ACCEPTED_KEYS}",
        id="snake-case-key",
    ),
    pytest.param(
        "ignore: [SC206]\nfail-on: fatal\n",
        "slacheck.yaml:2: key 'fail-on' is 'fatal'; accepted values: error, warning "
        "or info",
        id="bad-severity",
    ),
    pytest.param(
        "select:\n  - SC2\n  - SC999\n",
        "slacheck.yaml:3: key 'select[1]' names an unknown code 'SC999'; "
        "'slacheck rules' lists the codes",
        id="unknown-code",
    ),
    pytest.param(
        "select: 12\n",
        "slacheck.yaml:1: key 'select' is 12; accepted values: a list of codes or code "
        "prefixes, such as [SC2, SC101]",
        id="codes-not-a-list",
    ),
    pytest.param(
        "severity:\n  SC206: loud\n",
        "slacheck.yaml:2: key 'severity.SC206' is 'loud'; accepted values: error, "
        "warning or info",
        id="bad-rule-severity",
    ),
    pytest.param(
        "min-margin-points: -0.1\n",
        "slacheck.yaml:1: key 'min-margin-points' is -0.1; accepted values: a number "
        "of "
        "percentage points of at least 0",
        id="negative-margin",
    ),
    pytest.param(
        "min-budget-multiple: '2'\n",
        "slacheck.yaml:1: key 'min-budget-multiple' is '2'; accepted values: a number "
        "of "
        "times the SLO's error budget of at least 1",
        id="quoted-number",
    ),
    pytest.param(
        "policies: [gate]\n",
        "slacheck.yaml:1: key 'policies[0]' names 'gate', which does not exist; a "
        "list of "
        "policy files or folders relative to the config file",
        id="missing-policy-folder",
    ),
    pytest.param(
        "default-policies: no\n",
        "slacheck.yaml:1: key 'default-policies' is 'no'; accepted values: true or "
        "false",
        id="yaml11-boolean",
    ),
    pytest.param(
        "waivers:\n  - code: SC206\n    owner: legal\n    until: 2026-12-31\n"
        "    reason: r\n",
        "slacheck.yaml:2: key 'waivers[0]' needs a document or a path to say what it "
        "waives",
        id="waiver-without-target",
    ),
    pytest.param(
        "waivers:\n  - code: SC206\n    document: SLA/x\n    until: 2026-12-31\n"
        "    reason: r\n",
        "slacheck.yaml:2: key 'waivers[0].owner' is missing; every waiver needs owner",
        id="waiver-without-owner",
    ),
    pytest.param(
        "waivers:\n  - code: SC206\n    document: SLA/x\n    owner: legal\n"
        "    until: 31.12.2026\n    reason: r\n",
        "slacheck.yaml:5: key 'waivers[0].until' is '31.12.2026'; accepted values: a "
        "YYYY-MM-DD date",
        id="waiver-bad-date",
    ),
    pytest.param(
        "waivers:\n  - code: SC206\n    document: Contract/x\n    owner: legal\n"
        "    until: 2026-12-31\n    reason: r\n",
        "slacheck.yaml:3: key 'waivers[0].document' names unknown kind 'Contract'; "
        "use one "
        "of AlertCondition, AlertNotificationTarget, AlertPolicy, DataSource, KPI, "
        "Policy, "
        "SLA, SLI, SLO, Service, Snapshot",
        id="waiver-unknown-kind",
    ),
    pytest.param(
        "waivers:\n  - code: SC206\n    document: SLA/x\n    owner: legal\n"
        "    until: 2026-12-31\n    reason: r\n    ticket: LEGAL-1\n",
        "slacheck.yaml:7: key 'waivers[0].ticket' is an unknown waiver field; use "
        "code, "
        "document, path, owner, until, reason",
        id="waiver-unknown-field",
    ),
    pytest.param(
        "select: [SC2\n",
        "slacheck.yaml:2: invalid YAML: did not find expected ',' or ']' (while "
        "parsing a "
        "flow sequence)",
        id="invalid-yaml",
    ),
    pytest.param(
        "- select\n",
        "slacheck.yaml:1: must be a mapping of keys such as select and ignore",
        id="not-a-mapping",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_YAML)
def test_invalid_yaml_config_exits_2(repo: Path, content: str, message: str) -> None:
    (repo / "slacheck.yaml").write_text(content)
    result = run_cli("lint", ".", cwd=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"slacheck: error: {message}\n"


BAD_TOML = [
    pytest.param(
        "[tool.slacheck]\nselect = ['SC2']\ncolour = 'red'\n",
        "pyproject.toml:3: [tool.slacheck] unknown key 'colour'; accepted keys: "
        f"{ACCEPTED_KEYS}",
        id="unknown-key",
    ),
    pytest.param(
        "[tool.slacheck]\nselect = ['SC2']\n\n[tool.slacheck.severity]\nSC204 = "
        "'fatal'\n",
        "pyproject.toml:5: [tool.slacheck] key 'severity.SC204' is 'fatal'; accepted "
        "values: error, warning or info",
        id="bad-rule-severity",
    ),
    pytest.param(
        "[tool.slacheck]\n\n[[tool.slacheck.waivers]]\ncode = 'SC206'\n"
        "document = 'SLA/a'\nowner = 'o'\nuntil = 2026-01-01\nreason = 'r'\n\n"
        "[[tool.slacheck.waivers]]\ncode = 'SC206'\ndocument = 'SLA/b'\nowner = 'o'\n"
        "until = '2026-02-30'\nreason = 'r'\n",
        "pyproject.toml:14: [tool.slacheck] key 'waivers[1].until' is '2026-02-30'; "
        "accepted values: a YYYY-MM-DD date",
        id="second-waiver-bad-date",
    ),
    pytest.param(
        "[tool.slacheck\n",
        "pyproject.toml: invalid TOML: Expected ']' at the end of a table declaration "
        "(at line 1, column 15)",
        id="invalid-toml",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_TOML)
def test_invalid_pyproject_config_exits_2(
    repo: Path, content: str, message: str
) -> None:
    (repo / "pyproject.toml").write_text(content)
    result = run_cli("lint", ".", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == f"slacheck: error: {message}\n"


def test_explicit_config_must_exist(repo: Path) -> None:
    result = run_cli("lint", "--config", "nope.yaml", ".", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == "slacheck: error: --config 'nope.yaml' does not exist\n"


def test_pyproject_values_are_read(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "pyproject.toml").write_text(
        "[tool.slacheck]\nselect = ['SC2', 'POL001']\nmin-margin-points = 0.25\n"
        "fail-on = 'warning'\n\n[tool.slacheck.per-path-ignores]\n'legacy/**' = "
        "['SC3']\n\n"
        "[[tool.slacheck.waivers]]\ncode = 'SC206'\ndocument = 'SLA/b2b-api-standard'\n"
        "owner = 'legal'\nuntil = 2026-06-30\nreason = 'agreed'\n"
    )
    monkeypatch.chdir(repo)
    config = load_config(None)
    assert config is not None
    assert config.values["select"] == ["SC2", "POL001"]
    assert config.values["min-margin-points"] == Decimal("0.25")
    assert config.values["fail-on"] == Severity.WARNING
    assert config.values["per-path-ignores"] == {"legacy/**": ["SC3"]}
    waiver = config.values["waivers"][0]
    assert (waiver.kind, waiver.name, waiver.until.isoformat()) == (
        "SLA",
        "b2b-api-standard",
        "2026-06-30",
    )
    assert (waiver.source, waiver.line) == ("pyproject.toml", 9)
    assert config.origins["min-margin-points"] == "pyproject.toml:3"


def test_toml_line_finds_nested_keys() -> None:
    text = (
        "[project]\nname = 'x'\n\n[tool.slacheck]\nignore = ['SC2']\n\n"
        "[tool.slacheck.severity]\n\"SC206\" = 'error'\n"
    )
    assert toml_line(text, ("ignore",)) == 5
    assert toml_line(text, ("severity",)) == 7
    assert toml_line(text, ("severity", "SC206")) == 8
    assert toml_line(text, ("missing",)) == 4


def test_thresholds_feed_the_margin_rule(repo: Path) -> None:
    # The enterprise SLA promises 99.5% over a 99.9% SLO: 0.4 points, 5x budget.
    (repo / "slacheck.yaml").write_text("select: [SC204]\nmin-margin-points: 0.5\n")
    result = run_cli("lint", ".", cwd=repo)
    assert result.returncode == 0
    assert result.stdout.startswith("slas/enterprise.yaml:")
    assert " SC204 " in result.stdout
    (repo / "slacheck.yaml").write_text("select: [SC204]\nmin-budget-multiple: 6\n")
    assert " SC204 " in run_cli("lint", ".", cwd=repo).stdout
    (repo / "slacheck.yaml").write_text("select: [SC204]\n")
    assert run_cli("lint", ".", cwd=repo).stdout == ""


def test_severity_and_fail_on_from_config(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text("severity:\n  SC206: error\n")
    assert run_cli("lint", ".", cwd=repo).returncode == 1
    (repo / "slacheck.yaml").write_text("fail-on: warning\n")
    assert run_cli("lint", ".", cwd=repo).returncode == 1
    assert run_cli("lint", "--fail-on", "error", ".", cwd=repo).returncode == 0


def test_command_line_extends_config_ignores(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text("ignore: [SC206]\nfail-on: warning\n")
    assert run_cli("lint", ".", cwd=repo).returncode == 0
    result = run_cli("lint", "--select", "SC206", ".", cwd=repo)
    assert result.stdout == ""


def test_globs_are_relative_to_the_config(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text(
        "exclude: [kpis/delivery.yaml]\n"
        "per-path-ignores:\n  'slas/enterprise.yaml': [SC206]\n"
    )
    at_root = run_cli("lint", ".", cwd=repo)
    assert [line.split(" SC")[0] for line in at_root.stdout.splitlines()] == [
        "slas/standard.yaml:21:15:"
    ]
    assert at_root.stderr == "Found 1 warning in 8 files.\n"
    below = run_cli("lint", "..", cwd=repo / "slas")
    assert [line.split(" SC")[0] for line in below.stdout.splitlines()] == [
        "standard.yaml:21:15:"
    ]
    assert below.stderr == "Found 1 warning in 8 files.\n"


def test_config_command_prints_sources(repo: Path) -> None:
    (repo / "slacheck.yaml").write_text(
        "ignore: [SC206]\nmin-margin-points: 0.2\nwaivers:\n  - code: SC201\n"
        "    document: SLA/b2b-api-standard\n    owner: legal\n    until: 2026-06-30\n"
        "    reason: Signed before the SLO\n"
    )
    result = run_cli("config", cwd=repo / "slas")
    assert result.returncode == 0
    assert result.stdout == (
        "# configuration file: ../slacheck.yaml\n"
        "select:              []       # default\n"
        "ignore:              [SC206]  # ../slacheck.yaml:1\n"
        "fail-on:             error    # default\n"
        "severity:            {}       # default\n"
        "per-path-ignores:    {}       # default\n"
        "include:             []       # default\n"
        "exclude:             []       # default\n"
        "policies:            []       # default\n"
        "default-policies:    true     # default\n"
        "min-margin-points:   0.2      # ../slacheck.yaml:2\n"
        "min-budget-multiple: 2        # default\n"
        "baseline:            (none)   # default\n"
        "waivers:             1        # ../slacheck.yaml:3\n"
        "  - SC201 on SLA 'b2b-api-standard' until 2026-06-30 (legal)\n"
    )


def test_config_command_without_file(repo: Path) -> None:
    result = run_cli("config", "--format", "json", cwd=repo)
    assert result.returncode == 0
    assert '"file": null' in result.stdout
    assert '"source": "default"' in result.stdout


def test_config_errors_are_usage_errors(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "slacheck.yaml").write_text("select: [sc-2]\n")
    monkeypatch.chdir(repo)
    with pytest.raises(
        UsageError, match="key 'select\\[0\\]' names an invalid code 'SC-2'"
    ):
        load_config(None)
