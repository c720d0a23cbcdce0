"""``slacheck lint``: build settings, run the linter, render the report."""

from __future__ import annotations

from pathlib import Path

from slacheck.cli import EXIT_FINDINGS, EXIT_OK, UsageError, emit, parse_severity
from slacheck.output import FORMATS, Report, render, summary_line
from slacheck.settings import LintSettings


def build_settings(
    *,
    paths: list[str],
    select: list[str],
    ignore: list[str],
    fail_on: str,
    config: Path | None,
    policy: list[str],
    jobs: int,
    changed_only: bool,
) -> LintSettings:
    """Merge the config file (when there is one) and the command line."""
    settings = LintSettings(paths=paths)
    _apply_config(settings, config)
    if select:
        settings.select = select
    settings.ignore = [*settings.ignore, *ignore]
    settings.fail_on = parse_severity(fail_on, "--fail-on")
    settings.policy_paths = [*settings.policy_paths, *policy]
    settings.jobs = jobs
    if changed_only:
        _report_only_named(settings, paths)
    return settings


def _apply_config(settings: LintSettings, config: Path | None) -> None:
    try:
        from slacheck.config import apply_config
    except ModuleNotFoundError as exc:
        if exc.name != "slacheck.config":
            raise
        if config is not None:
            raise UsageError("--config is not supported by this build") from None
        return
    apply_config(settings, config)


def _report_only_named(settings: LintSettings, paths: list[str]) -> None:
    from slacheck.discovery import discover

    named = {c.path for c in discover(paths) if c.explicit}
    settings.report_only = named
    settings.context_paths = [*settings.context_paths, "."]


def run_lint(*, paths: list[str], fmt: str, output: Path | None, **options: object) -> int:
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is invalid; use one of {', '.join(FORMATS)}")
    settings = build_settings(paths=paths, **options)  # type: ignore[arg-type]
    for path in paths:
        if not Path(path).exists():
            raise UsageError(f"path {path!r} does not exist")
    from slacheck.lint import lint

    result = lint(settings)
    report = Report(
        tool="lint",
        findings=result.findings,
        files=result.files,
        fail_on=settings.fail_on,
        texts={},
    )
    emit(render(fmt, report), output, summary_line(report) if fmt == "text" or output else "")
    return EXIT_FINDINGS if result.failed(settings.fail_on) else EXIT_OK
