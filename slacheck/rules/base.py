"""The rule registry: every finding code, its severity and its documentation.

Codes follow ``SC`` plus three digits and are grouped by hundreds:

* SC0xx reading files (YAML, encoding, schema)
* SC1xx references between documents
* SC2xx SLA commitments against their SLOs (margin, windows)
* SC3xx SLA contract clauses (methodology, exclusions, remedies, claims)
* SC4xx customer tiers and what counts as an SLA
* SC5xx KPIs and targets
* SC6xx OpenSLO documents
* SC7xx policies and snapshot evaluation
* SC8xx configuration, waivers and baselines
* SC9xx changes between two revisions (``slacheck diff``)

A retired code is never reused; list it in ``RETIRED`` instead.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slacheck.findings import Severity
from slacheck.yamlload import FieldPath

if TYPE_CHECKING:
    from slacheck.model import Catalog, Document
    from slacheck.settings import RuleOptions

CODE_PATTERN = re.compile(r"SC[0-9]{3}\Z")
RETIRED: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Issue:
    """What a check reports: where in the document and what is wrong.

    The engine turns an issue into a :class:`~slacheck.findings.Finding` by
    adding the file position, code and configured severity.
    """

    where: FieldPath
    message: str
    key: str = ""
    at_key: bool = False
    severity: Severity | None = None


@dataclass
class RuleContext:
    catalog: Catalog
    options: RuleOptions


Check = Callable[["Document", RuleContext], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    kinds: tuple[str, ...] = ()
    check: Check | None = None

    @property
    def examples(self) -> dict[str, str]:
        """Return the failing and passing YAML examples from the docstring."""
        return dict(_EXAMPLE.findall(self.doc))


_EXAMPLE = re.compile(
    r"^(Failing|Passing) example:\s*\n\s*```yaml\n(.*?)```", re.S | re.M
)

_REGISTRY: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if not CODE_PATTERN.match(rule.code):
        raise ValueError(f"rule code {rule.code!r} does not match SC###")
    if rule.code in _REGISTRY or rule.code in RETIRED:
        raise ValueError(f"rule code {rule.code} is already taken")
    _REGISTRY[rule.code] = rule
    _CHECKS_BY_KIND.clear()
    return rule


def rule(
    code: str, name: str, severity: Severity, *, kinds: tuple[str, ...] = ()
) -> Callable[[Check], Check]:
    """Register a check function; its docstring becomes the rule's docs."""

    def decorate(check: Check) -> Check:
        doc = inspect.cleandoc(check.__doc__ or "")
        summary = doc.splitlines()[0] if doc else name
        register(Rule(code, name, severity, summary, doc, kinds, check))
        return check

    return decorate


def describe(code: str, name: str, severity: Severity, doc: str) -> None:
    """Register a code that the loader or engine emits rather than a check."""
    text = inspect.cleandoc(doc)
    register(Rule(code, name, severity, text.splitlines()[0], text))


def all_rules() -> list[Rule]:
    _load_rule_modules()
    return sorted(_REGISTRY.values(), key=lambda r: r.code)


def get_rule(code: str) -> Rule | None:
    _load_rule_modules()
    return _REGISTRY.get(code)


def checks_for(kind: str) -> tuple[Rule, ...]:
    """Return the rules that check documents of ``kind``, in code order."""
    found = _CHECKS_BY_KIND.get(kind)
    if found is None:
        found = tuple(
            registered
            for registered in all_rules()
            if registered.check is not None
            and (not registered.kinds or kind in registered.kinds)
        )
        _CHECKS_BY_KIND[kind] = found
    return found


# The rules per kind that checks_for returns. Registering a rule clears it.
_CHECKS_BY_KIND: dict[str, tuple[Rule, ...]] = {}


_LOADED = False


def _load_rule_modules() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from slacheck.rules import (  # noqa: F401  (modules register on import)
        backing,
        contract,
        kpi,
        loading,
        margin,
        references,
        term,
        thresholds,
        tiers,
    )

    _load_optional_modules()


def _load_optional_modules() -> None:
    """Import rule modules that other features add, when present."""
    import importlib

    optional = (
        "slacheck.rules.openslo",
        "slacheck.rules.policy_codes",
        "slacheck.rules.config_codes",
        "slacheck.diff.codes",
    )
    for module in optional:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def get(mapping: Any, *keys: str | int) -> Any:
    """Walk nested dicts and lists, returning None where a step is missing."""
    value = mapping
    for key in keys:
        if isinstance(key, int):
            if not isinstance(value, list) or not -len(value) <= key < len(value):
                return None
        elif not isinstance(value, dict):
            return None
        value = value[key] if isinstance(key, int) else value.get(key)
    return value
