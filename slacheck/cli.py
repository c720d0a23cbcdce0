"""Command-line interface: turns options into settings and calls the core.

Exit codes are listed in :mod:`slacheck.console`. The console script
starts in :mod:`slacheck.entry`, which runs plain ``lint`` calls without
loading this module.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from slacheck import __version__
from slacheck.console import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    check_working_folder,
    configure_logging,
    emit,
    escape_unencodable_output,
    failure_status,
    parse_severity,
    split_codes,
    start_command_process,
)

# Names other modules and tests import from here.
__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "app",
    "emit",
    "main",
    "parse_severity",
    "split_codes",
]

app = typer.Typer(
    name="slacheck",
    help="Lint and evaluate SLA, SLO, SLI and KPI definitions kept as code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

log = logging.getLogger("slacheck")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slacheck {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose", "-v", count=True, help="Log more: -v info, -vv debug."
        ),
    ] = 0,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    configure_logging(verbose)
    _STATE["verbose"] = verbose


_STATE: dict[str, int] = {"verbose": 0}

CodesOption = Annotated[
    Optional[list[str]],
    typer.Option(
        help="Codes or code prefixes, comma-separated or repeated (SC2 means SC200-SC299)."
    ),
]


@app.command()
def lint(
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(help="Files or folders (default: current folder)."),
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
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help="Write the report to this file; the terminal gets the summary.",
        ),
    ] = None,
    select: CodesOption = None,
    ignore: CodesOption = None,
    fail_on: Annotated[
        Optional[str],
        typer.Option(
            help="Exit 1 when a finding is at least this severe: error or warning (default: the config's fail-on, else error)."
        ),
    ] = None,
    config: Annotated[
        Optional[Path],
        typer.Option(
            help="Config file (default: slacheck.yaml or pyproject.toml found upwards)."
        ),
    ] = None,
    config_from: Annotated[
        Optional[str],
        typer.Option(
            "--config-from",
            metavar="REV",
            help="Read the config, its waivers and policies from this git revision and report changes to them.",
        ),
    ] = None,
    baseline: Annotated[
        Optional[Path],
        typer.Option(
            help="Baseline file: report only findings it does not record (default: the config's baseline)."
        ),
    ] = None,
    write_baseline: Annotated[
        bool,
        typer.Option(
            "--write-baseline",
            help="Record the current findings in the baseline file and exit 0.",
        ),
    ] = False,
    policy: Annotated[
        Optional[list[str]],
        typer.Option(help="Folder or file of extra policies; repeatable."),
    ] = None,
    jobs: Annotated[
        int, typer.Option(help="Worker processes for large repositories.", min=1)
    ] = 1,
    report_only: Annotated[
        bool,
        typer.Option(
            "--changed-only",
            help="Report only the named files; load the rest of the repository for references (pre-commit).",
        ),
    ] = False,
    cache_dir: Annotated[
        Optional[str],
        typer.Option(
            "--cache-dir",
            help="Folder for parsed files kept between runs (default: .slacheck_cache in the current folder).",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Neither read nor write the cache, as on a fresh CI checkout.",
        ),
    ] = False,
) -> None:
    """Check definition files for schema, reference and structural mistakes."""
    from slacheck.commands.lintcmd import lint_command

    code = lint_command(
        paths=paths,
        fmt=fmt,
        output=output,
        select=select,
        ignore=ignore,
        fail_on=fail_on,
        config=config,
        config_from=config_from,
        baseline=baseline,
        write_baseline=write_baseline,
        policy=policy,
        jobs=jobs,
        report_only=report_only,
        cache_dir=cache_dir,
        no_cache=no_cache,
    )
    raise typer.Exit(code)


@app.command()
def rules(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """List every finding code with its severity and summary."""
    from slacheck.commands.catalogue import list_rules

    typer.echo(list_rules(fmt), nl=False)


@app.command()
def explain(
    code: Annotated[
        str, typer.Argument(help="A code such as SC201, or a policy rule id.")
    ],
    policy: Annotated[
        Optional[list[str]],
        typer.Option(help="Folder or file of extra policies to search; repeatable."),
    ] = None,
    config: Annotated[
        Optional[Path],
        typer.Option(
            help="Config file whose policy folders to search (default: found upwards)."
        ),
    ] = None,
) -> None:
    """Print a rule's documentation: why it matters and examples."""
    from slacheck.commands.catalogue import explain_rule

    typer.echo(explain_rule(code, policies=policy or [], config=config), nl=False)


@app.command()
def schema(
    kind: Annotated[
        str, typer.Argument(help="Service, SLI, SLO, SLA, KPI, ... (case-insensitive).")
    ],
    api_version: Annotated[
        str, typer.Option("--api-version", help="slacheck/v1 or openslo/v1.")
    ] = "slacheck/v1",
) -> None:
    """Print the JSON Schema of a document kind."""
    from slacheck.commands.catalogue import print_schema

    typer.echo(print_schema(kind, api_version), nl=False)


# Commands added by optional modules: each defines ``register(app)``.
_COMMAND_MODULES = ("evaluate", "policytest", "report", "diff", "configcmd")

for _name in _COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"slacheck.commands.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"slacheck.commands.{_name}":
            raise
        continue
    _module.register(app)


def main() -> None:
    """Run the Typer application and map errors to exit codes."""
    start_command_process()
    escape_unencodable_output()
    try:
        check_working_folder()
        status = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("slacheck: aborted", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code") and not isinstance(
            exc, UsageError
        ):
            # Click's usage errors (Typer vendors Click): bad option, missing argument.
            exc.show()
            sys.exit(EXIT_USAGE)
        sys.exit(failure_status(exc, _STATE["verbose"]))
    except KeyboardInterrupt as exc:
        sys.exit(failure_status(exc, _STATE["verbose"]))
    sys.exit(status if isinstance(status, int) else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
