"""``slacheck lint``: build settings, run the linter, render the report."""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import Any

from slacheck.commands.selection import check_code_patterns, check_policy_patterns
from slacheck.console import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    emit,
    parse_severity,
    split_codes,
)
from slacheck.discovery import path_exists
from slacheck.output import Report, available_formats, render, summary_line
from slacheck.settings import LintSettings

log = logging.getLogger(__name__)

# Fixes the date waivers expire against, for reproducible runs and tests.
TODAY_VARIABLE = "SLACHECK_TODAY"
# The folder for parsed files kept between runs, as slacheck.cache names it.
DEFAULT_CACHE_DIR = ".slacheck_cache"


def lint_command(
    *,
    paths: list[str] | None,
    fmt: str,
    output: Path | None,
    select: list[str] | None,
    ignore: list[str] | None,
    fail_on: str | None,
    config: Path | None,
    config_from: str | None,
    baseline: Path | None,
    write_baseline: bool,
    policy: list[str] | None,
    jobs: int,
    report_only: bool,
    cache_dir: str | None,
    no_cache: bool,
) -> int:
    """Run ``slacheck lint`` from its command-line options; return the exit code.

    Both the Typer command and the quick entry in :mod:`slacheck.entry`
    call this with the options as they parsed them.
    """
    return run_lint(
        paths=paths or ["."],
        fmt=fmt,
        output=output,
        select=split_codes(select),
        ignore=split_codes(ignore),
        fail_on=fail_on,
        config=config,
        config_from=config_from,
        baseline=baseline,
        write_baseline=write_baseline,
        policy=policy or [],
        jobs=jobs,
        changed_only=report_only,
        cache_dir=None if no_cache else cache_dir or DEFAULT_CACHE_DIR,
    )


def build_settings(
    *,
    paths: list[str],
    select: list[str],
    ignore: list[str],
    fail_on: str | None,
    config: Path | None,
    policy: list[str],
    jobs: int,
    changed_only: bool,
    config_from: str | None = None,
    baseline: Path | None = None,
    write_baseline: bool = False,
    cache_dir: str | None = None,
    use_baseline: bool = True,
) -> LintSettings:
    """Merge the config file (when there is one) and the command line.

    ``use_baseline=False`` leaves the config's baseline unread, for commands
    whose findings a lint baseline does not record.
    """
    settings = LintSettings(paths=paths, config_from=config_from, today=_today())
    loaded_config = _apply_config(settings, config)
    check_code_patterns("--select", select)
    check_code_patterns("--ignore", ignore)
    if select:
        settings.select = select
    settings.ignore = [*settings.ignore, *ignore]
    if fail_on is not None:
        settings.fail_on = parse_severity(fail_on, "--fail-on")
    settings.policy_paths = [*settings.policy_paths, *policy]
    settings.jobs = jobs
    settings.cache_dir = cache_dir
    if changed_only:
        _report_only_named(settings, paths)
    if use_baseline:
        settings.baseline = _baseline(baseline, loaded_config, write=write_baseline)
    return settings


def _today() -> date | None:
    text = os.environ.get(TODAY_VARIABLE)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = f"{TODAY_VARIABLE}={text!r} is invalid; use a YYYY-MM-DD date"
        raise UsageError(message) from None


def _apply_config(settings: LintSettings, config: Path | None) -> Any:
    try:
        from slacheck.config import apply_config
    except ModuleNotFoundError as exc:
        if exc.name != "slacheck.config":
            raise
        if config is not None:
            raise UsageError("--config is not supported by this build") from None
        return None
    return apply_config(settings, config)


def _report_only_named(settings: LintSettings, paths: list[str]) -> None:
    """Load the named files and folders plus the repository for references.

    Named files that are not definitions (other YAML a commit touches) are
    left out, as a folder scan would leave them out. A named folder is
    scanned as usual, and findings in every file below it are reported.
    """
    from slacheck.config import find_repo_root
    from slacheck.discovery import discover

    candidates = list(discover(paths))
    named = [c.path for c in candidates if c.explicit and _is_definition(c.path)]
    folders = [path for path in paths if Path(path).is_dir()]
    settings.paths = [*named, *folders]
    below_folders = {c.path for c in candidates if not c.explicit}
    settings.report_only = {*named, *below_folders}
    if settings.paths:
        root = find_repo_root(Path.cwd().resolve())
        settings.context_paths = [*settings.context_paths, str(root) if root else "."]


def _is_definition(path: str) -> bool:
    from slacheck.lint import looks_like_definitions

    try:
        with open(path, "rb") as handle:
            return looks_like_definitions(handle.read())
    except OSError:
        return True  # the loader reports the file as unreadable


def _baseline(path: Path | None, config: Any, *, write: bool) -> Any:
    """Load the baseline named on the command line or in the config.

    When writing, the baseline starts empty, so the run keeps every finding.
    """
    from slacheck.baseline import Baseline, BaselineError, load_baseline

    chosen = str(path) if path is not None else None
    if chosen is None and config is not None:
        chosen = config.values.get("baseline")
    if chosen is None:
        if write:
            raise UsageError(
                "--write-baseline needs --baseline FILE or a baseline key in the config"
            )
        return None
    if write:
        return Baseline(chosen, Path(os.path.abspath(chosen)).parent)
    try:
        return load_baseline(chosen)
    except BaselineError as exc:
        raise UsageError(str(exc)) from None


def run_lint(*, paths: list[str], fmt: str, output: Path | None, **options: object) -> int:
    formats = available_formats()
    if fmt not in formats:
        raise UsageError(f"--format {fmt!r} is invalid; use one of {', '.join(formats)}")
    write_baseline = bool(options.get("write_baseline"))
    if write_baseline and options.get("changed_only"):
        raise UsageError("--write-baseline records every file; drop --changed-only")
    settings = build_settings(paths=paths, **options)  # type: ignore[arg-type]
    for path in paths:
        if not path_exists(path):
            raise UsageError(f"path {path!r} does not exist")
    _check_policy_options(settings, options)
    from slacheck.lint import lint

    result = lint(settings)
    if write_baseline:
        return _write_baseline(result.findings, settings)
    report = Report(
        tool="lint",
        findings=result.findings,
        files=result.files,
        fail_on=settings.fail_on,
        texts=result.texts,
        policy_paths=settings.policy_paths,
        default_policies=settings.use_default_policies,
    )
    emit(render(fmt, report), output, terminal_summary(fmt, report, output))
    if fmt == "github":
        write_github_summary(report)
    return EXIT_FINDINGS if result.failed(settings.fail_on) else EXIT_OK


def _check_policy_options(settings: LintSettings, options: dict[str, Any]) -> None:
    """Reject a missing --policy path and rule ids that no loaded policy has."""
    for value in options.get("policy") or []:
        if not Path(value).exists():
            raise UsageError(f"--policy {value!r} does not exist")
    chosen = [
        ("--select", options.get("select") or []),
        ("--ignore", options.get("ignore") or []),
    ]
    check_policy_patterns(settings, chosen)


def terminal_summary(fmt: str, report: Report, output: Path | None) -> str:
    """Return what the terminal shows besides the report itself.

    With ``--output`` the report goes to the file and the terminal gets the
    findings as text and the summary line.
    """
    if output is None:
        return summary_line(report) if fmt == "text" else ""
    if fmt == "text":
        return summary_line(report)
    return render("text", report) + summary_line(report)


def write_github_summary(report: Report) -> None:
    """Add the Markdown summary to the GitHub job summary when one is open."""
    from slacheck.output.github import write_step_summary

    try:
        write_step_summary(report)
    except OSError as exc:
        log.warning("cannot write the GitHub step summary: %s", exc)


def _write_baseline(findings: list[Any], settings: LintSettings) -> int:
    from slacheck.baseline import render_baseline

    assert settings.baseline is not None
    path = settings.baseline.path
    text, count = render_baseline(findings, path)
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or exc
        raise UsageError(f"cannot write baseline {path!r}: {reason}") from None
    print(f"Recorded {count} finding{'' if count == 1 else 's'} in baseline {path}.")
    return EXIT_OK
