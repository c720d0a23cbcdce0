"""``slacheck diff`` between folders: output formats, config and waiver changes, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slacheck.diff.versions import parse_version

SLA = """\
apiVersion: slacheck/v1
kind: SLA
metadata: {{name: api-gold, version: {version}}}
spec:
  service: api
  effectiveDate: "2026-01-01"
  commitments:
    - name: uptime
      target: {target}
      period: month
      timeZone: UTC
  claims:
    channel: Support portal
    deadline: {{within: {within}, after: periodEnd}}
"""


def write(
    folder: Path,
    *,
    version: str = "1.0.0",
    target: str = "99.9%",
    within: str = "30d",
    extra: dict[str, str] | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sla.yaml").write_text(
        SLA.format(version=version, target=target, within=within)
    )
    for name, text in (extra or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


EXPECTED_MARKDOWN = """\
## slacheck diff: `base` to `head`

2 weakening, 0 unclear, 0 strengthening, 0 neutral changes in 1 document; 1 finding.

### Findings

- **SC901** `head/sla.yaml:3`: SLA 'api-gold' changes its commitments (commitment 'uptime': target lowered from 99.9% to 99.5%; shorter claim window: 30 days before, 15 days now) but metadata.version stays 1.0.0; set it to 2.0.0

### SLA api-gold (changed, head/sla.yaml), version 1.0.0

| Effect | Change |
|---|---|
| **weakening** | commitment 'uptime': target lowered from 99.9% to 99.5% |
| **weakening** | shorter claim window: 30 days before, 15 days now |
"""


def test_markdown_whole_output(tmp_path: Path, cli) -> None:  # noqa: ANN001
    write(tmp_path / "base")
    write(tmp_path / "head", target="99.5%", within="15d")
    result = cli("diff", "base", "head", "--format", "markdown", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == EXPECTED_MARKDOWN
    assert result.stderr == ""


def test_json_output(tmp_path: Path, cli) -> None:  # noqa: ANN001
    write(tmp_path / "base")
    write(tmp_path / "head", version="2.0.0", target="99.5%")
    result = cli("diff", "base", "head", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["summary"]["weakening"] == 1
    assert data["findings"] == []
    [document] = data["documents"]
    assert (document["kind"], document["name"], document["status"]) == (
        "SLA",
        "api-gold",
        "changed",
    )
    assert (document["baseVersion"], document["headVersion"]) == ("1.0.0", "2.0.0")
    assert document["changes"][0] == {
        "kind": "SLA",
        "name": "api-gold",
        "effect": "weakening",
        "message": "commitment 'uptime': target lowered from 99.9% to 99.5%",
        "path": "head/sla.yaml",
        "line": 9,
        "field": "$.spec.commitments[0].target",
        "commitment": "uptime",
        "contract": True,
    }


def test_no_changes_exit_0(tmp_path: Path, cli) -> None:  # noqa: ANN001
    write(tmp_path / "base")
    write(tmp_path / "head")
    result = cli("diff", "base", "head", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == (
        "Comparing base with head\n\nNo definition, config, waiver or policy changed.\n"
    )


def test_config_waiver_and_policy_changes(tmp_path: Path, cli) -> None:  # noqa: ANN001
    config = "fail-on: error\npolicies: [policies]\n"
    policy = "apiVersion: slacheck/v1\nkind: Policy\nmetadata: {name: house}\nspec:\n  rules: []\n"
    write(
        tmp_path / "base",
        extra={"slacheck.yaml": config, "policies/house.yaml": policy},
    )
    new_config = (
        "fail-on: warning\npolicies: [policies]\nwaivers:\n"
        "  - {code: SC201, owner: legal, until: '2026-12-31', reason: signed}\n"
    )
    sla_with_comment = SLA.format(
        version="1.0.0", target="99.9%", within="30d"
    ).replace(
        "kind: SLA\n",
        'kind: SLA  # slacheck: waive SC301 owner=legal until=2026-12-31 reason="ok"\n',
    )
    head = write(
        tmp_path / "head",
        extra={
            "slacheck.yaml": new_config,
            "policies/house.yaml": policy.replace(
                "rules: []", "rules: [{id: house-1}]"
            ),
        },
    )
    (head / "sla.yaml").write_text(sla_with_comment)
    result = cli("diff", "base", "head", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.split("Config, waivers and policies\n")[1] == (
        '  slacheck.yaml: fail-on changed from "error" to "warning"\n'
        '  slacheck.yaml: waiver added: {"code": "SC201", "owner": "legal", '
        '"reason": "signed", "until": "2026-12-31"}\n'
        "  policies/house.yaml: policy file policies/house.yaml changed (+1 -1 lines)\n"
        "  sla.yaml: inline waiver added: waive SC301 owner=legal until=2026-12-31 "
        'reason="ok"\n'
    )


def test_pyproject_tool_table(tmp_path: Path, cli) -> None:  # noqa: ANN001
    write(
        tmp_path / "base",
        extra={"pyproject.toml": '[tool.slacheck]\nselect = ["SC2"]\n'},
    )
    write(
        tmp_path / "head",
        extra={"pyproject.toml": '[tool.slacheck]\nselect = ["SC2", "SC3"]\n'},
    )
    result = cli("diff", "base", "head", cwd=tmp_path)
    assert result.returncode == 0
    assert (
        '  pyproject.toml [tool.slacheck]: select entry added: "SC3"\n' in result.stdout
    )


def test_path_option_narrows(tmp_path: Path, cli) -> None:  # noqa: ANN001
    write(tmp_path / "base" / "a")
    write(tmp_path / "head" / "a")
    for side, target in (("base", "99.9%"), ("head", "99.5%")):
        write(tmp_path / side / "b", target=target)
        other = tmp_path / side / "b" / "sla.yaml"
        other.write_text(other.read_text().replace("api-gold", "api-silver"))
    narrowed = cli("diff", "base", "head", "--path", "a", cwd=tmp_path)
    assert narrowed.returncode == 0
    whole = cli("diff", "base", "head", cwd=tmp_path)
    assert whole.returncode == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "html"],
            "--format 'html' is invalid; use text, markdown or json",
        ),
        (
            ["--fail-on", "fatal"],
            "--fail-on 'fatal' is invalid; use error, warning or info",
        ),
        (
            ["--path", "missing"],
            "nothing to compare: head/missing exists in neither tree",
        ),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, cli, args: list[str], message: str
) -> None:  # noqa: ANN001
    write(tmp_path / "base")
    write(tmp_path / "head")
    result = cli("diff", "base", "head", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"slacheck: error: {message}\n"


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("1.0.0", "1.0.1"),
        ("1.9.0", "1.10.0"),
        ("1.0.0-rc.1", "1.0.0"),
        ("1.0.0-alpha", "1.0.0-beta"),
        ("1.0.0-2", "1.0.0-10"),
        ("2.1.3", "10.0.0"),
    ],
)
def test_semver_ordering(older: str, newer: str) -> None:
    before, after = parse_version(older), parse_version(newer)
    assert before is not None and after is not None
    assert before < after


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "01.0.0", "", None])
def test_semver_rejects(text: object) -> None:
    assert parse_version(text) is None


def test_unreadable_head_file(tmp_path: Path, cli) -> None:  # noqa: ANN001
    write(tmp_path / "base")
    head = write(tmp_path / "head")
    (head / "sla.yaml").write_text("apiVersion: slacheck/v1\nkind: SLA\nmetadata: [\n")
    result = cli("diff", "base", "head", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[2] == "SLA api-gold (removed, base/sla.yaml), version 1.0.0 -> none"
    assert lines[3] == (
        "  unclear        cannot be compared: its file cannot be read in the head tree"
    )
    assert lines[5].startswith("head/sla.yaml:")


def test_unreadable_base_file(tmp_path: Path, cli) -> None:  # noqa: ANN001
    base = write(tmp_path / "base")
    write(tmp_path / "head")
    (base / "sla.yaml").write_text("apiVersion: slacheck/v1\nkind: SLA\nmetadata: [\n")
    result = cli("diff", "base", "head", cwd=tmp_path)
    assert result.returncode == 1
    problem = [line for line in result.stdout.splitlines() if " SC001 " in line]
    assert len(problem) == 1
    assert problem[0].startswith("base/sla.yaml:")
    assert " SC001 in base: invalid YAML" in problem[0]
