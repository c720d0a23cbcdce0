"""``slacheck diff``: what a change does to SLA commitments, SLOs and KPIs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def register(app: typer.Typer) -> None:
    # The SC9xx codes load with the rule catalogue (slacheck.rules.base), not
    # here, so start-up does not pay for the diff package.
    app.command(name="diff")(diff)


def diff(
    base: Annotated[
        str, typer.Argument(help="Git revision or folder to compare from.")
    ],
    head: Annotated[
        Optional[str],
        typer.Argument(
            help="Git revision or folder to compare to (default: working tree)."
        ),
    ] = None,
    path: Annotated[
        Optional[list[str]],
        typer.Option(help="Compare only this file or folder; repeatable."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="Output format: text, markdown or json."),
    ] = "text",
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write the result to this file."),
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            help="Exit 1 when a finding is at least this severe: error or warning."
        ),
    ] = "error",
) -> None:
    """Compare definitions between two git revisions or two folders."""
    code = run_diff(
        base=base,
        head=head,
        paths=path or [],
        fmt=fmt,
        output=output,
        fail_on=fail_on,
    )
    raise typer.Exit(code)


def run_diff(
    *,
    base: str,
    head: str | None,
    paths: list[str],
    fmt: str,
    output: Path | None,
    fail_on: str,
) -> int:
    from slacheck.console import (
        EXIT_FINDINGS,
        EXIT_OK,
        UsageError,
        emit,
        parse_severity,
    )
    from slacheck.diff.engine import diff_trees
    from slacheck.diff.render import DIFF_FORMATS, render, summary_line
    from slacheck.diff.sources import SourceError, Tree, open_tree, working_tree

    if fmt not in DIFF_FORMATS:
        raise UsageError(f"--format {fmt!r} is invalid; use text, markdown or json")
    threshold = parse_severity(fail_on, "--fail-on")
    cwd = Path.cwd()
    trees: list[Tree] = []
    try:
        trees.append(open_tree(base, paths, cwd=cwd))
        trees.append(
            working_tree(paths, cwd=cwd)
            if head is None
            else open_tree(head, paths, cwd=cwd)
        )
        result = diff_trees(trees[0], trees[1])
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    finally:
        for tree in trees:
            tree.cleanup()
    text = render(fmt, result)
    emit(text, output, summary_line(result) if fmt == "text" or output else "")
    failed = any(f.severity >= threshold and not f.suppressed for f in result.findings)
    return EXIT_FINDINGS if failed else EXIT_OK
