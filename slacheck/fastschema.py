"""A compiled yes-or-no check of JSON Schema validity, used before jsonschema.

jsonschema walks the schema for every document, resolving each ``$ref``
through the registry and creating a validator object per step, which costs
about a millisecond per definition. Most definitions are valid, and for a
valid one no error needs describing, so :func:`compile_check` turns a schema
into nested closures that only return whether a value is valid. Only when
the result is not a clear yes does :mod:`slacheck.schema` run jsonschema to collect the errors,
so the findings are the ones jsonschema gives in every case.

The closures follow jsonschema's Draft 2020-12 semantics keyword by keyword.
Where an exact result would need more than this module implements (a keyword
it does not know, a float that might be integral, ``uniqueItems`` over
non-string items), a check raises :class:`Unsure`, and the caller treats the
document as possibly invalid. A check therefore never says "valid" for a
document jsonschema rejects, nor "invalid" for one it accepts unless it is
unsure; negated branches (``not``, ``oneOf``, ``if``) rely on that.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping, Sized
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

Check = Callable[[Any], bool]


class Unsure(Exception):
    """A check cannot compute jsonschema's exact result for this value."""


# Keywords that carry no assertion in Draft 2020-12 (annotations, identifiers
# and containers). Keys starting with "x-" are ignored the same way, because
# jsonschema ignores keywords it does not know.
_ANNOTATIONS = frozenset(
    {
        "$schema", "$id", "$anchor", "$comment", "$defs", "definitions",
        "$vocabulary", "$dynamicAnchor", "title", "description", "default",
        "examples", "deprecated", "readOnly", "writeOnly", "contentEncoding",
        "contentMediaType", "contentSchema", "then", "else",
    }
)


def _unsure(_value: Any) -> bool:
    raise Unsure


def _always(_value: Any) -> bool:
    return True


def _never(_value: Any) -> bool:
    return False


def _is_number(value: Any) -> bool:
    kind = type(value)
    if kind is int or kind is Decimal or kind is float:
        return True  # the loader's numbers, without the slower ABC check
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        raise Unsure  # jsonschema counts an integral float as an integer
    return False


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": _is_integer,
}


@dataclass(frozen=True)
class Resolved:
    """The schema a ``$ref`` names, and the resolver for references inside it."""

    contents: Any
    resolver: Resolver


@dataclass(frozen=True)
class Resolver:
    """Resolve ``$ref`` among local schemas known by their ``$id``.

    Only what slacheck's schemas use is handled: a URI relative to the
    current base, and a JSON pointer after ``#``. Anything else (anchors,
    an unknown URI) raises, the keyword compiles to "not sure", and
    jsonschema decides. Nothing is ever fetched.
    """

    documents: Mapping[str, Any]
    base: str
    root: Any

    def lookup(self, ref: str) -> Resolved:
        uri, fragment = urldefrag(urljoin(self.base, ref))
        if uri in ("", self.base):
            document = self.root
        else:
            document = self.documents[uri]  # KeyError: not a local schema
        return Resolved(_pointer(document, fragment), Resolver(self.documents, uri, document))

    def in_subresource(self, schema: Mapping[str, Any]) -> Resolver:
        """Return the resolver inside a schema that sets its own ``$id``."""
        uri = urldefrag(urljoin(self.base, str(schema["$id"])))[0]
        return Resolver(self.documents, uri, schema)


def _pointer(document: Any, fragment: str) -> Any:
    """Follow a JSON pointer (RFC 6901) written in a URI fragment."""
    if fragment == "":
        return document
    if not fragment.startswith("/"):
        raise LookupError(f"anchor references are not supported: #{fragment}")
    target = document
    for raw in fragment[1:].split("/"):
        part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(target, list):
            target = target[int(part)]
        else:
            target = target[part]
    return target


class Compiler:
    """Compile schemas reachable from one resolver into checks, memoised by URI.

    ``formats`` maps a format name to its check; a format not named there
    compiles to "not sure".
    """

    def __init__(self, formats: Mapping[str, Check]) -> None:
        self.formats = formats
        self.compiled: dict[int, Check] = {}

    def compile_ref(self, resolver: Resolver, ref: str) -> Check:
        resolved = resolver.lookup(ref)
        # The registry keeps every schema alive, so its id names it for the run.
        key = id(resolved.contents)
        found = self.compiled.get(key)
        if found is not None:
            return found
        # A recursive schema refers to itself: hand out a forwarder first.
        cell: list[Check] = []
        self.compiled[key] = lambda value: cell[0](value)
        check = self.compile(resolved.contents, resolved.resolver)
        cell.append(check)
        self.compiled[key] = check
        return check

    def compile(self, schema: Any, resolver: Resolver) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, Mapping):
            return _unsure
        if "$id" in schema:
            # As jsonschema does: a nested $id changes the base of relative $refs.
            resolver = resolver.in_subresource(schema)
        checks = [
            self._keyword(name, schema, resolver)
            for name in schema
            if name not in _ANNOTATIONS and not name.startswith("x-")
        ]
        checks = [check for check in checks if check is not _always]
        return _all_of(checks)

    def _keyword(self, name: str, schema: Mapping[str, Any], resolver: Resolver) -> Check:
        builder = _KEYWORDS.get(name)
        if builder is None:
            return _unsure
        try:
            return builder(self, schema[name], schema, resolver)
        except Exception:  # noqa: BLE001 (a malformed schema or an unresolvable $ref)
            # jsonschema reports or raises the problem when it runs instead.
            return _unsure


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    frozen = tuple(checks)

    def check(value: Any) -> bool:
        for each in frozen:
            if not each(value):
                return False
        return True

    return check


# A keyword's compiler: (compiler, keyword value, whole schema, resolver).
Builder = Callable[..., Check]


def _type(_c: Compiler, wanted: Any, _s: Mapping[str, Any], _r: Resolver) -> Check:
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    tests = tuple(_TYPES[name] for name in names)  # KeyError: unknown type
    if len(tests) == 1:
        return tests[0]

    def check(value: Any) -> bool:
        for test in tests:
            if test(value):
                return True
        return False

    return check


def _equal_to_any(members: list[Any]) -> Check:
    """Match jsonschema's ``equal`` for string and boolean members only."""
    strings = frozenset(m for m in members if isinstance(m, str))
    flags = tuple(m for m in members if isinstance(m, bool))
    if len(strings) + len(flags) != len(members):
        return _unsure
    # A string equals only the same string; True and False only themselves.
    return lambda value: (isinstance(value, str) and value in strings) or any(
        value is flag for flag in flags
    )


def _enum(_c: Compiler, members: Any, _s: Mapping[str, Any], _r: Resolver) -> Check:
    return _equal_to_any(list(members))


def _const(_c: Compiler, member: Any, _s: Mapping[str, Any], _r: Resolver) -> Check:
    return _equal_to_any([member])


def _properties(
    compiler: Compiler, properties: Any, schema: Mapping[str, Any], resolver: Resolver
) -> Check:
    known = {name: compiler.compile(sub, resolver) for name, sub in properties.items()}
    if "additionalProperties" in schema or "patternProperties" in schema:
        return _object_members(compiler, known, schema, resolver)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for name, item in value.items():
            sub = known.get(name)
            if sub is not None and not sub(item):
                return False
        return True

    return check


def _object_members(
    compiler: Compiler,
    known: dict[str, Check],
    schema: Mapping[str, Any],
    resolver: Resolver,
) -> Check:
    """Check properties, patternProperties and additionalProperties in one pass."""
    patterns = [
        (re.compile(pattern), compiler.compile(sub, resolver))
        for pattern, sub in (schema.get("patternProperties") or {}).items()
    ]
    extra = compiler.compile(schema.get("additionalProperties", True), resolver)
    if not patterns and extra is _never:
        return _closed_object(known)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for name, item in value.items():
            sub = known.get(name)
            if sub is not None and not sub(item):
                return False
            matched = False
            for pattern, pattern_check in patterns:
                if pattern.search(name):
                    matched = True
                    if not pattern_check(item):
                        return False
            if sub is None and not matched and not extra(item):
                return False
        return True

    return check


def _closed_object(known: dict[str, Check]) -> Check:
    """Check an object that allows only the named properties, the usual case."""

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for name, item in value.items():
            sub = known.get(name)
            if sub is None or not sub(item):
                return False
        return True

    return check


def _additional(
    compiler: Compiler, _v: Any, schema: Mapping[str, Any], resolver: Resolver
) -> Check:
    if "properties" in schema:
        return _always  # checked together with properties
    return _object_members(compiler, {}, schema, resolver)


def _pattern_properties(
    compiler: Compiler, _v: Any, schema: Mapping[str, Any], resolver: Resolver
) -> Check:
    if "properties" in schema or "additionalProperties" in schema:
        return _always  # checked together with the other member keywords
    return _object_members(compiler, {}, schema, resolver)


def _required(_c: Compiler, names: Any, _s: Mapping[str, Any], _r: Resolver) -> Check:
    required = frozenset(names)
    return lambda value: not isinstance(value, dict) or value.keys() >= required


def _dependent_required(
    _c: Compiler, table: Any, _s: Mapping[str, Any], _r: Resolver
) -> Check:
    pairs = tuple((name, tuple(needs)) for name, needs in table.items())

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for name, needs in pairs:
            if name in value and not all(n in value for n in needs):
                return False
        return True

    return check


def _size(limit: Any, kind: type[Sized], at_least: bool) -> Check:
    bound = int(limit)

    if at_least:
        return lambda value: not isinstance(value, kind) or len(value) >= bound
    return lambda value: not isinstance(value, kind) or len(value) <= bound


def _items(compiler: Compiler, items: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
    if "prefixItems" in schema or not isinstance(items, (Mapping, bool)):
        return _unsure
    sub = compiler.compile(items, resolver)

    def check(value: Any) -> bool:
        if isinstance(value, list):
            for item in value:
                if not sub(item):
                    return False
        return True

    return check


def _unique(_c: Compiler, flag: Any, _s: Mapping[str, Any], _r: Resolver) -> Check:
    if not flag:
        return _always

    def check(value: Any) -> bool:
        if not isinstance(value, list):
            return True
        if not all(isinstance(item, str) for item in value):
            raise Unsure  # jsonschema's equality differs from Python's for others
        return len(set(value)) == len(value)

    return check


def _pattern(_c: Compiler, text: Any, _s: Mapping[str, Any], _r: Resolver) -> Check:
    search = re.compile(text).search
    return lambda value: not isinstance(value, str) or search(value) is not None


def _bound(limit: Any, passes: Callable[[Any, Any], bool]) -> Check:
    if not _is_number(limit):
        return _unsure
    return lambda value: not _is_number(value) or passes(value, limit)


def _format(compiler: Compiler, name: Any, _s: Mapping[str, Any], _r: Resolver) -> Check:
    return compiler.formats.get(name, _unsure)


def _ref(compiler: Compiler, ref: Any, _s: Mapping[str, Any], resolver: Resolver) -> Check:
    # A recursive schema's target forwards to itself once compiled, so the
    # target can stand in for the $ref without a wrapper.
    return compiler.compile_ref(resolver, ref)


def _branches(compiler: Compiler, schemas: Any, resolver: Resolver) -> tuple[Check, ...]:
    return tuple(compiler.compile(sub, resolver) for sub in schemas)


def _all(compiler: Compiler, schemas: Any, _s: Mapping[str, Any], resolver: Resolver) -> Check:
    return _all_of(list(_branches(compiler, schemas, resolver)))


def _any(compiler: Compiler, schemas: Any, _s: Mapping[str, Any], resolver: Resolver) -> Check:
    branches = _branches(compiler, schemas, resolver)
    return lambda value: any(branch(value) for branch in branches)


def _one(compiler: Compiler, schemas: Any, _s: Mapping[str, Any], resolver: Resolver) -> Check:
    branches = _branches(compiler, schemas, resolver)
    return lambda value: sum(1 for branch in branches if branch(value)) == 1


def _not(compiler: Compiler, sub: Any, _s: Mapping[str, Any], resolver: Resolver) -> Check:
    inner = compiler.compile(sub, resolver)
    return lambda value: not inner(value)


def _if(compiler: Compiler, sub: Any, schema: Mapping[str, Any], resolver: Resolver) -> Check:
    condition = compiler.compile(sub, resolver)
    then = compiler.compile(schema.get("then", True), resolver)
    otherwise = compiler.compile(schema.get("else", True), resolver)
    return lambda value: then(value) if condition(value) else otherwise(value)


_KEYWORDS: dict[str, Builder] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "properties": _properties,
    "additionalProperties": _additional,
    "patternProperties": _pattern_properties,
    "required": _required,
    "dependentRequired": _dependent_required,
    "minProperties": lambda c, v, s, r: _size(v, dict, True),
    "maxProperties": lambda c, v, s, r: _size(v, dict, False),
    "minItems": lambda c, v, s, r: _size(v, list, True),
    "maxItems": lambda c, v, s, r: _size(v, list, False),
    "minLength": lambda c, v, s, r: _size(v, str, True),
    "maxLength": lambda c, v, s, r: _size(v, str, False),
    "items": _items,
    "uniqueItems": _unique,
    "pattern": _pattern,
    # Written as jsonschema words its failures: minimum fails on x < limit.
    "minimum": lambda c, v, s, r: _bound(v, lambda x, y: not x < y),
    "maximum": lambda c, v, s, r: _bound(v, lambda x, y: not x > y),
    "exclusiveMinimum": lambda c, v, s, r: _bound(v, lambda x, y: not x <= y),
    "exclusiveMaximum": lambda c, v, s, r: _bound(v, lambda x, y: not x >= y),
    "format": _format,
    "$ref": _ref,
    "allOf": _all,
    "anyOf": _any,
    "oneOf": _one,
    "not": _not,
    "if": _if,
}


def compile_check(
    schema: Mapping[str, Any], resolver: Resolver, formats: Mapping[str, Check]
) -> Callable[[Any], bool]:
    """Return ``is_valid(value)``: True only when jsonschema finds no error.

    False means "invalid, or not sure": run jsonschema for the errors.
    """
    check = Compiler(formats).compile(schema, resolver)

    def is_valid(value: Any) -> bool:
        try:
            return check(value)
        except Unsure:
            return False
        except RecursionError:
            return False

    return is_valid

