"""``slacheck test``: run the policy tests written beside policy files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command(name="test")(policy_tests)


def policy_tests(
    path: Annotated[
        str,
        typer.Argument(help="Policy folder or file with *.test.yaml cases beside it."),
    ] = ".",
    rule_timeout: Annotated[
        float,
        typer.Option(
            help="Wall-clock budget in seconds for one rule on one case.", min=0.01
        ),
    ] = 0.5,
) -> None:
    """Run policy test cases: which rules fire or stay silent on given variables."""
    from slacheck.console import EXIT_FINDINGS, EXIT_OK, UsageError
    from slacheck.policies.testing import run_tests, summary

    if not Path(path).exists():
        raise UsageError(f"path {path!r} does not exist")
    run = run_tests(path, rule_timeout)
    for finding in sorted(run.findings, key=lambda f: f.sort_key()):
        typer.echo(
            f"{finding.path}:{finding.line}:{finding.column}: {finding.code} "
            f"{finding.message}"
        )
    for case in run.cases:
        outcome = "PASS" if case.passed else "FAIL"
        typer.echo(f"{case.path}:{case.line}: {outcome} {case.name}")
        for problem in case.problems:
            typer.echo(f"    {problem}")
    for line in summary(run):
        typer.echo(line)
    raise typer.Exit(EXIT_FINDINGS if run.failed else EXIT_OK)
