"""Customer tier rules (SC401-SC404)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacheck.lint import lint
from slacheck.settings import LintSettings

CODES = ["SC401", "SC402", "SC403", "SC404"]

SERVICE = """\
apiVersion: slacheck/v1
kind: Service
metadata:
  name: api
spec:
  tiers: [enterprise, standard]
"""


def sla(name: str, customers: str, target: str = "99.5%", remedies: bool = True) -> str:
    """Build an SLA document; `customers` is the spec line(s) after `service`.

    Its `kind` is on line 2 and `spec:` on line 5. With one customers line,
    `customers` is on line 7 and `commitments` on line 9.
    """
    text = (
        "apiVersion: slacheck/v1\n"
        "kind: SLA\n"
        "metadata:\n"
        f"  name: {name}\n"
        "spec:\n"
        "  service: api\n"
        f"{customers}"
        '  effectiveDate: "2026-01-01"\n'
        "  commitments:\n"
        "    - name: uptime\n"
        f"      target: {target}\n"
        "      period: month\n"
        "      timeZone: UTC\n"
    )
    if remedies:
        text += (
            "  remedies:\n"
            "    - type: serviceCredit\n"
            "      tiers: [{below: 99%, credit: 10%}]\n"
        )
    return text


def findings(tmp_path: Path, *documents: str) -> list[tuple[str, int, int, str]]:
    for index, document in enumerate(documents):
        (tmp_path / f"doc{index}.yaml").write_text(document, encoding="utf-8")
    result = lint(LintSettings(paths=[str(tmp_path)], select=CODES))
    return [(Path(f.path).name, f.line, f.column, f.code) for f in result.findings]


ENTERPRISE = "  customers: {party: Enterprise customers, tiers: [enterprise]}\n"
STANDARD = "  customers: {party: Standard customers, tiers: [standard]}\n"

CASES = {
    "one SLA per tier": (
        [SERVICE, sla("a", ENTERPRISE), sla("b", STANDARD, target="99%")],
        [],
    ),
    "SLA names no tier": (
        [SERVICE, sla("a", "  customers: {party: All customers}\n")],
        [("doc1.yaml", 7, 3, "SC401")],
    ),
    "SLA without customers but with remedies": (
        [SERVICE, sla("a", "")],
        [("doc1.yaml", 5, 1, "SC401")],
    ),
    "SLA names every tier": (
        [SERVICE, sla("a", "  customers: {tiers: [standard, enterprise]}\n")],
        [("doc1.yaml", 7, 22, "SC401")],
    ),
    "SLA scoped by plans": (
        [SERVICE, sla("a", "  customers: {plans: [Growth 2026]}\n")],
        [],
    ),
    "service with one tier": (
        [
            SERVICE.replace("[enterprise, standard]", "[enterprise]"),
            sla("a", "  customers: {party: All customers}\n"),
        ],
        [],
    ),
    "identical commitments": (
        [SERVICE, sla("a", ENTERPRISE), sla("b", STANDARD, target="0.995")],
        [("doc1.yaml", 9, 3, "SC402"), ("doc2.yaml", 9, 3, "SC402")],
    ),
    "identical commitments, same tier": (
        [SERVICE, sla("a", ENTERPRISE), sla("b", ENTERPRISE)],
        [],
    ),
    "identical commitments, other service": (
        [
            SERVICE,
            sla("a", ENTERPRISE),
            sla("b", STANDARD).replace("service: api", "service: web"),
        ],
        [],
    ),
    "internal target": (
        [SERVICE, sla("a", "", remedies=False)],
        [("doc1.yaml", 2, 7, "SC403")],
    ),
    "customers without a party": (
        [SERVICE, sla("a", "  customers: {}\n", remedies=False)],
        [("doc1.yaml", 2, 7, "SC403")],
    ),
    "customer party without remedies": (
        [SERVICE, sla("a", ENTERPRISE, remedies=False)],
        [],
    ),
    "unknown tier": (
        [SERVICE, sla("a", "  customers: {tiers: [enterprize]}\n")],
        [("doc1.yaml", 7, 23, "SC404")],
    ),
    "service lists no tiers": (
        [
            SERVICE.replace("  tiers: [enterprise, standard]\n", "  description: x\n"),
            sla("a", ENTERPRISE),
        ],
        [("doc1.yaml", 7, 52, "SC404")],
    ),
    "unresolved service": ([sla("a", "  customers: {tiers: [enterprize]}\n")], []),
}


@pytest.mark.parametrize(("documents", "expected"), CASES.values(), ids=CASES.keys())
def test_tier_rule_positions(
    tmp_path: Path, documents: list[str], expected: list[tuple[str, int, int, str]]
) -> None:
    assert findings(tmp_path, *documents) == expected


def messages(tmp_path: Path, *documents: str) -> list[str]:
    for index, document in enumerate(documents):
        (tmp_path / f"doc{index}.yaml").write_text(document, encoding="utf-8")
    result = lint(LintSettings(paths=[str(tmp_path)], select=CODES))
    return [f.message for f in result.findings]


def test_unknown_tier_suggests_close_name(tmp_path: Path) -> None:
    found = messages(
        tmp_path, SERVICE, sla("a", "  customers: {tiers: [enterprize]}\n")
    )
    assert found == [
        "tier 'enterprize' is not a tier of Service 'api', which lists enterprise, "
        "standard; did you mean 'enterprise'?"
    ]


def test_identical_commitments_name_the_other_sla(tmp_path: Path) -> None:
    found = messages(tmp_path, SERVICE, sla("a", ENTERPRISE), sla("b", STANDARD))
    assert len(found) == 2
    assert found[0] == (
        f"SLA for tier enterprise makes the same commitments (99.5% per calendar "
        f"month) as SLA 'b' (standard) at {tmp_path / 'doc2.yaml'}:1, so the tiers "
        "differ in price but not in promise; make the commitments differ, or cover "
        "the tiers with one SLA"
    )
    assert "as SLA 'a' (enterprise) at " in found[1]


def test_internal_target_says_what_to_write(tmp_path: Path) -> None:
    found = messages(tmp_path, sla("a", "", remedies=False))
    assert found == [
        "kind 'SLA' names no customer party and no remedies, so this is an internal "
        "target; make it an SLO (or a KPI for a business measure), or add "
        "spec.customers and spec.remedies"
    ]
