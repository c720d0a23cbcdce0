"""Exit codes, errors and output that every command shares, without Typer.

The Typer application in :mod:`slacheck.cli` and the quick ``lint`` entry
in :mod:`slacheck.entry` both use these, so a lint run started by
pre-commit does not pay for importing Typer.

Exit codes: 0 no finding at or above ``--fail-on``; 1 such findings (files
that cannot be read or parsed included); 2 usage error or invalid
configuration; 3 internal error (a bug: please report it).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slacheck.findings import Severity

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


# True in a process started as the slacheck command, which exits when the
# command ends; False when slacheck is imported as a library.
_command_process = False


def start_command_process() -> None:
    """Note that this process runs one command and then exits."""
    global _command_process
    _command_process = True


def is_command_process() -> bool:
    return _command_process


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def say(text: str, *, err: bool = False) -> None:
    """Print one message line to stdout, or to stderr with ``err``."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # started with the stream closed (>&-)
        return
    stream.write(f"{text}\n")
    stream.flush()


def check_working_folder() -> None:
    """Raise :class:`UsageError` when the current folder no longer exists.

    Paths are shown relative to it and the config is searched from it, so
    a shell left in a deleted folder would otherwise end in a traceback.
    """
    try:
        os.getcwd()
    except OSError as exc:
        raise UsageError(
            f"the current folder cannot be read ({exc.strerror or exc}); "
            "change to an existing folder"
        ) from None


def configure_logging(verbose: int) -> None:
    """Log warnings, or more with ``-v`` (info) and ``-vv`` (debug), to stderr."""
    level = logging.WARNING
    if verbose == 1:
        level = logging.INFO
    elif verbose >= 2:
        level = logging.DEBUG
    logging.basicConfig(
        level=level, format="slacheck: %(levelname)s: %(message)s", stream=sys.stderr
    )


def escape_unencodable_output() -> None:
    """Write characters the terminal cannot encode as escapes, not crash.

    File names that are not valid UTF-8 and an ASCII-only terminal
    (PYTHONIOENCODING=ascii) would otherwise raise UnicodeEncodeError.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # None when closed
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def failure_status(exc: BaseException, verbose: int) -> int:
    """Print one line for an exception that ended a command; return its exit code.

    With ``-vv`` an internal error is raised again, so its traceback shows.
    """
    if isinstance(exc, UsageError):
        say(f"slacheck: error: {exc}", err=True)
        return EXIT_USAGE
    if isinstance(exc, KeyboardInterrupt):
        say("slacheck: interrupted", err=True)
        return EXIT_INTERRUPTED
    if not isinstance(exc, Exception) or verbose >= 2:
        raise exc
    say(
        f"slacheck: internal error: {type(exc).__name__}: {exc} "
        "(run with -vv for the traceback)",
        err=True,
    )
    return EXIT_INTERNAL


def split_codes(values: list[str] | None) -> list[str]:
    """Turn repeated, comma-separated ``--select`` values into upper-case codes."""
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
        if sys.stdout is None:
            message = "standard output is closed; write the report with --output FILE"
            raise UsageError(message)
        sys.stdout.write(text)
        if summary:
            say(summary, err=True)
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
        say(summary)
