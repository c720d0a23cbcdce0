"""The quick ``lint`` entry reads arguments exactly as the Typer command does."""

from __future__ import annotations

import os
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import typer.main

from slacheck import cli, entry
from slacheck.commands import lintcmd

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "b2b-api"


def _lint_command() -> Any:
    group = typer.main.get_command(cli.app)
    return group.commands["lint"]  # type: ignore[attr-defined]


def _kind(name: str) -> str:
    """Say what an option takes, from the annotation of the Typer command."""
    annotation = typing.get_type_hints(cli.lint)[name]
    kinds = {bool: "flag", int: "count", Path: "path", str: "text"}
    if annotation in kinds:
        return kinds[annotation]
    (inner,) = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(inner) is list:
        return "texts"
    return kinds[inner]


def test_option_table_matches_typer() -> None:
    expected: dict[str, tuple[str, str]] = {}
    arguments = []
    for param in _lint_command().params:
        if param.param_type_name == "argument":
            arguments.append(param.name)
            continue
        for spelling in [*param.opts, *param.secondary_opts]:
            expected[spelling] = (param.name, _kind(param.name))
    assert entry.LINT_OPTIONS == expected
    assert arguments == ["paths"]
    names = {name for name, _ in expected.values()} | {"paths"}
    assert set(entry.LINT_DEFAULTS) == names


def test_defaults_match_the_typer_command() -> None:
    for param in _lint_command().params:
        assert entry.LINT_DEFAULTS[param.name] == param.default, param.name


def _typer_reading(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def record(**options: Any) -> int:
        seen.update(options)
        return 0

    monkeypatch.setattr(lintcmd, "lint_command", record)
    # Without standalone mode, Typer returns the code its command exits with.
    assert cli.app(argv, standalone_mode=False) == 0
    return seen


PLAIN_CALLS = [
    ["lint"],
    ["lint", "."],
    ["lint", "a.yaml", "b"],
    ["lint", "--changed-only", "slas/x.yaml"],
    ["lint", "-f", "json", "--output", "out/r.json", "."],
    ["lint", "--format=sarif", "-o", "r.sarif"],
    ["lint", "--select", "SC2", "--select=SC3,sc4", "--ignore", "SC206"],
    ["lint", "--fail-on", "warning", "--config", "c.yaml", "--config-from", "HEAD~1"],
    ["lint", "--baseline", "b.json", "--write-baseline"],
    ["lint", "--policy", "p1", "--policy=p2", "--jobs", "2", "--no-cache"],
    ["lint", "--cache-dir", "/tmp/c", "x", "--jobs=16", "y"],
    ["lint", "--format", "json", "--format", "text"],
    ["lint", "--format="],
    ["lint", "--", "-odd-name.yaml", "--no-cache"],
    ["lint", "--changed-only", "--changed-only", "a"],
]


@pytest.mark.parametrize("argv", PLAIN_CALLS, ids=" ".join)
def test_quick_reading_equals_typer_reading(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = entry.read_lint_arguments(argv)
    assert quick is not None
    assert quick == _typer_reading(argv, monkeypatch)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["rules"],
        ["-v", "lint", "."],
        ["--version"],
        ["lint", "--help"],
        ["lint", "-fjson"],
        ["lint", "--format"],
        ["lint", "--format", "--no-cache"],
        ["lint", "--jobs", "0"],
        ["lint", "--jobs", "two"],
        ["lint", "--jobs", " 2"],
        ["lint", "--no-cache=yes"],
        ["lint", "--unknown"],
        ["lint", "-"],
        ["lint", "--chang"],
    ],
    ids=lambda argv: " ".join(argv) or "nothing",
)
def test_other_arguments_go_to_typer(argv: list[str]) -> None:
    assert entry.read_lint_arguments(argv) is None


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # Report at exit whether Typer was loaded, after the command has finished.
    code = (
        "import atexit, sys\n"
        "def tell():\n"
        "    sys.stderr.write('typer loaded: %s\\n' % ('typer' in sys.modules))\n"
        "atexit.register(tell)\n"
        f"sys.argv = ['slacheck', *{list(args)!r}]\n"
        "from slacheck.entry import main\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )


def test_plain_lint_runs_without_loading_typer() -> None:
    result = _run("lint", "--no-cache", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "typer loaded: False" in result.stderr
    assert "SC206" in result.stdout


def test_other_calls_run_through_typer_with_its_errors() -> None:
    result = _run("lint", "--jobs", "0", str(EXAMPLE))
    assert result.returncode == 2
    assert "typer loaded: True" in result.stderr
    assert "--jobs" in result.stderr


def test_quick_path_reports_usage_errors_in_one_line(tmp_path: Path) -> None:
    result = _run("lint", "--format", "yaml", str(tmp_path))
    assert result.returncode == 2
    assert "typer loaded: False" in result.stderr
    assert "slacheck: error: --format 'yaml' is invalid" in result.stderr
    assert "Traceback" not in result.stderr


def test_quick_path_crash_is_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash(**options: Any) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(lintcmd, "lint_command", crash)
    monkeypatch.setattr(sys, "argv", ["slacheck", "lint", "."])
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 3
    assert "slacheck: internal error: RuntimeError: boom" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["lint", str(EXAMPLE)], ["rules"]])
def test_deleted_cwd_is_usage_error(
    tmp_path: Path, argv: list[str]
) -> None:
    deleted = tmp_path / "gone"
    deleted.mkdir()
    code = (
        "import os, sys\n"
        f"os.chdir({str(deleted)!r}); os.rmdir({str(deleted)!r})\n"
        f"sys.argv = ['slacheck', *{argv!r}]\n"
        "from slacheck.entry import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "the current folder cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_closed_stdout_is_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "slacheck", "lint", "--no-cache", str(EXAMPLE)],
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        # Close descriptor 1 in the child, as `>&-` does in a shell.
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == 2
    assert "standard output is closed" in result.stderr
