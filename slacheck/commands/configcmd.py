"""``slacheck config``: print the effective configuration and its sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from slacheck.console import UsageError


def register(app: typer.Typer) -> None:
    app.command("config")(config_command)


def config_command(
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
            help="Read the config from this git revision.",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Print the effective configuration and where each value comes from."""
    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt!r} is invalid; use text or json")
    typer.echo(show_config(config, config_from, fmt), nl=False)


def show_config(path: Path | None, config_from: str | None, fmt: str) -> str:
    """Load the config the way ``lint`` does and render every key."""
    from slacheck.config import apply_config
    from slacheck.settings import LintSettings

    settings = LintSettings(config_from=config_from)
    loaded = apply_config(settings, path)
    rows = effective_rows(loaded)
    changes = [f"{f.path}:{f.line}: {f.message}" for f in settings.config_findings]
    source = loaded.file.shown if loaded is not None else None
    if fmt == "json":
        return _json(source, rows, changes)
    return _text(source, rows, changes)


def effective_rows(loaded: Any) -> list[tuple[str, Any, str]]:
    """List (key, value, origin) for every accepted key, in a stable order."""
    from slacheck.configkeys import KEYS, default_values

    defaults = default_values()
    rows = []
    for key in KEYS:
        if loaded is not None and key in loaded.values:
            rows.append((key, loaded.values[key], loaded.origins[key]))
        else:
            rows.append((key, defaults[key], "default"))
    return rows


def _text(
    source: str | None, rows: list[tuple[str, Any, str]], changes: list[str]
) -> str:
    from slacheck.configkeys import display_value

    header = f"# configuration file: {source}" if source else "# no configuration file"
    lines = [header]
    width = max(len(key) for key, _, _ in rows) + 1
    shown = [
        (
            f"{key}:",
            str(len(value)) if key == "waivers" else display_value(value),
            origin,
        )
        for key, value, origin in rows
    ]
    value_width = min(max(len(text) for _, text, _ in shown), 40)
    for (label, text, origin), (key, value, _) in zip(shown, rows, strict=True):
        lines.append(f"{label:<{width}} {text:<{value_width}}  # {origin}")
        if key == "waivers":
            lines.extend(f"  - {display_value(w)}" for w in value)
    if changes:
        lines.append("# changes in the working tree that this run does not use:")
        lines.extend(f"#   {change}" for change in changes)
    return "\n".join(lines) + "\n"


def _json(
    source: str | None, rows: list[tuple[str, Any, str]], changes: list[str]
) -> str:
    data = {
        "file": source,
        "settings": {
            key: {"value": _plain(value), "source": origin}
            for key, value, origin in rows
        },
        "changes": changes,
    }
    return json.dumps(data, indent=2) + "\n"


def _plain(value: Any) -> Any:
    from slacheck.waivers import Waiver

    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Waiver):
        return {
            "code": value.code,
            "document": f"{value.kind}/{value.name}" if value.kind else value.name,
            "path": value.path,
            "owner": value.owner,
            "until": value.until.isoformat(),
            "reason": value.reason,
            "source": f"{value.source}:{value.line}",
        }
    if value is None or type(value) in (bool, int):
        return value
    return str(value)  # Severity, Decimal and paths read best as text
