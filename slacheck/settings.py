"""Run settings: what the CLI or a config file asks a lint run to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from slacheck.findings import Finding, Severity

if TYPE_CHECKING:
    from slacheck.baseline import Baseline
    from slacheck.waivers import Waiver


@dataclass(frozen=True)
class RuleOptions:
    """Thresholds that rules read.

    ``min_margin_points`` is the smallest acceptable gap between an SLA
    commitment and its SLO in percentage points; ``min_budget_multiple`` the
    smallest acceptable ratio of the SLA's error budget to the SLO's (a 99.5%
    SLA over a 99.9% SLO has 5x the budget).
    """

    min_margin_points: Decimal = Decimal("0.1")
    min_budget_multiple: Decimal = Decimal(2)


@dataclass
class LintSettings:
    paths: list[str] = field(default_factory=lambda: ["."])
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.ERROR
    severities: dict[str, Severity] = field(default_factory=dict)
    options: RuleOptions = field(default_factory=RuleOptions)
    # When set, only findings in these files are reported; the other files
    # are still loaded so references into them resolve (pre-commit mode).
    report_only: set[str] | None = None
    context_paths: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    policy_paths: list[str] = field(default_factory=list)
    use_default_policies: bool = True
    jobs: int = 1
    cache_dir: str | None = None
    # Waivers from the config file; inline waiver comments are read per run.
    waivers: list[Waiver] = field(default_factory=list)
    # The date waivers expire against; None means the local date today.
    today: date | None = None
    # Accepted findings from --baseline; matching findings are suppressed.
    baseline: Baseline | None = None
    # Git revision that config, waivers and policies are read from.
    config_from: str | None = None
    # Findings about the configuration itself, such as changes since config_from.
    config_findings: list[Finding] = field(default_factory=list)
    # The command of this run, lint or evaluate. A waiver is reported as
    # unused (SC802) only by the command that produces its code.
    command: str = "lint"
    # Ids of the loaded policy rules that check evaluation results.
    result_rule_ids: frozenset[str] = frozenset()
