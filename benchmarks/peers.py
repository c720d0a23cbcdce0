"""The reference tools: the C loader alone, check-jsonschema and yamllint.

check-jsonschema and yamllint are installed into the benchmark's own virtual
environment under ``benchmarks/.work/venv`` (pinned in ``requirements.txt``),
so the runs do not depend on what else is installed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
COMPOSE_SCRIPT = HERE / "compose.py"


def ensure_venv(work: Path) -> Path:
    """Create the peers' virtual environment once; return its bin folder."""
    venv = work / "venv"
    stamp = venv / "requirements.txt"
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return venv / "bin"
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return venv / "bin"


def bundle_schemas(schemas: Path, out: Path) -> dict[str, Path]:
    """Write one self-contained schema per kind; return {kind file stem: path}.

    The kind schemas refer to ``common.json``. check-jsonschema resolves such
    a reference again for every file it checks, which makes it several times
    slower, so each kind gets the shared definitions inlined: the fastest
    setup for the peer, and the same rules.
    """
    out.mkdir(parents=True, exist_ok=True)
    common = json.loads((schemas / "common.json").read_text(encoding="utf-8"))
    bundled: dict[str, Path] = {}
    for path in sorted(schemas.glob("*.json")):
        if path.name == "common.json":
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema.pop("$id", None)
        schema = _rewrite_refs(schema, "common.json#/$defs/", "#/$defs/common--")
        definitions = schema.setdefault("$defs", {})
        for name, body in common.get("$defs", {}).items():
            definitions[f"common--{name}"] = _rewrite_refs(
                body, "#/$defs/", "#/$defs/common--"
            )
        target = out / path.name
        target.write_text(json.dumps(schema), encoding="utf-8")
        bundled[path.stem] = target
    return bundled


def _rewrite_refs(node: Any, prefix: str, replacement: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(prefix):
                value = replacement + value[len(prefix):]
            out[key] = _rewrite_refs(value, prefix, replacement)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, prefix, replacement) for item in node]
    return node


def check_jsonschema_commands(
    bin_dir: Path, bundled: dict[str, Path], files_by_kind: dict[str, list[Path]]
) -> list[list[str]]:
    """One check-jsonschema command per kind, since it takes one schema a run."""
    commands = []
    for kind, files in sorted(files_by_kind.items()):
        schema = bundled[kind.lower()]
        commands.append(
            [str(bin_dir / "check-jsonschema"), "--schemafile", str(schema)]
            + [str(f) for f in files]
        )
    return commands


def yamllint_command(bin_dir: Path, files: list[Path]) -> list[str]:
    """yamllint with its default rules, which is how most repos run it."""
    return [str(bin_dir / "yamllint"), "--no-warnings", *(str(f) for f in files)]


def compose_command(file_list: Path, *, keep: bool = False) -> list[str]:
    command = [sys.executable, str(COMPOSE_SCRIPT), str(file_list)]
    return [*command, "--keep"] if keep else command
