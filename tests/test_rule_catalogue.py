"""Every registered rule is documented, and its docstring examples do what they say."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacheck.lint import lint
from slacheck.rules.base import CODE_PATTERN, Rule, all_rules
from slacheck.settings import LintSettings

RULES = all_rules()
CHECKED = [r for r in RULES if r.check is not None]


def _codes_for(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(path)]))
    return [finding.code for finding in result.findings]


@pytest.mark.parametrize("registered", RULES, ids=lambda r: r.code)
def test_rule_is_documented(registered: Rule) -> None:
    assert CODE_PATTERN.match(registered.code)
    assert registered.name
    assert registered.summary.strip()
    assert registered.summary.endswith(".")
    # The summary line alone is not documentation: the body says why it matters.
    assert len(registered.doc.splitlines()) > 2


@pytest.mark.parametrize("registered", CHECKED, ids=lambda r: r.code)
def test_check_has_both_examples(registered: Rule) -> None:
    assert set(registered.examples) == {"Failing", "Passing"}


@pytest.mark.parametrize("registered", CHECKED, ids=lambda r: r.code)
def test_failing_example_reports_code(registered: Rule, tmp_path: Path) -> None:
    example = registered.examples.get("Failing")
    assert example is not None
    assert registered.code in _codes_for(example, tmp_path)


@pytest.mark.parametrize("registered", CHECKED, ids=lambda r: r.code)
def test_passing_example_is_silent(registered: Rule, tmp_path: Path) -> None:
    example = registered.examples.get("Passing")
    assert example is not None
    assert registered.code not in _codes_for(example, tmp_path)


@pytest.mark.parametrize("registered", CHECKED, ids=lambda r: r.code)
def test_examples_are_schema_valid(registered: Rule, tmp_path: Path) -> None:
    # An example the schema rejects would never reach the rule.
    for example in registered.examples.values():
        assert "SC010" not in _codes_for(example, tmp_path)


def test_names_are_unique() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
