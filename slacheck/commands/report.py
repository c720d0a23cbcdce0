"""``slacheck report``: each SLA in plain words, as Markdown or self-contained HTML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from slacheck.report.model import ReportModel

REPORT_FORMATS = ("markdown", "html")


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)


def report(
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(help="Definition files or folders (default: current folder)."),
    ] = None,
    snapshot: Annotated[
        Optional[list[str]],
        typer.Option(help="Snapshot file with measured SLIs; repeatable, latest wins."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output format: markdown or html.")
    ] = "markdown",
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write the report to this file."),
    ] = None,
    title: Annotated[
        str, typer.Option(help="Heading of the report.")
    ] = "SLA contract review",
    config: Annotated[
        Optional[Path],
        typer.Option(help="Config file (default: slacheck.yaml or pyproject.toml)."),
    ] = None,
) -> None:
    """Write a contract review of every SLA: clauses, credits, margins, findings."""
    code = run_report(
        paths=paths or ["."],
        snapshots=snapshot or [],
        fmt=fmt,
        output=output,
        title=title,
        config=config,
    )
    raise typer.Exit(code)


def run_report(
    *,
    paths: list[str],
    snapshots: list[str],
    fmt: str,
    output: Path | None,
    title: str,
    config: Path | None,
) -> int:
    from slacheck.cli import EXIT_OK, UsageError, emit

    if fmt not in REPORT_FORMATS:
        raise UsageError(f"--format {fmt!r} is invalid; use markdown or html")
    for path in [*paths, *snapshots]:
        if not Path(path).exists():
            raise UsageError(f"path {path!r} does not exist")
    model = _build(paths, snapshots, title, config)
    text = _render(fmt, model)
    summary = ""
    if output is not None:
        count = len(model.slas)
        summary = (
            f"Wrote a report on {count} SLA{'' if count == 1 else 's'} to {output}."
        )
    emit(text, output, summary)
    return EXIT_OK


def _build(
    paths: list[str], snapshots: list[str], title: str, config: Path | None
) -> ReportModel:
    from slacheck.cli import UsageError
    from slacheck.commands.lintcmd import build_settings
    from slacheck.lint import lint
    from slacheck.report.build import build_report
    from slacheck.report.measured import Measured, SnapshotError, measure

    settings = build_settings(
        paths=paths,
        select=[],
        ignore=[],
        fail_on="error",
        config=config,
        policy=[],
        jobs=1,
        changed_only=False,
    )
    result = lint(settings)
    measured = Measured()
    if snapshots:
        try:
            measured = measure(result.catalog, snapshots)
        except SnapshotError as exc:
            raise UsageError(str(exc)) from None
    return build_report(
        result.catalog,
        [*result.findings, *measured.findings],
        title=title,
        sources=paths,
        measurements=measured.values,
        snapshot=measured.label,
    )


def _render(fmt: str, model: ReportModel) -> str:
    if fmt == "html":
        from slacheck.report.html import render_html

        return render_html(model)
    from slacheck.report.markdown import render_markdown

    return render_markdown(model)
