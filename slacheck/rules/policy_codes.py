"""Codes for policies and snapshot evaluation (SC7xx).

SC701-SC706 report problems with policy rules themselves; SC710-SC716
come from ``slacheck evaluate`` judging snapshots. Policy rules' own ids
(such as POL001) share the code namespace but are not registered here:
``slacheck explain`` finds them in the policy files.
"""

from __future__ import annotations

from slacheck.findings import Severity
from slacheck.rules.base import describe

describe(
    "SC701",
    "policy-syntax-error",
    Severity.ERROR,
    """A policy rule's CEL expression does not parse.

    Expressions are compiled once when policies load. The finding points at
    the line and column inside the YAML file where the parser stopped; the
    rule is skipped and the other rules still run.

    For example, ``assert: "budget.pace < "`` ends too early; write
    ``assert: "budget.pace < 1.5"``.
    """,
)

describe(
    "SC702",
    "policy-too-complex",
    Severity.ERROR,
    """A policy rule's expression exceeds a static limit.

    Policies come from pull requests and are treated as untrusted, so each
    expression is limited in length (2000 characters), parse depth (200
    levels) and comprehension nesting (``all``, ``exists``,
    ``exists_one``, ``map`` and ``filter`` at most 2 deep). Split the rule
    into several simpler rules.
    """,
)

describe(
    "SC703",
    "policy-timeout",
    Severity.ERROR,
    """A policy rule ran past its wall-clock budget.

    cel-python has no cost limit of its own, so slacheck stops a rule that
    runs longer than the budget (0.5 seconds per rule and target unless
    ``evaluate --rule-timeout`` sets another value), reports it once and skips it
    for the rest of the run. A slow regular expression in ``matches()`` is
    the usual cause.
    """,
)

describe(
    "SC704",
    "policy-evaluation-error",
    Severity.ERROR,
    """A policy rule failed on one target.

    A field the target does not have (guard optional fields with
    ``has()``), a type mismatch such as adding a string to a number, a
    division by zero, or a ``when``/``assert`` that is not true or false.
    The finding points at the expression and names the target; the other
    rules and targets still run.

    For example, ``assert: "result.attainment >= 0.99"`` fails on an SLO
    with no data; write ``when: "has(result.attainment)"`` as well.
    """,
)

describe(
    "SC705",
    "policy-id-conflict",
    Severity.ERROR,
    """A policy rule id collides with a built-in code or another rule.

    Rule ids share one namespace with slacheck's codes, so that
    ``--select``, ``--ignore``, ``explain`` and SARIF reports name one rule
    each. ``SC`` followed by digits is reserved for slacheck; use your own
    prefix, such as ``ACME001``. The rule with the colliding id is skipped.
    """,
)

describe(
    "SC706",
    "invalid-message-template",
    Severity.ERROR,
    """A policy rule's message template is invalid.

    Placeholders are dotted paths into the rule's variables with an
    optional format: ``{result.attainment:percent}``. A path that no
    target of the rule's kind has, an unknown format or an unmatched brace
    is reported when policies load, and the rule is skipped.
    """,
)

describe(
    "SC710",
    "sla-breached",
    Severity.ERROR,
    """An SLA commitment was breached over a finished contract period.

    The measured attainment, after exclusions, is below the commitment's
    target. The message gives the shortfall, the service credit owed under
    the SLA's remedy schedule (cap applied) and the last day to file a
    claim. A period still running is not reported as breached; policies
    warn about it instead.
    """,
)

describe(
    "SC711",
    "period-mismatch",
    Severity.WARNING,
    """A snapshot does not cover exactly one period of a commitment or calendar SLO.

    An SLA commitment is judged over its contract period: a monthly
    commitment in Europe/Berlin needs a snapshot from the first of a month
    to the first of the next, in that time zone. A snapshot covering
    anything else leaves the commitment not judged. SLOs with a rolling
    window are judged over any period, with the error budget scaled to it.
    """,
)

describe(
    "SC712",
    "invalid-snapshot",
    Severity.ERROR,
    """A snapshot's figures cannot be right.

    Good or bad counts above the total, a period that ends before it
    starts or an ``asOf`` outside it, an indicator or KPI measured twice,
    more time slices than the period holds, or an exclusion that removes
    more than was measured. The figures affected are not judged.
    """,
)

describe(
    "SC713",
    "missing-measurement",
    Severity.WARNING,
    """A snapshot has no usable measurement for an SLO or SLA commitment.

    The SLI is not in the snapshot, is not measured at the objective's
    threshold, or is measured in a form the objective cannot use (an SLA
    counting 1-minute intervals needs time slices of 1 minute). The result
    is shown as no data, never as met. The one exception is an SLI that is
    not in the snapshot at all and whose ``missingData`` rule is ``good``
    or ``bad``. The whole period then counts that way, and this warning
    still names the rule applied.
    """,
)

describe(
    "SC714",
    "exclusion-not-applied",
    Severity.WARNING,
    """Excluded time in a snapshot was not (or not fully) excluded.

    The SLA has no exclusion clause of that type, the clause's
    ``maxPerPeriod`` is smaller than the time claimed (only the maximum is
    excluded), or an event-based commitment got excluded minutes without
    the events measured inside them.
    """,
)

describe(
    "SC715",
    "credit-ambiguous",
    Severity.WARNING,
    """A credit depends on how a partly used step is read.

    The SLA's step rule leaves ``partialStep`` unset, and at the measured
    attainment the two readings differ by a whole step. The report shows
    the credit if a partly used step earns its credit, and this finding
    gives the other figure.
    """,
)

describe(
    "SC716",
    "overlapping-snapshots",
    Severity.ERROR,
    """Two snapshots for the same scope cover overlapping periods.

    Trends compare consecutive periods, and an SLA breach counted twice
    would double its credit. Evaluate one snapshot per period, for example
    the month-end snapshot instead of the mid-month one.
    """,
)

describe(
    "SC717",
    "no-policy-found",
    Severity.ERROR,
    """A policy path contains no Policy document.

    A file or folder named with ``--policy`` (or in the config's policy
    folders) that contains no ``kind: Policy`` document would otherwise be
    skipped without a word, and every rule the team meant to enforce would
    silently stop running. Check the path and each file's ``apiVersion``
    and ``kind``.
    """,
)
