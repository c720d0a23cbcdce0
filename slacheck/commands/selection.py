"""Check ``--select`` and ``--ignore`` patterns before a run uses them.

A pattern is a code or a code prefix (``SC2`` matches SC200 to SC299), or
a policy rule id or prefix (``POL``). A pattern that matches nothing would
silently select or ignore nothing, so it is a usage error. ``SC`` followed
by a digit is reserved for slacheck's codes and is checked against the
registry. Other patterns are policy rule ids: they are checked against the
rules of the policies the run loads, unless a policy file has problems of
its own, in which case any id might be meant and the pattern is accepted.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from slacheck.console import UsageError
from slacheck.display import close_matches, similarity

if TYPE_CHECKING:
    from slacheck.settings import LintSettings

log = logging.getLogger(__name__)

_SLACHECK_STYLE = re.compile(r"SC([0-9]|\Z)")
_LISTS_CODES = "'slacheck rules' lists every code"


def check_code_patterns(option: str, patterns: Iterable[str]) -> None:
    """Raise :class:`UsageError` for a slacheck-style pattern matching no code."""
    requested = [pattern for pattern in patterns if _SLACHECK_STYLE.match(pattern)]
    if not requested:
        return
    from slacheck.rules.base import all_rules

    codes = [registered.code for registered in all_rules()]
    for pattern in requested:
        if any(code.startswith(pattern) for code in codes):
            continue
        close = _closest(pattern, codes)
        hint = f"did you mean {close}? ({_LISTS_CODES})" if close else _LISTS_CODES
        raise UsageError(f"{option} {pattern!r} matches no slacheck code; {hint}")


def check_policy_patterns(
    settings: LintSettings, chosen: Sequence[tuple[str, Sequence[str]]]
) -> None:
    """Raise :class:`UsageError` for a rule-id pattern matching no loaded rule.

    ``chosen`` pairs each option name with the patterns given to it. The
    policies are read only when some pattern is a rule id.
    """
    requested = [
        (option, pattern)
        for option, patterns in chosen
        for pattern in patterns
        if not _SLACHECK_STYLE.match(pattern)
    ]
    if not requested:
        return
    rule_ids = _loaded_rule_ids(settings)
    if rule_ids is None:
        return
    for option, pattern in requested:
        if any(rule_id.startswith(pattern) for rule_id in rule_ids):
            continue
        close = _closest(pattern, rule_ids)
        hint = f"; did you mean {close}?" if close else ""
        raise UsageError(
            f"{option} {pattern!r} matches no slacheck code and no rule of the "
            f"policies this run reads{hint} ({_LISTS_CODES}; 'slacheck explain ID' "
            "shows a policy rule)"
        )


def _loaded_rule_ids(settings: LintSettings) -> list[str] | None:
    """Return the ids of the run's policy rules, or None when they are unknown."""
    try:
        from slacheck.policies import load_policy_set
    except ModuleNotFoundError as exc:
        if exc.name != "slacheck.policies":
            raise
        return None
    policies = load_policy_set(settings.policy_paths, settings.use_default_policies)
    if policies.findings:
        # A rule in a broken file is missing from the set but may be meant.
        log.info("policy files have problems; rule-id patterns are not checked")
        return None
    return sorted(rule.id for rule in policies.rules)


def _closest(pattern: str, known: Sequence[str]) -> str:
    """Name up to three known codes (or prefixes, for a prefix) nearest ``pattern``.

    Only the best-scoring candidates are named, so a one-letter typo such as
    SC2O1 gets SC201 alone rather than every code that shares ``SC2``.
    """
    candidates = sorted({item[: len(pattern)] for item in known})
    close = close_matches(pattern, candidates, n=3, cutoff=0.5)
    if not close:
        return ""
    best = _similarity(pattern, close[0])
    close = sorted(item for item in close if _similarity(pattern, item) == best)
    if len(close) == 1:
        return close[0]
    return f"{', '.join(close[:-1])} or {close[-1]}"


def _similarity(first: str, second: str) -> float:
    return similarity(first, second)
