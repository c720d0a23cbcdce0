"""Read plain YAML scalars by the YAML 1.2 core schema, and compare with YAML 1.1.

slacheck reads ``no``, ``on``, ``1:30`` and unquoted dates as strings, as
YAML 1.2 does, but PyYAML and many other tools read them by YAML 1.1 rules.
The functions here resolve a scalar and name a difference between the two
readings, which the loader reports as a warning.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from slacheck.display import number_text, quote

# Plain numbers longer than this, or with a decimal exponent beyond
# MAX_NUMBER_EXPONENT either way, stay text. No definition field needs them,
# Python cannot print an int of over 4300 digits, and Decimal arithmetic
# raises on exponents such as 1e999999999.
MAX_NUMBER_CHARS = 100
MAX_NUMBER_EXPONENT = 100
OVERSIZED_NUMBER = (
    "a number too large or too long to read; slacheck reads numbers of up to "
    f"{MAX_NUMBER_CHARS} characters with exponents from -{MAX_NUMBER_EXPONENT} "
    f"to {MAX_NUMBER_EXPONENT}"
)

TAG_STR = "tag:yaml.org,2002:str"
TAG_INT = "tag:yaml.org,2002:int"
TAG_FLOAT = "tag:yaml.org,2002:float"
TAG_BOOL = "tag:yaml.org,2002:bool"
TAG_NULL = "tag:yaml.org,2002:null"
TAG_MAP = "tag:yaml.org,2002:map"
TAG_SEQ = "tag:yaml.org,2002:seq"
TAG_MERGE = "tag:yaml.org,2002:merge"
TAG_TIMESTAMP = "tag:yaml.org,2002:timestamp"

# YAML 1.2.2, section 10.3.2 (core schema tag resolution).
_CORE_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_CORE_TRUE = frozenset({"true", "True", "TRUE"})
_CORE_FALSE = frozenset({"false", "False", "FALSE"})
_CORE_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_CORE_INT8 = re.compile(r"0o[0-7]+\Z")
_CORE_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_CORE_NUMBERS = (_CORE_INT10, _CORE_INT8, _CORE_INT16, _CORE_FLOAT)
# The four patterns above in one, tried in the same order, so that text
# which is no number (most values) costs one match instead of four.
_CORE_NUMBER = re.compile(
    "|".join(
        f"(?P<{name}>{pattern.pattern})"
        for name, pattern in zip(
            ("int10", "int8", "int16", "float"), _CORE_NUMBERS, strict=True
        )
    )
)
_LEADING_ZERO_INT = re.compile(r"[-+]?0[0-9]+\Z")


def yaml11_reading(implicit: str, text: str, value: Any) -> str | None:
    """Name what a YAML 1.1 tool reads a plain scalar as, when that differs.

    ``implicit`` is PyYAML's YAML 1.1 tag for the scalar and ``value`` what
    the YAML 1.2 core schema gave; None means both readings agree.
    """
    if implicit == TAG_BOOL and not isinstance(value, bool):
        return "a boolean"
    if implicit == TAG_TIMESTAMP:
        return "a date or timestamp"
    if implicit in (TAG_INT, TAG_FLOAT) and isinstance(value, str):
        return "a number"
    if implicit == TAG_INT and _LEADING_ZERO_INT.match(text):
        return "an octal number"
    if implicit == TAG_STR and not isinstance(value, str):
        return "a string"  # 0o17 and 1e3 are numbers only in YAML 1.2
    return None


def yaml11_message(text: str, value: Any, reading: str) -> str:
    shown = quote(text)
    if isinstance(value, str) and text.lstrip("+-").lower() in (".inf", ".nan"):
        return (
            f"plain value {shown} is read as the string {shown} here, but as "
            "a number by YAML 1.1 and YAML 1.2 tools; quote it"
        )
    if isinstance(value, str):
        return (
            f"plain value {shown} is read as the string {quote(value)} here "
            f"(YAML 1.2) but as {reading} by YAML 1.1 tools; quote it"
        )
    fix = "drop the leading zero or quote it"
    if reading == "a string":
        fix = f"write {_yaml11_number(value)} or quote it"
    return (
        f"plain value {shown} is read as the number {number_text(value)} here "
        f"(YAML 1.2) but as {reading} by YAML 1.1 tools; {fix}"
    )


def _yaml11_number(value: int | Decimal) -> str:
    """Spell a number so that YAML 1.1 and 1.2 tools both read it as one.

    A short number is written out in full. A long one gets the form that
    YAML 1.1 needs for an exponent, with a decimal point and a sign (1.0e+50).
    """
    shown = number_text(value)
    if isinstance(value, int) or ("E" not in shown and "..." not in shown):
        return shown
    sign, digits, _ = value.as_tuple()
    rest = "".join(str(digit) for digit in digits[1:]).rstrip("0") or "0"
    return f"{'-' if sign else ''}{digits[0]}.{rest}e{value.adjusted():+d}"


def resolve_core(text: str) -> Any:
    """Resolve a plain scalar by the YAML 1.2 core schema.

    Numbers beyond :data:`MAX_NUMBER_CHARS` or :data:`MAX_NUMBER_EXPONENT`
    stay text, so that the schema reports them in their field.
    """
    if text in _CORE_NULL:
        return None
    if text in _CORE_TRUE:
        return True
    if text in _CORE_FALSE:
        return False
    if len(text) > MAX_NUMBER_CHARS:
        return text
    match = _CORE_NUMBER.match(text)
    if match is None:
        return text
    if match.group("int10") is not None:
        return int(text)
    if match.group("int8") is not None:
        return int(text[2:], 8)
    if match.group("int16") is not None:
        return int(text[2:], 16)
    number = Decimal(text)
    if abs(number.adjusted()) > MAX_NUMBER_EXPONENT:
        return text
    return number
    # Infinity and NaN (".inf", ".nan") stay strings: no definition field
    # takes them, and a string makes the schema error name the field.
    return text


def is_oversized_number(text: str) -> bool:
    """Tell whether ``text`` is a YAML 1.2 number that slacheck keeps as text."""
    if not any(pattern.match(text) for pattern in _CORE_NUMBERS):
        return False
    return isinstance(resolve_core(text), str)
