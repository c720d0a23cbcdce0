"""``slacheck report``: each SLA in plain words, as Markdown or self-contained HTML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from slacheck.findings import Finding
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
    from slacheck.console import EXIT_FINDINGS, EXIT_OK, UsageError, emit

    if fmt not in REPORT_FORMATS:
        raise UsageError(f"--format {fmt!r} is invalid; use markdown or html")
    for path in [*paths, *snapshots]:
        if not Path(path).exists():
            raise UsageError(f"path {path!r} does not exist")
    model, unreadable = _build(paths, snapshots, title, config)
    text = _render(fmt, model)
    summary = ""
    if output is not None:
        count = len(model.slas)
        summary = (
            f"Wrote a report on {count} SLA{'' if count == 1 else 's'} to {output}."
        )
    emit(text, output, summary)
    if not unreadable:
        return EXIT_OK
    # A file that cannot be read has no clause to sit beside, and the SLAs
    # in it are missing from the report, so say so and fail.
    for finding in unreadable:
        line = f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}"
        typer.echo(line, err=True)
    typer.echo(
        f"The report is incomplete: {len(unreadable)} file problem(s) above kept "
        "definitions out of it.",
        err=True,
    )
    return EXIT_FINDINGS


# Codes for files or documents that could not be read at all.
_UNREADABLE = frozenset(
    {"SC001", "SC002", "SC003", "SC004", "SC005", "SC006", "SC008", "SC009", "SC011"}
)


def _build(
    paths: list[str], snapshots: list[str], title: str, config: Path | None
) -> tuple[ReportModel, list[Finding]]:
    from slacheck.commands.lintcmd import build_settings
    from slacheck.console import UsageError
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
    model = build_report(
        result.catalog,
        [*result.findings, *measured.findings],
        title=title,
        sources=paths,
        measurements=measured.values,
        snapshot=measured.label,
    )
    return model, [f for f in result.findings if f.code in _UNREADABLE]


def _render(fmt: str, model: ReportModel) -> str:
    if fmt == "html":
        from slacheck.report.html import render_html

        return render_html(model)
    from slacheck.report.markdown import render_markdown

    return render_markdown(model)
