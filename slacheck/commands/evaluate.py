"""``slacheck evaluate``: judge snapshots, then apply result policies."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from slacheck.evaluation import Evaluation
    from slacheck.findings import Finding
    from slacheck.lint import Loaded


def register(app: typer.Typer) -> None:
    app.command(name="evaluate")(evaluate)


def evaluate(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Definition files or folders (default: current folder)."),
    ] = None,
    snapshot: Annotated[
        list[str] | None,
        typer.Option(
            "--snapshot",
            "-s",
            help="Snapshot file of measured SLIs and KPIs; repeat for consecutive periods.",
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="Output format: text, json, or another format lint supports.",
        ),
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to this file; the terminal gets the summary.",
        ),
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            help="Exit 1 when a finding is at least this severe: error or warning."
        ),
    ] = "error",
    policy: Annotated[
        list[str] | None,
        typer.Option(help="Folder or file of extra policies; repeatable."),
    ] = None,
    default_policies: Annotated[
        bool,
        typer.Option(
            "--default-policies/--no-default-policies",
            help="Apply the policy pack shipped with slacheck.",
        ),
    ] = True,
    select: Annotated[
        list[str] | None,
        typer.Option(help="Codes or rule ids to report (prefixes allowed)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(help="Codes or rule ids to leave out (prefixes allowed)."),
    ] = None,
    rule_timeout: Annotated[
        float,
        typer.Option(
            help="Wall-clock budget in seconds for one policy rule on one target.",
            min=0.01,
        ),
    ] = 0.5,
) -> None:
    """Judge SLI snapshots: SLO budgets, SLA headroom and credits, KPIs, policies."""
    code = run_evaluate(
        paths=paths or ["."],
        snapshots=snapshot or [],
        fmt=fmt,
        output=output,
        fail_on=fail_on,
        policies=policy or [],
        use_default=default_policies,
        select=select,
        ignore=ignore,
        rule_timeout=rule_timeout,
    )
    raise typer.Exit(code)


def run_evaluate(
    *,
    paths: list[str],
    snapshots: list[str],
    fmt: str,
    output: Path | None,
    fail_on: str,
    policies: list[str],
    use_default: bool,
    select: list[str] | None,
    ignore: list[str] | None,
    rule_timeout: float,
) -> int:
    from slacheck.cli import EXIT_FINDINGS, EXIT_OK, emit, parse_severity, split_codes
    from slacheck.evaluation.serialize import evaluation_dict
    from slacheck.lint import finalize
    from slacheck.output import Report, summary_line
    from slacheck.settings import LintSettings

    _check_usage(fmt, paths, snapshots, policies)
    settings = LintSettings(
        paths=paths,
        select=split_codes(select),
        ignore=split_codes(ignore),
        fail_on=parse_severity(fail_on, "--fail-on"),
    )
    evaluation, found, files = _judge(
        paths, snapshots, policies, use_default, rule_timeout
    )
    findings = finalize(found, settings)
    report = Report(
        tool="evaluate",
        findings=findings,
        files=files,
        fail_on=settings.fail_on,
        extra={"evaluation": evaluation_dict(evaluation)},
    )
    summary = summary_line(report) if fmt == "text" or output else ""
    emit(_render(fmt, report, evaluation), output, summary)
    failed = any(f.severity >= settings.fail_on and not f.suppressed for f in findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _judge(
    paths: list[str],
    snapshots: list[str],
    policies: list[str],
    use_default: bool,
    rule_timeout: float,
) -> tuple[Evaluation, list[Finding], list[str]]:
    """Load everything, evaluate and apply policies; return all findings and files."""
    from slacheck.evaluation import evaluate
    from slacheck.lint import load_definitions
    from slacheck.policies import load_policy_set, result_findings

    definitions = load_definitions(paths)
    measured = load_definitions(snapshots)
    _check_snapshot_files(snapshots, measured)
    documents = [d for d in measured.catalog.documents if d.kind == "Snapshot"]
    evaluation = evaluate(definitions.catalog, documents)
    policy_set = load_policy_set(policies, use_default)
    rule_findings = result_findings(
        evaluation, definitions.catalog, policy_set, rule_timeout
    )
    findings = [
        *definitions.findings,
        *measured.findings,
        *evaluation.findings,
        *policy_set.findings,
        *rule_findings,
    ]
    return evaluation, findings, sorted({*definitions.files, *measured.files})


def _render(fmt: str, report: object, evaluation: object) -> str:
    from slacheck.evaluation.table import render_tables
    from slacheck.output import render

    if fmt != "text":
        return render(fmt, report)  # type: ignore[arg-type]
    findings = render("text", report)  # type: ignore[arg-type]
    text = render_tables(evaluation)  # type: ignore[arg-type]
    if findings:
        text += "\nFindings:\n" + findings
    return text


def _check_usage(
    fmt: str, paths: list[str], snapshots: list[str], policies: list[str]
) -> None:
    from slacheck.cli import UsageError
    from slacheck.output import FORMATS

    if fmt not in FORMATS:
        raise UsageError(
            f"--format {fmt!r} is invalid; use one of {', '.join(FORMATS)}"
        )
    if not snapshots:
        raise UsageError("give at least one --snapshot FILE with measured SLIs")
    for option, values in (
        ("path", paths),
        ("--snapshot", snapshots),
        ("--policy", policies),
    ):
        for value in values:
            if not Path(value).exists():
                raise UsageError(f"{option} {value!r} does not exist")


def _check_snapshot_files(snapshots: list[str], measured: Loaded) -> None:
    """Reject a --snapshot file that contains no Snapshot document and no load error."""
    from slacheck.cli import UsageError
    from slacheck.discovery import display_path

    with_snapshots = {
        d.path for d in measured.catalog.documents if d.kind == "Snapshot"
    }
    with_problems = {f.path for f in measured.findings}
    for value in snapshots:
        path = Path(value)
        if path.is_dir():
            continue
        display = display_path(path)
        if display not in with_snapshots and display not in with_problems:
            raise UsageError(
                f"--snapshot {value!r} contains no 'kind: Snapshot' document; "
                "give a snapshot file (see examples/snapshots/)"
            )
