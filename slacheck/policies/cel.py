"""CEL through cel-python's tree-walking interpreter, with limits for untrusted rules.

Policies arrive in pull requests, so they run under these limits:

* only cel-python's tree-walking ``InterpretedRunner`` is used (through
  :class:`Program`); its ``CompiledRunner`` generates Python source and
  executes it, and is never used;
* each expression is at most ``MAX_EXPRESSION_LENGTH`` characters, its parse
  tree at most ``MAX_TREE_DEPTH`` deep, and comprehension macros (``all``,
  ``exists``, ``exists_one``, ``map``, ``filter``) nest at most
  ``MAX_COMPREHENSION_NESTING`` deep, checked once when the rule is compiled;
* each evaluation has a wall-clock budget (see :class:`Watch`).

Numbers reach CEL as doubles, and the comparison and arithmetic operators
accept an int and a double together (converting the int), so
``sla.target < slo.target`` and ``budget.pace > 1`` work whether or not a
value or literal is written as an integer. Division by zero is an error,
for doubles too (CEL's IEEE division would return infinity and let
``x / 0.0 > 1`` pass silently).
"""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import celpy
import lark
from celpy import celtypes

from slacheck.policies.reach import ALL, Reach, expression_reach

log = logging.getLogger(__name__)

# The environment variable that selects how expressions are evaluated:
# cel-python's interpreter (the default) or slacheck.policies.closures.
ENGINE_VARIABLE = "SLACHECK_CEL_ENGINE"
INTERPRETED = "interpreted"
CLOSURES = "closures"
ENGINES = (INTERPRETED, CLOSURES)

MAX_EXPRESSION_LENGTH = 2000
MAX_TREE_DEPTH = 200
MAX_COMPREHENSION_NESTING = 2
DEFAULT_TIME_BUDGET = 0.5  # seconds per evaluation of one rule on one target
_REPEAT_SECONDS = 0.01
# CEL's comprehension macros, plus cel-python's own reduce() extension.
COMPREHENSIONS = frozenset({"all", "exists", "exists_one", "map", "filter", "reduce"})


class CompileProblem(Exception):
    """An expression that does not parse or exceeds a static limit."""

    def __init__(self, message: str, code: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.column = column


class EvaluationProblem(Exception):
    """An error while evaluating: missing field, wrong type, division by zero."""

    def __init__(
        self, message: str, line: int | None = None, column: int | None = None
    ):
        super().__init__(message)
        self.line = line
        self.column = column


class RuleTimeout(BaseException):
    """Raised by the timer; a BaseException so cel-python's handlers let it pass."""


@cache
def environment() -> celpy.Environment:
    return celpy.Environment(runner_class=celpy.InterpretedRunner)


class Program(celpy.InterpretedRunner):
    """An interpreted expression with the variable fields it reads (``reach``).

    cel-python's runner rebuilds its base activation (the well-known type
    names) on every evaluation. This one builds it once and nests each
    evaluation's variables on top, as cel-python does for macro variables,
    and nothing changes the base after that.
    """

    def __init__(self, ast: lark.Tree, reach: Reach, engine: str = INTERPRETED) -> None:
        super().__init__(environment(), ast, _OPERATORS)
        self.reach = reach
        self._base = self.new_activation()
        self.closure: Callable[[dict[str, Any]], Any] | None = None
        if engine == CLOSURES:
            self.closure = _closure(ast, self._base)

    def evaluate(self, context: celpy.Context) -> Any:
        if self.closure is not None:
            value = self.closure(dict(context))
            if isinstance(value, celpy.CELEvalError):
                raise value
            return value
        activation = self._base.nested_activation(vars=context)
        return celpy.evaluation.Evaluator(self.ast, activation).evaluate()


def _closure(
    ast: lark.Tree, base: celpy.evaluation.Activation
) -> Callable[[dict[str, Any]], Any] | None:
    """Return the closure form of ``ast``, or None to run it interpreted."""
    from slacheck.policies.closures import Compiler, Unsupported

    try:
        return Compiler(base).compile(ast)
    except Unsupported as construct:
        log.debug("CEL %s runs interpreted: %s", construct, ast)
        return None


def engine_name() -> str:
    """Return the engine that ``SLACHECK_CEL_ENGINE`` selects (default interpreted)."""
    name = os.environ.get(ENGINE_VARIABLE, "").strip().lower() or INTERPRETED
    if name not in ENGINES:
        from slacheck.cli import UsageError

        raise UsageError(
            f"{ENGINE_VARIABLE} is {name!r}; set it to one of {', '.join(ENGINES)}"
        )
    return name


# Compiled programs by engine and expression text, so a process compiles each
# rule once.
_PROGRAMS: dict[tuple[str, str], Program] = {}


def compile_expression(text: str) -> Program:
    """Parse and check one expression; raise CompileProblem with its position."""
    key = (engine_name(), text)
    program = _PROGRAMS.get(key)
    if program is None:
        program = _PROGRAMS[key] = _compile(text, key[0])
    return program


def _compile(text: str, engine: str) -> Program:
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise CompileProblem(
            f"expression is {len(text)} characters long, more than the limit of "
            f"{MAX_EXPRESSION_LENGTH}; split the rule",
            "SC702",
        )
    try:
        tree = environment().compile(text)
    except celpy.CELParseError as error:
        raise CompileProblem(
            f"CEL syntax error: {_syntax_detail(error)}",
            "SC701",
            error.line or 1,
            error.column or 1,
        ) from None
    except RecursionError:
        raise CompileProblem(
            "expression nests too deeply to parse; simplify it", "SC702"
        ) from None
    _check_shape(tree)
    reach = expression_reach(tree)
    return Program(_without_pass_through(tree), reach, engine)


# Grammar rules whose evaluation, with a single child, is the child's value.
_PASS_THROUGH = frozenset(
    {
        "expr",
        "conditionalor",
        "conditionaland",
        "relation",
        "addition",
        "multiplication",
        "unary",
        "member",
    }
)


def _without_pass_through(tree: lark.Tree) -> lark.Tree:
    """Remove single-child pass-through nodes, which are most of a parse tree.

    cel-python evaluates such a node by visiting its child and returning the
    value, so each removed node saves a visit and changes no result. An error
    keeps its position, because the nodes that report errors stay. Children
    of ``member_object`` stay as they are: it tests its first child's rule.
    """
    tree = _skip_pass_through(tree)
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.data == "member_object":
            continue
        for index, child in enumerate(node.children):
            if isinstance(child, lark.Tree):
                child = node.children[index] = _skip_pass_through(child)
                stack.append(child)
    return tree


def _skip_pass_through(node: lark.Tree) -> lark.Tree:
    while (
        node.data in _PASS_THROUGH
        and len(node.children) == 1
        and isinstance(node.children[0], lark.Tree)
    ):
        node = node.children[0]
    return node


def _syntax_detail(error: celpy.CELParseError) -> str:
    """Name the unexpected token or character that lark stopped at."""
    cause = error.__context__
    if isinstance(cause, lark.exceptions.UnexpectedCharacters):
        return f"unexpected character {cause.char!r}"
    if isinstance(cause, lark.exceptions.UnexpectedToken):
        if cause.token.type == "$END":
            return "the expression ends too early"
        return f"unexpected {str(cause.token)!r}"
    return "the expression does not parse"


def _check_shape(tree: lark.Tree) -> None:
    """Measure depth and comprehension nesting without recursion."""
    stack: list[tuple[lark.Tree, int, int]] = [(tree, 1, 0)]
    while stack:
        node, depth, nesting = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise CompileProblem(
                f"expression nests deeper than the limit ({MAX_TREE_DEPTH} parse levels); "
                "simplify it",
                "SC702",
                *_position(node),
            )
        if node.data == "member_dot_arg" and _method(node) in COMPREHENSIONS:
            nesting += 1
            if nesting > MAX_COMPREHENSION_NESTING:
                raise CompileProblem(
                    f"comprehensions ({', '.join(sorted(COMPREHENSIONS))}) nest "
                    f"{nesting} deep, more than the limit of {MAX_COMPREHENSION_NESTING}",
                    "SC702",
                    *_position(node),
                )
        for child in node.children:
            if isinstance(child, lark.Tree):
                stack.append((child, depth + 1, nesting))


def _method(node: lark.Tree) -> str:
    for child in node.children:
        if isinstance(child, lark.Token):
            return str(child)
    return ""


def _position(node: lark.Tree) -> tuple[int, int]:
    meta = getattr(node, "meta", None)
    if meta is None or getattr(meta, "empty", True):
        return 1, 1
    return meta.line, meta.column


def _can_interrupt() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )


class Watch:
    """A SIGALRM timer for one or many evaluations, each with its own deadline.

    The timer (``setitimer``) ticks every ``_REPEAT_SECONDS``, and a tick
    raises RuleTimeout in an evaluation that runs past its deadline, between
    Python bytecodes. Ticks repeat, so an exception that C code swallows (a
    dict lookup calling a Python ``__eq__``) is raised again at the next one.
    Only the main thread of a POSIX system can be interrupted. Elsewhere (a
    worker thread, Windows) :func:`run` compares the elapsed time afterwards
    and reports the overrun all the same. A single long call into C code is
    interrupted only when it returns. cel-python's ``matches()`` uses RE2,
    whose matching time is linear in the input.

    Installing the handler once for many evaluations saves about 8
    microseconds per evaluation, more than a short rule takes on the closure
    engine. The deadline is cleared as soon as an evaluation ends, in the
    same method, so a late tick cannot raise RuleTimeout outside one.
    """

    def __init__(self) -> None:
        self.deadline: float | None = None
        self.active = False
        self._previous: Any = None

    def __enter__(self) -> Watch:
        if _can_interrupt():
            self._previous = signal.signal(signal.SIGALRM, self._on_alarm)
            signal.setitimer(signal.ITIMER_REAL, _REPEAT_SECONDS, _REPEAT_SECONDS)
            self.active = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.deadline = None
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self.active = False

    def _on_alarm(self, signum: int, frame: object) -> None:
        deadline = self.deadline
        if deadline is not None and time.perf_counter() >= deadline:
            raise RuleTimeout()

    def evaluate(
        self, program: Program, activation: dict[str, Any], seconds: float
    ) -> Any:
        self.deadline = time.perf_counter() + seconds
        try:
            return program.evaluate(activation)
        finally:
            self.deadline = None


def run(
    program: Program,
    activation: dict[str, Any],
    seconds: float,
    watch: Watch | None = None,
) -> Any:
    """Evaluate with the time budget; raise EvaluationProblem or RuleTimeout.

    An evaluation that took longer than the budget is a timeout whatever it
    returned, because an interrupted evaluation can surface as an error.
    With an active ``watch``, its timer interrupts the evaluation.
    """
    started = time.perf_counter()
    value: Any
    try:
        if watch is not None and watch.active:
            value = watch.evaluate(program, activation, seconds)
        else:
            with Watch() as own:
                value = own.evaluate(program, activation, seconds)
    except celpy.CELEvalError as error:
        value = error
    except RecursionError:
        value = EvaluationProblem("expression recursed too deeply")
    except Exception as error:  # cel-python lets some type errors escape
        log.debug("CEL evaluation raised %r", error, exc_info=True)
        value = EvaluationProblem(_describe_exception(error))
    if time.perf_counter() - started > seconds:
        raise RuleTimeout()
    if isinstance(value, EvaluationProblem):
        raise value
    if isinstance(value, celpy.CELEvalError):
        raise EvaluationProblem(describe_error(value), value.line, value.column)
    if isinstance(value, celtypes.BoolType):
        return bool(value)
    return value


def describe_error(error: celpy.CELEvalError) -> str:
    text = str(error.args[0]) if error.args else "evaluation failed"
    cause = error.args[1] if len(error.args) > 1 else None
    if cause is ZeroDivisionError:
        return "division by zero"
    if text.startswith("no such member"):
        return (
            text.replace("no such member in mapping", "missing field")
            + "; guard it with has()"
        )
    if text.startswith("undeclared reference"):
        # cel-python appends a dump of every variable, which can run to
        # thousands of characters, so keep the name only.
        return text.split(" (in activation", 1)[0]
    if "no matching overload" in text or "no such overload" in text:
        return f"type mismatch: {_short_overload(text)}"
    return " ".join(text.split())


def _describe_exception(error: Exception) -> str:
    """Describe a Python exception that escaped cel-python's own error values."""
    text = " ".join(str(error).split())
    iterated = _NOT_ITERABLE.match(text)
    if iterated:
        name = _PYTHON_TYPES.get(iterated[1], iterated[1])
        return f"type mismatch: a comprehension needs a list or map, not {name}"
    return f"evaluation failed: {type(error).__name__}: {text}"


_NOT_ITERABLE = re.compile(r"'(\w+)' object is not iterable")
_PYTHON_TYPES = {
    "BoolType": "bool",
    "BytesType": "bytes",
    "DoubleType": "double",
    "DurationType": "duration",
    "IntType": "int",
    "UintType": "uint",
    "NoneType": "null",
    "TimestampType": "timestamp",
    "type": "type",
}


def _short_overload(text: str) -> str:
    """Shorten cel-python's overload message to the operator and operand types."""
    text = text.replace("<class 'celpy.celtypes.", "").replace("'>", "")
    text = text.replace("Token('RULE', ", "").replace("')", "")
    return " ".join(text.split())


def type_name(value: Any) -> str:
    """Name a CEL value's type as CEL does: double, int, string, list, map."""
    names = {
        celtypes.DoubleType: "double",
        celtypes.IntType: "int",
        celtypes.UintType: "uint",
        celtypes.StringType: "string",
        celtypes.ListType: "list",
        celtypes.MapType: "map",
    }
    return next((n for t, n in names.items() if isinstance(value, t)), "null")


def describe_value(value: Any) -> str:
    """Show a result's CEL type and value, or the error a list or map contains.

    cel-python shows an error inside a value with a dump of every variable,
    and that dump can fail on a parse tree, so the error is described instead.
    """
    error = _first_error(value)
    if error is not None:
        return f"{type_name(value)} containing an error: {describe_error(error)}"
    return f"{type_name(value)} {value}"


def _first_error(value: Any) -> celpy.CELEvalError | None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, celpy.CELEvalError):
            return item
        if isinstance(item, dict):
            stack.extend(reversed([part for pair in item.items() for part in pair]))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return None


def to_cel(value: Any) -> Any:
    """Convert plain Python facts to CEL values; every number becomes a double."""
    if value is None:
        return None
    if isinstance(value, bool):
        return celtypes.BoolType(value)
    if isinstance(value, (int, Decimal, float)):
        return celtypes.DoubleType(float(value))
    if isinstance(value, str):
        return celtypes.StringType(value)
    if isinstance(value, (date, datetime)):
        return celtypes.StringType(value.isoformat())
    if isinstance(value, dict):
        return celtypes.MapType(
            {celtypes.StringType(str(k)): to_cel(v) for k, v in value.items()}
        )
    if isinstance(value, (list, tuple)):
        return celtypes.ListType([to_cel(item) for item in value])
    return celtypes.StringType(str(value))


def activation(facts: dict[str, Any], reach: Reach | None = None) -> dict[str, Any]:
    """Convert the variables to CEL values, only the fields ``reach`` names if given.

    A variable that the reach leaves out is left out of the activation too,
    because no expression of the reach names it.
    """
    if reach is None:
        return {name: to_cel(value) for name, value in facts.items()}
    return {
        name: _reached(value, reach[name])
        for name, value in facts.items()
        if name in reach
    }


def _reached(value: Any, reach: Any) -> Any:
    """Convert ``value``, keeping only the reached keys of a map reached in part."""
    if reach is ALL or not isinstance(value, dict):
        return to_cel(value)
    return celtypes.MapType(
        {
            celtypes.StringType(key): _reached(item, reach[key])
            for key, item in ((str(k), v) for k, v in value.items())
            if key in reach
        }
    )


# Operators that accept an int and a double together. cel-python's double
# arithmetic returns plain Python floats, so those count as doubles too.
_DOUBLES = (celtypes.DoubleType, float)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(
        value, (bool, celtypes.BoolType)
    )


def _promote(a: Any, b: Any) -> tuple[Any, Any]:
    if _is_number(a) and _is_number(b):
        if isinstance(a, _DOUBLES) or isinstance(b, _DOUBLES):
            return celtypes.DoubleType(float(a)), celtypes.DoubleType(float(b))
    return a, b


def _mixed(base: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def operator(a: Any, b: Any) -> Any:
        return base(*_promote(a, b))

    operator.__name__ = getattr(base, "__name__", "operator")
    return operator


def _divide(a: Any, b: Any) -> Any:
    a, b = _promote(a, b)
    if _is_number(b) and float(b) == 0.0:
        raise ZeroDivisionError("division by zero")
    return celpy.evaluation.base_functions["_/_"](a, b)


_OPERATORS: dict[str, Callable[..., Any]] = {
    name: _mixed(celpy.evaluation.base_functions[name])
    for name in ("_<_", "_<=_", "_>_", "_>=_", "_==_", "_!=_", "_+_", "_-_", "_*_")
}
_OPERATORS["_/_"] = _divide
