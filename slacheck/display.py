"""Show values from definition files inside one-line messages.

A definition file may hold a name of a million characters or a number such
as ``1e999999999``. Messages quote such values clipped, and numbers are
written without expanding their exponent, so a finding stays one short line.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

# Characters of a value that a message quotes before clipping it.
MAX_SHOWN = 80
# Numbers from 1e-21 to below 1e21 are written out in full, others in
# scientific notation. The bound is a choice: wide enough for any count or
# amount in a definition, narrow enough for a one-line message.
_PLAIN_EXPONENT = 21
_SIGNIFICANT_SHOWN = 6
# More significant digits than Decimal's default precision of 28 come only
# from a file, and are cut like large exponents.
_MAX_PLAIN_DIGITS = 30


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """Cut ``text`` to ``limit`` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def quote(text: str, limit: int = MAX_SHOWN) -> str:
    """Quote a string as Python's repr does, clipped to ``limit`` characters."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


def describe_value(value: Any) -> str:
    """Describe a YAML value as the file spells it: true, the number 5, 'text'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, (int, Decimal)):
        return f"the number {number_text(value)}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return quote(value)
    return clip(repr(value))


def number_text(value: int | Decimal) -> str:
    """Write a number the way a reader expects, in at most about 70 characters.

    Decimal context arithmetic is avoided on purpose: ``normalize`` or
    ``quantize`` raise on exponents beyond the context's limits.
    """
    if isinstance(value, int):
        if value.bit_length() <= 64:
            return str(value)
        # str() of an int over 4300 digits raises; Decimal() converts any int.
        value = Decimal(value)
    if not value.is_finite():
        return str(value)
    adjusted = value.adjusted()
    plain = -_PLAIN_EXPONENT <= adjusted < _PLAIN_EXPONENT
    if plain and len(value.as_tuple().digits) <= _MAX_PLAIN_DIGITS:
        return format(value, "f")
    return _scientific(value)


def _scientific(value: Decimal) -> str:
    """Write ``value`` as ``-1.23456...E+999999999``, cut to a few digits."""
    if value.is_zero():
        return "0"
    sign, digits, _ = value.as_tuple()
    head = "".join(str(digit) for digit in digits[:_SIGNIFICANT_SHOWN])
    cut = any(digits[_SIGNIFICANT_SHOWN:])
    if not cut:
        head = head.rstrip("0") or "0"
    mantissa = head[0] + ("." + head[1:] if len(head) > 1 else "")
    if cut:
        mantissa += "..."
    return f"{'-' if sign else ''}{mantissa}E{value.adjusted():+d}"


def close_matches(
    word: str, choices: Iterable[str], *, n: int = 1, cutoff: float = 0.6
) -> list[str]:
    """Return the choices nearest ``word``, best first, as difflib ranks them.

    difflib is imported here, on first use: most runs suggest nothing.
    """
    import difflib

    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)


def similarity(first: str, second: str) -> float:
    """Return difflib's similarity ratio of two texts, from 0 to 1."""
    import difflib

    return difflib.SequenceMatcher(None, first, second).ratio()
