"""``slacheck evaluate``: judge snapshots, then apply result policies.

The run reads the same config as ``lint`` (select and ignore, severities,
per-path ignores, policy folders, waivers, fail-on, ``--config-from``) and
writes the same report formats. A lint baseline is not applied, because it
records lint's findings only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from slacheck.evaluation import Evaluation
    from slacheck.findings import Finding
    from slacheck.lint import Loaded
    from slacheck.output import Report
    from slacheck.settings import LintSettings


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
            help="Output format: text, json, sarif, junit, github or gitlab.",
        ),
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to this file; the terminal gets the text summary.",
        ),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            help="Exit 1 when a finding is at least this severe: error or warning "
            "(default: the config's fail-on, else error)."
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help="Config file (default: slacheck.yaml or pyproject.toml found upwards)."
        ),
    ] = None,
    config_from: Annotated[
        str | None,
        typer.Option(
            "--config-from",
            metavar="REV",
            help="Read the config, its waivers and policies from this git revision "
            "and report changes to them.",
        ),
    ] = None,
    policy: Annotated[
        list[str] | None,
        typer.Option(help="Folder or file of extra policies; repeatable."),
    ] = None,
    default_policies: Annotated[
        bool | None,
        typer.Option(
            "--default-policies/--no-default-policies",
            help="Apply the policy pack shipped with slacheck "
            "(default: the config's default-policies, else yes).",
            show_default=False,
        ),
    ] = None,
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
        config=config,
        config_from=config_from,
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
    fail_on: str | None,
    config: Path | None,
    config_from: str | None,
    policies: list[str],
    use_default: bool | None,
    select: list[str] | None,
    ignore: list[str] | None,
    rule_timeout: float,
) -> int:
    from slacheck.commands.lintcmd import build_settings, write_github_summary
    from slacheck.commands.selection import check_policy_patterns
    from slacheck.console import EXIT_FINDINGS, EXIT_OK, emit, split_codes
    from slacheck.evaluation.serialize import evaluation_dict
    from slacheck.lint import accept, finalize
    from slacheck.output import Report

    _check_usage(fmt, paths, snapshots, policies)
    selected, ignored = split_codes(select), split_codes(ignore)
    settings = build_settings(
        paths=paths,
        select=selected,
        ignore=ignored,
        fail_on=fail_on,
        config=config,
        config_from=config_from,
        policy=policies,
        jobs=1,
        changed_only=False,
        use_baseline=False,
    )
    settings.command = "evaluate"
    if use_default is not None:
        settings.use_default_policies = use_default
    check_policy_patterns(settings, [("--select", selected), ("--ignore", ignored)])
    evaluation, loaded, found = _judge(settings, snapshots, rule_timeout)
    found.extend(settings.config_findings)
    findings = accept(finalize(found, settings), loaded, settings)
    report = Report(
        tool="evaluate",
        findings=findings,
        files=loaded.files,
        fail_on=settings.fail_on,
        texts=loaded.texts,
        extra={"evaluation": evaluation_dict(evaluation)},
        policy_paths=settings.policy_paths,
        default_policies=settings.use_default_policies,
    )
    text = _render(fmt, report, evaluation)
    emit(text, output, _terminal_summary(fmt, report, evaluation, output))
    if fmt == "github":
        write_github_summary(report)
    failed = any(f.severity >= settings.fail_on and not f.suppressed for f in findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _judge(
    settings: LintSettings, snapshots: list[str], rule_timeout: float
) -> tuple[Evaluation, Loaded, list[Finding]]:
    """Load everything, evaluate and apply policies; return all findings and files."""
    from slacheck.evaluation import evaluate
    from slacheck.lint import load_definitions
    from slacheck.policies import load_policy_set, result_findings

    definitions = load_definitions(
        settings.paths, include=settings.include, exclude=settings.exclude
    )
    measured = load_definitions(snapshots)
    _check_snapshot_files(snapshots, measured)
    documents = [d for d in measured.catalog.documents if d.kind == "Snapshot"]
    evaluation = evaluate(definitions.catalog, documents)
    policy_set = load_policy_set(settings.policy_paths, settings.use_default_policies)
    settings.result_rule_ids = frozenset(
        r.id for r in policy_set.rules if r.for_results
    )
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
    return evaluation, _combined(definitions, measured), findings


def _combined(definitions: Loaded, measured: Loaded) -> Loaded:
    """Join definitions and snapshots, each file once, for waivers and reports.

    A snapshot file can also sit under a definition folder, so it may be
    loaded twice; the definition load's copy is kept.
    """
    from slacheck.lint import Loaded
    from slacheck.model import Catalog

    joined = Loaded(Catalog(), texts=dict(definitions.texts))
    for document in definitions.catalog.documents:
        joined.catalog.add(document)
    for document in measured.catalog.documents:
        if document.path not in definitions.texts:
            joined.catalog.add(document)
    for path, text in measured.texts.items():
        joined.texts.setdefault(path, text)
    joined.files = sorted({*definitions.files, *measured.files})
    return joined


def _render(fmt: str, report: Report, evaluation: Evaluation) -> str:
    from slacheck.evaluation.table import render_tables
    from slacheck.output import render

    if fmt != "text":
        return render(fmt, report)
    findings = render("text", report)
    text = render_tables(evaluation)
    if findings:
        text += "\nFindings:\n" + findings
    return text


def _terminal_summary(
    fmt: str, report: Report, evaluation: Evaluation, output: Path | None
) -> str:
    """Return what the terminal shows besides the report itself.

    With ``--output`` in a format other than text, the file gets the report
    and the terminal the text report: tables, findings and summary line.
    """
    from slacheck.output import summary_line

    if fmt == "text":
        return summary_line(report)
    if output is None:
        return ""
    return _render("text", report, evaluation) + summary_line(report)


def _check_usage(
    fmt: str, paths: list[str], snapshots: list[str], policies: list[str]
) -> None:
    from slacheck.console import UsageError
    from slacheck.output import available_formats

    formats = available_formats()
    if fmt not in formats:
        raise UsageError(
            f"--format {fmt!r} is invalid; use one of {', '.join(formats)}"
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
    from slacheck.console import UsageError
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
