"""Locate the schemas and policies shipped with slacheck.

An installed wheel carries them inside the package (``slacheck/_data``); a
source checkout or editable install reads the top-level folders, which are
the only copies in the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"slacheck's {name}/ folder is missing from the installation; reinstall slacheck"
    )


def schemas_dir() -> Path:
    return data_dir("schemas")


def policies_dir() -> Path:
    return data_dir("policies")
