"""SLA claim process: how customers ask for their credits (SC310, SC311)."""

from __future__ import annotations

from collections.abc import Iterator

from slacheck.findings import Severity
from slacheck.model import Document
from slacheck.rules.base import Issue, RuleContext, rule

_KNOWN_ANCHORS = "periodEnd, incident, invoice or breachNotice"


@rule("SC310", "no-claim-process", Severity.ERROR, kinds=("SLA",))
def no_claim_process(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """SLA promises remedies but no way to claim them.

    Most contracts pay credits only on request. Without ``claims`` and its
    ``channel`` (where and how a customer files a claim), customers cannot
    collect what the SLA promises, and the provider cannot tell a claim from
    a complaint. The rule applies to SLAs that list remedies; an SLA with
    none is reported by SC305 or SC403 instead.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      remedies:
        - type: serviceCredit
          tiers:
            - below: 99.5%
              credit: 10%
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
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      remedies:
        - type: serviceCredit
          tiers:
            - below: 99.5%
              credit: 10%
      claims:
        channel: Support ticket, category "SLA credit"
        deadline: {within: 30d, after: periodEnd}
    ```
    """
    if not document.spec.get("remedies"):
        return
    claims = document.spec.get("claims")
    if claims is None:
        message = (
            "SLA lists remedies but no 'claims'; add spec.claims with a "
            "'channel' (where customers file a claim) and a 'deadline'"
        )
        yield Issue(("spec",), message, key="claims missing", at_key=True)
    elif isinstance(claims, dict) and "channel" not in claims:
        message = (
            "claims gives no 'channel'; say where and how a customer files a "
            "claim, such as 'channel: Support ticket, category \"SLA credit\"'"
        )
        yield Issue(("spec", "claims"), message, key="channel missing", at_key=True)


@rule("SC311", "claim-deadline-incomplete", Severity.ERROR, kinds=("SLA",))
def claim_deadline_incomplete(document: Document, ctx: RuleContext) -> Iterator[Issue]:
    """Claim deadline is missing, or lacks its duration or its anchor.

    "Claims must be filed within 30 days" is open to argument until it says
    30 days after what: the end of the contract period, the incident, the
    invoice or a breach notice. A deadline needs both ``within`` (the
    duration) and ``after`` (the anchor); a claims clause with no deadline
    at all leaves the provider exposed to claims years later.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLA
    metadata:
      name: api-enterprise
    spec:
      service: api
      effectiveDate: "2026-01-01"
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      claims:
        channel: Support ticket, category "SLA credit"
        deadline:
          within: 30d
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
      commitments:
        - name: uptime
          sloRef: api-availability
          target: 99.5%
          period: month
          timeZone: UTC
      claims:
        channel: Support ticket, category "SLA credit"
        deadline:
          within: 30d
          after: periodEnd
    ```
    """
    claims = document.spec.get("claims")
    if not isinstance(claims, dict):
        return
    deadline = claims.get("deadline")
    if deadline is None:
        message = (
            "claims gives no 'deadline'; add how long customers have to claim "
            "and from when, such as 'deadline: {within: 30d, after: periodEnd}'"
        )
        yield Issue(("spec", "claims"), message, key="deadline missing", at_key=True)
        return
    if not isinstance(deadline, dict):
        return
    where = ("spec", "claims", "deadline")
    if "within" not in deadline:
        anchor = deadline.get("after")
        message = (
            f"claim deadline 'after: {anchor}' gives no duration; add how long "
            "customers have, such as 'within: 30d'"
            if anchor is not None
            else "claim deadline gives no duration; add 'within', such as 'within: 30d'"
        )
        yield Issue(where, message, key="within missing", at_key=True)
    if "after" not in deadline:
        within = deadline.get("within")
        quoted = f" 'within: {within}'" if within is not None else ""
        message = (
            f"claim deadline{quoted} has no anchor, so nobody can tell when the "
            f"time starts; add 'after' ({_KNOWN_ANCHORS})"
        )
        yield Issue(where, message, key="after missing", at_key=True)
