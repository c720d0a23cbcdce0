"""Codes for findings about changes between two revisions (SC9xx)."""

from __future__ import annotations

from slacheck.findings import Severity
from slacheck.rules.base import describe

UNVERSIONED = "SC901"
WEAKENED_WITHOUT_MAJOR = "SC902"
TIGHTENED_TO_SLO = "SC903"

_CODES = (
    (
        UNVERSIONED,
        "unversioned-change",
        """An SLA's commitments changed but its metadata.version did not go up.

        A signed contract is identified by its version. When a pull request
        changes what an SLA promises (a target, a threshold, an exclusion, a
        credit, the claim process) without raising ``metadata.version``,
        two different texts carry one version and nobody can tell which one
        a customer signed. ``slacheck diff`` reports this at the version
        field; raise the version following semantic versioning (a new major
        version for a change that weakens a commitment, a minor one for a
        change that strengthens it).
        """,
    ),
    (
        WEAKENED_WITHOUT_MAJOR,
        "weakening-without-major",
        """A change weakens an SLA commitment but the major version stays the same.

        Lowering a target, loosening a threshold, adding an exclusion,
        shrinking credits or the claim window takes something away from the
        customer. Under semantic versioning that is a breaking change, so the
        SLA needs a new major version (3.2.0 to 4.0.0), which tells sales
        and legal that customers must agree to the new terms. A change that
        cannot be classified is treated like a weakening.
        """,
    ),
    (
        TIGHTENED_TO_SLO,
        "tightened-to-slo",
        """A change makes an SLA commitment as strict as its SLO, or stricter.

        Either the commitment was raised or the SLO behind it was lowered.
        Without margin, the first missed SLO is already a contract breach
        with credits owed. Keep the SLA looser than the SLO, or tighten the
        SLO first and show it holds.
        """,
    ),
)


# Registering on import runs once per process, because Python caches modules.
# get_rule() is not used to check first: it would import every rule module
# at CLI start-up.
for _code, _name, _doc in _CODES:
    describe(_code, _name, Severity.ERROR, _doc)
