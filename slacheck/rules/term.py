"""The SLA's term: the dates it takes effect and ends (SC314)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.rules.base import Issue, RuleContext, rule


def _date(value: Any) -> datetime.date | None:
    """Read a YYYY-MM-DD string; other values are the schema's finding (SC010)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@rule("SC314", "expiry-before-effective", Severity.ERROR, kinds=("SLA",))
def expiry_before_effective(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA expires on or before the day it takes effect.

    ``effectiveDate`` is the first day the commitments apply and
    ``expiryDate`` the last. An expiry before the effective date leaves no
    day on which the SLA is in force, and an expiry on the same day leaves
    one day, shorter than any contract period (month, quarter or year).
    Either way no period can be breached and no credit is ever owed. The
    dates were usually swapped, or a year was mistyped.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      expiryDate: "2025-12-31"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      expiryDate: "2026-12-31"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
    ```
    """
    effective = _date(document.spec.get("effectiveDate"))
    expiry = _date(document.spec.get("expiryDate"))
    if effective is None or expiry is None or expiry > effective:
        return
    if expiry == effective:
        effect = "the same day as effectiveDate, so the SLA is in force for one day"
    else:
        effect = (
            f"before effectiveDate {effective.isoformat()}, so the SLA is never "
            "in force"
        )
    message = (
        f"expiryDate {expiry.isoformat()} is {effect}; set the last day of the "
        "agreement, after the effective date"
    )
    yield Issue(("spec", "expiryDate"), message, key=f"{effective} {expiry}")
