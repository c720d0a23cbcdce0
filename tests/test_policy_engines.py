"""Both CEL engines against cel-python's stock runner, on generated expressions.

A seeded generator writes expressions over operators, functions, methods,
macros, literals and variable paths (present, missing and of the wrong
type). Each must give the same value, the same error at the same position,
or the same escaped exception as cel-python's own runner on the unchanged
parse tree and whole variables.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from slacheck.policies import cel

FACTS: dict[str, Any] = {
    "slo": {
        "name": "checkout",
        "target": Decimal("0.999"),
        "owner": "team",
        "tiers": ["gold", "silver"],
        "n": 3,
        "spec": {
            "inner": {"x": 1, "y": [1, 2]},
            "text": "abc",
            "nothing": None,
            "when": date(2026, 3, 1),
            1: "one",
            "flag": True,
        },
    },
    "sla": {"commitments": [{"target": Decimal("0.995"), "name": "a"}, {"name": "b"}]},
}
PATHS = [
    "slo.name",
    "slo.target",
    "slo.owner",
    "slo.tiers",
    "slo.n",
    "slo.spec",
    "slo.spec.inner",
    "slo.spec.inner.x",
    "slo.spec.inner.y",
    "slo.spec.text",
    "slo.spec.nothing",
    "slo.spec.when",
    "slo.spec.flag",
    "slo.missing",
    "slo.spec.missing",
    "slo.spec.text.x",
    "sla.commitments",
    "slo",
    "sla",
    "nobody",
]
LITERALS = ["1", "0", "2.5", "0.0", "-1", "'a'", "'abc'", "true", "false", "null"]
LITERALS += ["[1, 2]", "[]", "{'x': 1}", "{}", "1u", "b'a'", "'gold'"]
OPERATORS = ["+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!=", "in"]
OPERATORS += ["&&", "||"]
FUNCTIONS = ["size", "int", "double", "string", "type", "dyn", "duration"]
FUNCTIONS += ["timestamp", "nofunction"]
METHODS = ["size()", "startsWith('a')", "contains('b')", "endsWith('c')"]
METHODS += ["nomethod()", "getMinutes()"]
MACROS = ["all", "exists", "exists_one", "map", "filter"]


def generate(rng: random.Random, depth: int) -> str:
    """Return a random expression at most ``depth`` operations deep."""
    if depth <= 0 or rng.random() < 0.25:
        return rng.choice(PATHS if rng.random() < 0.6 else LITERALS)
    builders = [_binary, _unary, _conditional, _function, _has, _macro, _rooted]
    builders += [_method, _index, _collection]
    return str(rng.choice(builders)(rng, depth - 1))


def _binary(rng: random.Random, depth: int) -> str:
    left, right = generate(rng, depth), generate(rng, depth)
    return f"({left} {rng.choice(OPERATORS)} {right})"


def _unary(rng: random.Random, depth: int) -> str:
    return f"{rng.choice(['!', '-'])}{generate(rng, depth)}"


def _conditional(rng: random.Random, depth: int) -> str:
    parts = [generate(rng, depth) for _ in range(3)]
    return f"({parts[0]} ? {parts[1]} : {parts[2]})"


def _function(rng: random.Random, depth: int) -> str:
    return f"{rng.choice(FUNCTIONS)}({generate(rng, depth)})"


def _has(rng: random.Random, depth: int) -> str:
    return f"has({rng.choice([p for p in PATHS if '.' in p])})"


def _macro(rng: random.Random, depth: int) -> str:
    variable = rng.choice(["v", "slo"])
    body = f"({variable} {rng.choice(OPERATORS)} {generate(rng, depth - 1)})"
    return f"{generate(rng, depth)}.{rng.choice(MACROS)}({variable}, {body})"


def _rooted(rng: random.Random, depth: int) -> str:
    call = "(1)" if rng.random() < 0.3 else ""
    return f".{rng.choice(['slo', 'sla', 'nobody'])}{call}"


def _method(rng: random.Random, depth: int) -> str:
    return f"{generate(rng, depth)}.{rng.choice(METHODS)}"


def _index(rng: random.Random, depth: int) -> str:
    return f"{generate(rng, depth)}[{generate(rng, depth)}]"


def _collection(rng: random.Random, depth: int) -> str:
    first, second = generate(rng, depth), generate(rng, depth)
    return f"[{first}, {second}]" if rng.random() < 0.5 else f"{{{first}: {second}}}"


def outcome(program: Any, activation: dict[str, Any]) -> tuple[Any, ...]:
    try:
        value = cel.run(program, activation, 5.0)
    except cel.EvaluationProblem as problem:
        return ("problem", str(problem), problem.line, problem.column)
    except cel.RuleTimeout:
        return ("timeout",)
    return ("value", cel.describe_value(value), type(value))


def stock_outcome(text: str) -> tuple[Any, ...] | None:
    environment = cel.environment()
    try:
        tree = environment.compile(text)
    except Exception:
        return None
    program = environment.program(tree, functions=cel._OPERATORS)
    return outcome(program, cel.activation(FACTS))


def expressions(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [generate(rng, 4) for _ in range(count)]


@pytest.fixture(params=["interpreted", "closures"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SLACHECK_CEL_ENGINE", request.param)
    return str(request.param)


@pytest.mark.parametrize("seed", range(4))
def test_engine_matches_stock_runner(engine: str, seed: int) -> None:
    compared = closures = 0
    for text in expressions(seed, 150):
        expected = stock_outcome(text)
        if expected is None:
            continue
        try:
            program = cel.compile_expression(text)
        except cel.CompileProblem:
            continue
        reached = cel.activation(FACTS, program.reach)
        assert outcome(program, reached) == expected, text
        compared += 1
        closures += program.closure is not None
    assert compared > 100
    assert closures == 0 if engine == "interpreted" else closures > 0.95 * compared
