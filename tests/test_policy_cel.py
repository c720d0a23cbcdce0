"""CEL compilation and evaluation under slacheck's limits."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from conftest import REPO

from slacheck.policies import cel
from slacheck.policies.locate import locate, offset_of


@pytest.fixture(autouse=True, params=["interpreted", "closures"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run every test on both CEL engines; CLI runs inherit the variable."""
    monkeypatch.setenv("SLACHECK_CEL_ENGINE", request.param)
    return str(request.param)


FACTS: dict[str, Any] = {
    "sla": {"target": Decimal("0.995"), "tiers": ["enterprise"]},
    "slo": {"target": 1, "zero": Decimal(0)},
    "budget": {"pace": Decimal(2)},
}


def evaluate(text: str, facts: dict[str, Any] = FACTS, budget: float = 5.0) -> Any:
    """Evaluate on the reached fields, checked against cel-python's own runner.

    The stock runner evaluates the unchanged parse tree on whole variables,
    so values and errors must not depend on either shortcut.
    """
    program = cel.compile_expression(text)
    reached = outcome(program, cel.activation(facts, program.reach), budget)
    assert reached == outcome(program, cel.activation(facts), budget)
    assert reached == outcome(stock_runner(text), cel.activation(facts), budget)
    kind, value, *_ = reached
    if kind == "problem":
        raise cel.EvaluationProblem(value)
    return value


def stock_runner(text: str) -> Any:
    environment = cel.environment()
    return environment.program(environment.compile(text), functions=cel._OPERATORS)


def evaluate_or_problem(text: str, facts: dict[str, Any] = FACTS) -> None:
    try:
        evaluate(text, facts)
    except cel.EvaluationProblem:
        pass


def outcome(program: Any, activation: dict[str, Any], budget: float) -> tuple[Any, ...]:
    try:
        return ("value", cel.run(program, activation, budget))
    except cel.EvaluationProblem as problem:
        return ("problem", str(problem), problem.line, problem.column)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sla.target < slo.target", True),
        ("slo.target > sla.target", True),
        ("budget.pace > 1", True),
        ("1 < budget.pace", True),
        ("budget.pace == 2", True),
        ("2 == budget.pace", True),
        ("budget.pace + 1 == 3", True),
        ("1 + budget.pace == 3", True),
        ("size(sla.tiers) == 1", True),
        ("size(sla.tiers) < budget.pace", True),
        ("'enterprise' in sla.tiers", True),
        ("has(sla.missing)", False),
        ("sla.tiers.all(t, t.startsWith('e'))", True),
    ],
)
def test_numbers_compare_whichever_side_is_int(text: str, expected: bool) -> None:
    assert evaluate(text) is expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sla.nothing > 1", "missing field: 'nothing'; guard it with has()"),
        ("budget.pace / slo.zero > 1", "division by zero"),
        ("budget.pace / (slo.target - slo.target) > 1", "division by zero"),
        ("budget.pace / 0 > 1", "division by zero"),
        ("sla.tiers + 1", "type mismatch"),
        ("nobody > 1", "undeclared reference to 'nobody'"),
        (
            "sla.target.all(x, x > 1)",
            "type mismatch: a comprehension needs a list or map, not double",
        ),
        (
            "null.map(x, x)",
            "type mismatch: a comprehension needs a list or map, not null",
        ),
    ],
)
def test_evaluation_problems(text: str, message: str) -> None:
    with pytest.raises(cel.EvaluationProblem) as raised:
        evaluate(text)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("text", "code", "message", "column"),
    [
        (
            "budget.pace >",
            "SC701",
            "CEL syntax error: the expression ends too early",
            13,
        ),
        ("budget.pace >> 1", "SC701", "CEL syntax error: unexpected '>'", 14),
        ("a.all(x, b.exists(y, c.map(z, z)))", "SC702", "comprehensions", 22),
        ("(" * 40 + "1" + ")" * 40, "SC702", "expression nests deeper", None),
        ("1 + " * 600 + "1", "SC702", "expression is 2401 characters long", 1),
    ],
)
def test_compile_problems(
    text: str, code: str, message: str, column: int | None
) -> None:
    with pytest.raises(cel.CompileProblem) as raised:
        cel.compile_expression(text)
    assert raised.value.code == code
    assert str(raised.value).startswith(message)
    if column is not None:
        assert raised.value.column == column


def test_two_comprehension_levels_allowed() -> None:
    assert evaluate("sla.tiers.all(x, sla.tiers.exists(y, x == y))") is True


def test_time_budget_interrupts_rule() -> None:
    ones = "[" + ",".join(["1"] * 200) + "]"
    program = cel.compile_expression(f"{ones}.all(x, {ones}.all(y, x * y >= 0))")
    with pytest.raises(cel.RuleTimeout):
        cel.run(program, {}, 0.05)


def test_time_budget_restores_signal_handler() -> None:
    import signal

    before = signal.getsignal(signal.SIGALRM)
    evaluate("budget.pace > 1")
    assert signal.getsignal(signal.SIGALRM) is before


def test_only_interpreted_runner() -> None:
    import celpy

    program = cel.compile_expression("1 < 2")
    assert isinstance(program, celpy.InterpretedRunner)
    assert not isinstance(program, celpy.CompiledRunner)


@pytest.mark.parametrize(
    ("text", "start", "value", "line", "column", "expected"),
    [
        ('  assert: "a.b >"\n', (1, 11), "a.b >", 1, 5, (1, 16)),
        ("  assert: a.b >\n", (1, 11), "a.b >", 1, 5, (1, 15)),
        ("  assert: |\n    a &&\n      (b\n", (1, 11), "a &&\n  (b\n", 2, 4, (3, 8)),
        ("  assert: >-\n    a &&\n    b >\n", (1, 11), "a && b >", 1, 8, (3, 7)),
        ('  assert: "a\\tb"\n', (1, 11), "a\tb", 1, 3, (1, 11)),
    ],
)
def test_locate_inside_yaml_scalar(
    text: str,
    start: tuple[int, int],
    value: str,
    line: int,
    column: int,
    expected: tuple[int, int],
) -> None:
    assert locate(text, start, value, offset_of(value, line, column)) == expected


def imported_modules(*args: str) -> str:
    """Return the -X importtime log of a lint run."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "slacheck", "lint", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stderr


def test_lint_without_definition_rules_skips_celpy() -> None:
    assert "celpy" not in imported_modules("examples/b2b-api/")


def test_lint_with_definition_rules_imports_celpy(tmp_path: Any) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "apiVersion: slacheck/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  rules:\n"
        "    - {id: ACME1, name: a, severity: info, appliesTo: SLA, assert: 'true', "
        "message: m}\n",
        encoding="utf-8",
    )
    assert "celpy" in imported_modules("--policy", str(policy), "examples/b2b-api/")


@pytest.mark.parametrize(
    ("text", "reach"),
    [
        ("has(slo.owner)", {"slo": {"owner": None}}),
        ("slo.spec.x > 1 && slo.spec.y", {"slo": {"spec": {"x": None, "y": None}}}),
        ("slo.spec.x > 1 && size(slo.spec) > 0", {"slo": {"spec": None}}),
        ("size(slo) > 0 && slo.a", {"slo": None}),
        ("slo.a.b && slo.a", {"slo": {"a": None}}),
        # The comprehension variable is named bare, so it counts as whole.
        ("sla.tiers.all(c, c.x)", {"sla": {"tiers": None}, "c": None}),
        ("slo.spec['x'].y", {"slo": {"spec": None}}),
        (".slo.a", {"slo": {"a": None}}),
        ("slo.tiers.exists(t, t == 'a')", {"slo": {"tiers": None}, "t": None}),
    ],
)
def test_reach_names_the_fields_read(text: str, reach: dict[str, Any]) -> None:
    assert cel.compile_expression(text).reach == reach


NESTED: dict[str, Any] = {
    "slo": {
        "name": "checkout",
        "spec": {
            "inner": {"x": 1, "y": [1, 2]},
            "list": [{"x": 1}],
            "text": "abc",
            1: "one",
            "nothing": None,
            "when": date(2026, 3, 1),
        },
    },
    "sla": {"tiers": ["gold"]},
}


@pytest.mark.parametrize(
    "text",
    [
        "slo.spec.inner.x == 1",
        "has(slo.spec.inner.z)",
        "has(slo.spec.inner)",
        "slo.spec.inner == {'x': 1, 'y': [1, 2]}",
        "slo.spec.inner != {'x': 1}",
        "size(slo.spec) == 6",
        "'inner' in slo.spec",
        "'1' in slo.spec && slo.spec['1'] == 'one'",
        "slo.spec.all(k, k != 'missing')",
        "slo.spec.inner.y.exists(v, v > 1)",
        "slo.spec.missing == 1",
        "slo.spec.list.x == 1",
        "slo.spec.text.x == 1",
        "slo.spec.nothing.x == 1",
        "slo.spec.nothing == null",
        "slo.spec.when == '2026-03-01'",
        "slo.spec.inner.x + slo.spec.text",
        "slo.spec.inner.all(k, slo.spec.inner[k] != 0)",
        "sla.tiers.all(slo, slo == 'gold')",
        "slo.name.startsWith('check') && sla.tiers[0] == 'gold'",
        "nobody.x == 1",
        ".slo(1).name == 'checkout'",
        "slo.spec.missing > 1 || true",
        "false && slo.spec.missing > 1",
        "slo.spec.missing > 1 && false",
        "slo.spec.missing > 1 || slo.spec.other > 1",
        "slo.spec.inner.x == 1 ? 'a' : slo.spec.missing",
        "slo.spec.inner.x == 2 ? 'a' : slo.spec.missing",
        "slo.spec.inner.y.map(v, v * 2) == [2.0, 4.0]",
        "slo.spec.inner.y.filter(v, v > 1).size() == 1",
        "slo.spec.inner.y.exists_one(v, v > 1)",
        "slo.spec.inner.y.all(v, v.missing)",
        "timestamp(slo.spec.when + 'T00:00:00Z') + duration('1h') > "
        "timestamp('2026-03-01T00:30:00Z')",
        "duration('1h') + slo.spec.inner.x",
        "-slo.spec.inner.x < 0 && !(slo.spec.inner.x > 2)",
        "slo.spec.inner.x % 2 == 1",
        "[1, 2][5] == 1",
        "{'a': 1}.a == 1 && {'a': 1}.b == 1",
        "slo.spec.inner.y[0] / 0 > 1",
        "slo.spec.text.matches('^a') && slo.spec.text.size() == 3",
        "int(slo.spec.inner.x) == 1 && string(slo.spec.inner.x) == '1.0'",
        "{'a': 1, 'a': 2}.a == 1",
        "{[1]: 2}.size() == 1",
        "dyn(slo.spec.inner.x) == 1",
        "slo.spec.inner.y.size() == 2 && size(slo.spec.inner.y) == 2",
        "slo.spec.missing.size() == 1",
        "slo.spec.inner.y.all(v, v.missing > 1 || true)",
        "slo.spec.inner.y.exists(v, v.missing > 1)",
        "slo.spec.inner.y.exists_one(v, v.missing > 1)",
        "slo.spec.inner.y.map(v, v.missing)",
        "slo.spec.inner.filter(k, k == 'x') == ['x']",
        "slo.spec.inner.y.all(v, slo.spec.inner.y.exists(w, w.missing))",
        "slo.spec.missing ? 1 : 2",
        "1 ? 1 : 2",
        "has(slo.spec.text.x)",
        "nofunction(1) == 1",
        "'a'.nomethod() == 1",
        "nofunction(slo.spec.missing) == 1",
        ".slo.name == 'checkout' && .nobody == 1",
        "google.protobuf.nothing == 1",
        "!!true && -(-slo.spec.inner.x) == 1",
        "slo.name + '-' + slo.spec.text == 'checkout-abc'",
        "type(slo.spec.inner.x) == double && type(1) == int",
        "9223372036854775807 + 1 > 0",
        "-9223372036854775807 - 2 < 0",
        "2u + 3u == 5u && b'ab' == b'ab'",
        "timestamp('not a time') > timestamp('2026-01-01T00:00:00Z')",
        "duration('90m').getMinutes() == 90",
        "'x' in {'x': 1} && !(2 in [1, 3])",
        "[1, slo.spec.missing][0] == 1",
        "slo.spec.inner['x'] == 1 && slo.spec.inner['z'] == 1",
        "[1, 2][-1] == 2",
        "slo.spec.inner.y[1u] == 2",
        "10 % 0 == 1",
        "10 / 0 == 1",
        "1.5 % 2.0 == 1",
        "'abc'.contains('b') && 'abc'.endsWith('c')",
        "int('12x') == 1",
        "size(nobody) == 1",
    ],
)
def test_reached_fields_evaluate_as_whole_variables(text: str) -> None:
    # evaluate() compares the outcome on the reached fields with the outcome
    # on whole variables and with cel-python's stock runner, values and errors
    # alike, on the engine the fixture selects.
    evaluate_or_problem(text, NESTED)


def test_program_compiled_once() -> None:
    assert cel.compile_expression("slo.a > 1") is cel.compile_expression("slo.a > 1")


def test_undeclared_variable_message_names_it_only() -> None:
    with pytest.raises(cel.EvaluationProblem) as raised:
        evaluate("nobody > 1")
    assert str(raised.value) == "undeclared reference to 'nobody'"


def shipped_expressions() -> list[str]:
    from slacheck.policies import load_policy_set

    policies = load_policy_set([str(REPO / "benchmarks" / "policies")])
    return [text for rule in policies.rules for _, text in rule.expressions()]


def test_closures_cover_shipped_rules(engine: str) -> None:
    programs = [cel.compile_expression(t) for t in shipped_expressions()]
    assert programs
    compiled = [p for p in programs if p.closure is not None]
    assert len(compiled) == (len(programs) if engine == "closures" else 0)


@pytest.mark.parametrize(
    "text", ["[3, 1].min() == 1", "[1, 2].reduce(a, x, 0, a + x) == 3"]
)
def test_closures_leave_other_constructs_interpreted(text: str) -> None:
    assert cel.compile_expression(text).closure is None
    evaluate_or_problem(text)


def test_unknown_engine_is_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from slacheck.cli import UsageError

    monkeypatch.setenv("SLACHECK_CEL_ENGINE", "fast")
    with pytest.raises(UsageError, match="SLACHECK_CEL_ENGINE is 'fast'"):
        cel.compile_expression("1 < 2")


def test_watch_interrupts_rule_and_restores_handler() -> None:
    import signal

    ones = "[" + ",".join(["1"] * 200) + "]"
    slow = cel.compile_expression(f"{ones}.all(x, {ones}.all(y, x * y >= 0))")
    quick = cel.compile_expression("1 < 2")
    before = signal.getsignal(signal.SIGALRM)
    with cel.Watch() as watch:
        assert watch.active
        assert cel.run(quick, {}, 0.05, watch) is True
        with pytest.raises(cel.RuleTimeout):
            cel.run(slow, {}, 0.05, watch)
        assert cel.run(quick, {}, 0.05, watch) is True
    assert signal.getsignal(signal.SIGALRM) is before


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1.5", "double 1.5"),
        ("['a']", "list ListType([StringType('a')])"),
        (
            "{'a': sla.nothing}",
            "map containing an error: missing field: 'nothing'; guard it with has()",
        ),
        ("{'a': [1 / 0]}", "map containing an error: division by zero"),
    ],
)
def test_describe_value_names_inner_error(text: str, shown: str) -> None:
    program = cel.compile_expression(text)
    value = cel.run(program, cel.activation(FACTS, program.reach), 5.0)
    assert cel.describe_value(value) == shown
