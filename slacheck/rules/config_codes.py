"""Codes for configuration, waivers and baselines (SC8xx)."""

from __future__ import annotations

from slacheck.findings import Severity
from slacheck.rules.base import describe

describe(
    "SC801",
    "waiver-expired",
    Severity.WARNING,
    """A waiver is past its expiry date.

    A waiver accepts a finding for a limited time, so someone decides again
    when the date comes. Once the date has passed, the waiver no longer
    suppresses anything and the finding it covered is reported again. This
    finding points at the waiver, so that its owner renews it with a new
    date and reason, or fixes the definition and removes the waiver. The
    expiry date itself is the last day the waiver applies.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    # slacheck: waive SC101 owner=platform-team until=2020-01-31 reason="legacy"
    metadata:
      name: checkout
    spec:
      description: Checkout API.
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    spec:
      description: Checkout API.
    ```
    """,
)

describe(
    "SC802",
    "waiver-unused",
    Severity.WARNING,
    """A waiver matches no finding.

    The finding it was written for is fixed, or the waiver names the wrong
    code or document. A stale waiver would silently accept the same mistake
    if it came back later, so remove it. Waivers for codes that the run does
    not check (``--select``, ``--ignore``) are not reported.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    # slacheck: waive SC101 owner=platform-team until=2099-12-31 reason="legacy"
    metadata:
      name: checkout
    spec:
      description: Checkout API.
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    spec:
      description: Checkout API.
    ```
    """,
)

describe(
    "SC803",
    "invalid-waiver",
    Severity.ERROR,
    """A waiver comment cannot be read.

    An inline waiver has the form
    ``# slacheck: waive CODE owner=NAME until=YYYY-MM-DD reason="..."``, and
    every part is required: the code names what is accepted, the owner who
    accepted it, the date when it must be decided again and the reason an
    auditor reads. A comment that leaves one out, spells a date wrongly or
    names an unknown code suppresses nothing.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    # slacheck: waive SC101 until=next-year
    metadata:
      name: checkout
    spec:
      description: Checkout API.
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    spec:
      description: Checkout API.
    ```
    """,
)

describe(
    "SC804",
    "gate-config-changed",
    Severity.WARNING,
    """The configuration, waivers or policies differ from the base revision.

    With ``--config-from REV`` the run takes its configuration, config
    waivers and policy files from the git revision ``REV`` (usually the
    target branch of a pull request), so a change cannot weaken the check it
    is judged by. Each difference from the working tree is reported so that
    reviewers see it: a changed config key, an added, changed or removed
    policy file, or an inline waiver comment that ``REV`` does not have.
    Such a new inline waiver is not applied in that run.
    """,
)

describe(
    "SC805",
    "baseline-stale",
    Severity.INFO,
    """Baseline entries no longer match any finding.

    The findings recorded in the baseline were fixed or changed. Keeping
    their entries would accept the same mistakes if they came back, so
    record the baseline again with ``--write-baseline``.
    """,
)
