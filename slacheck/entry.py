"""Console entry point: plain ``slacheck lint`` calls skip loading Typer.

pre-commit starts slacheck once per commit to lint a few files. Most of
such a short run went into the command line itself. Importing Typer and
pydantic, and Typer building a pydantic validator for every option on
every call, took about 0.2 s, more than linting a file with a warm cache. So this module reads ``lint`` arguments that use only the options
in :data:`LINT_OPTIONS`, in their common spellings, and calls the same
function the Typer command calls. Anything else (help, a global option
such as ``-v``, another command, a short option with its value attached,
a value that looks like an option, an invalid number) goes to the Typer
application in :mod:`slacheck.cli`, which parses it and reports errors as
always. ``tests/test_entry.py`` checks that the table matches the Typer
command and that both read the same arguments the same way.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

# Spelling -> (parameter of slacheck.commands.lintcmd.lint_command, what it takes).
# "flag" takes no value, "text" and "path" one value (the last one given
# wins), "texts" one value per use, "count" a whole number of at least 1.
LINT_OPTIONS: dict[str, tuple[str, str]] = {
    "--format": ("fmt", "text"),
    "-f": ("fmt", "text"),
    "--output": ("output", "path"),
    "-o": ("output", "path"),
    "--select": ("select", "texts"),
    "--ignore": ("ignore", "texts"),
    "--fail-on": ("fail_on", "text"),
    "--config": ("config", "path"),
    "--config-from": ("config_from", "text"),
    "--baseline": ("baseline", "path"),
    "--write-baseline": ("write_baseline", "flag"),
    "--policy": ("policy", "texts"),
    "--jobs": ("jobs", "count"),
    "--changed-only": ("report_only", "flag"),
    "--cache-dir": ("cache_dir", "text"),
    "--no-cache": ("no_cache", "flag"),
}

LINT_DEFAULTS: dict[str, Any] = {
    "paths": None,
    "fmt": "text",
    "output": None,
    "select": None,
    "ignore": None,
    "fail_on": None,
    "config": None,
    "config_from": None,
    "baseline": None,
    "write_baseline": False,
    "policy": None,
    "jobs": 1,
    "report_only": False,
    "cache_dir": None,
    "no_cache": False,
}

# Whole numbers Typer reads the same way; anything else goes to Typer.
_COUNT = re.compile(r"[1-9][0-9]{0,5}")


class _NotPlain(Exception):
    """The arguments need the Typer application."""


def read_lint_arguments(argv: list[str]) -> dict[str, Any] | None:
    """Return lint_command's keyword arguments for ``argv``, or None.

    ``argv`` comes without the program name. None means the arguments are
    not a plain ``lint`` call and Typer should read them.
    """
    if not argv or argv[0] != "lint":
        return None
    try:
        return _read(argv[1:])
    except _NotPlain:
        return None


def _read(args: list[str]) -> dict[str, Any]:
    values = dict(LINT_DEFAULTS)
    paths: list[str] = []
    position = 0
    while position < len(args):
        token = args[position]
        position += 1
        if token == "--":
            paths.extend(args[position:])
            break
        if not token.startswith("-"):
            paths.append(token)
            continue
        spelling, attached = token, None
        if token.startswith("--") and "=" in token:
            spelling, attached = token.split("=", 1)
        known = LINT_OPTIONS.get(spelling)
        if known is None:
            raise _NotPlain
        name, takes = known
        if takes == "flag":
            if attached is not None:
                raise _NotPlain
            values[name] = True
            continue
        if attached is None:
            if position >= len(args) or args[position].startswith("-"):
                raise _NotPlain
            attached = args[position]
            position += 1
        values[name] = _value(values[name], attached, takes)
    values["paths"] = paths or None
    return values


def _value(current: Any, text: str, takes: str) -> Any:
    if takes == "texts":
        return [*(current or []), text]
    if takes == "path":
        return Path(text)
    if takes == "count":
        if _COUNT.fullmatch(text) is None:
            raise _NotPlain
        return int(text)
    return text


def main() -> None:
    """Run ``slacheck``: plain lint calls directly, everything else through Typer."""
    from slacheck.console import start_command_process

    start_command_process()
    options = read_lint_arguments(sys.argv[1:])
    if options is None:
        from slacheck.cli import main as typer_main

        typer_main()
        return
    from slacheck.console import (
        check_working_folder,
        configure_logging,
        escape_unencodable_output,
        failure_status,
    )

    escape_unencodable_output()
    configure_logging(0)
    try:
        check_working_folder()
        from slacheck.commands.lintcmd import lint_command

        status = lint_command(**options)
    except (Exception, KeyboardInterrupt) as exc:
        status = failure_status(exc, 0)
    sys.exit(status)
