"""Command-line interface: turns options into settings and calls the core.

Exit codes: 0 no finding at or above ``--fail-on``; 1 such findings (files
that cannot be read or parsed included); 2 usage error or invalid
configuration; 3 internal error (a bug: please report it).
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from slacheck import __version__

if TYPE_CHECKING:
    from slacheck.findings import Severity

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
# Where lint keeps parsed files between runs; kept in sync with slacheck.cache.
DEFAULT_CACHE_DIR = ".slacheck_cache"

app = typer.Typer(
    name="slacheck",
    help="Lint and evaluate SLA, SLO, SLI and KPI definitions kept as code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

log = logging.getLogger("slacheck")


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


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
    level = (
        logging.WARNING
        if verbose == 0
        else logging.INFO
        if verbose == 1
        else logging.DEBUG
    )
    logging.basicConfig(
        level=level, format="slacheck: %(levelname)s: %(message)s", stream=sys.stderr
    )
    _STATE["verbose"] = verbose


_STATE: dict[str, int] = {"verbose": 0}

CodesOption = Annotated[
    Optional[list[str]],
    typer.Option(
        help="Codes or code prefixes, comma-separated or repeated (SC2 means SC200-SC299)."
    ),
]


def split_codes(values: list[str] | None) -> list[str]:
    codes: list[str] = []
    for value in values or []:
        codes.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return codes


def parse_severity(text: str, option: str) -> Severity:
    from slacheck.findings import Severity

    try:
        return Severity.parse(text)
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is invalid; use error, warning or info"
        ) from None


def emit(text: str, output: Path | None, summary: str) -> None:
    """Write a report to stdout, or to ``output`` with the summary on the terminal."""
    if output is None:
        sys.stdout.write(text)
        if summary:
            typer.echo(summary, err=True)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # A file name that is not valid UTF-8 reaches Python as surrogates.
        output.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise UsageError(
            f"cannot write --output {str(output)!r}: {exc.strerror or exc}"
        ) from None
    if summary:
        typer.echo(summary)


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
    from slacheck.commands.lintcmd import run_lint

    code = run_lint(
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
    """Console entry point: run the app and map errors to exit codes."""
    _escape_unencodable_output()
    try:
        status = app(standalone_mode=False)
    except UsageError as exc:
        typer.echo(f"slacheck: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("slacheck: aborted", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        typer.echo("slacheck: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # last resort: one line, not a traceback
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            # Click's usage errors (Typer vendors Click): bad option, missing argument.
            exc.show()
            sys.exit(EXIT_USAGE)
        if _STATE["verbose"] >= 2:
            raise
        typer.echo(
            f"slacheck: internal error: {type(exc).__name__}: {exc} (run with -vv for the traceback)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(status if isinstance(status, int) else EXIT_OK)


def _escape_unencodable_output() -> None:
    """Write characters the terminal cannot encode as escapes, not crash.

    File names that are not valid UTF-8 and an ASCII-only terminal
    (PYTHONIOENCODING=ascii) would otherwise raise UnicodeEncodeError.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


if __name__ == "__main__":  # pragma: no cover
    main()
