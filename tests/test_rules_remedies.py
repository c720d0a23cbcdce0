"""Remedy and credit-schedule rules (SC305-SC309, SC312)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacheck.lint import lint
from slacheck.settings import LintSettings

CODES = ["SC305", "SC306", "SC307", "SC308", "SC309", "SC312", "SC313"]

# A customer SLA with one commitment at 99.5%. Its `spec:` key is on line 5
# and the commitment's name on line 10; every case appends from line 14 on.
HEAD = """\
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: api-enterprise
spec:
  service: api
  customers: {party: Enterprise customers}
  effectiveDate: "2026-01-01"
  commitments:
    - name: uptime
      target: 99.5%
      period: month
      timeZone: UTC
"""

# Appended right after HEAD, this continues the commitments list (lines 14-19).
LATENCY = """\
    - name: latency
      op: lte
      value: 1s
      target: 95%
      period: month
      timeZone: UTC
"""


def run(tmp_path: Path, text: str) -> list[tuple[int, int, str, str]]:
    path = tmp_path / "sla.yaml"
    path.write_text(text, encoding="utf-8")
    result = lint(LintSettings(paths=[str(path)], select=CODES))
    return [(f.line, f.column, f.code, f.message) for f in result.findings]


def positions(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    return [(line, column, code) for line, column, code, _ in run(tmp_path, text)]


def tiers(*rows: str) -> str:
    """Build one serviceCredit remedy from tier rows (lines 14-16, then 17 on)."""
    lines = ["  remedies:", "    - type: serviceCredit", "      tiers:"]
    for row in rows:
        lines.append(f"        - {row}")
    return "\n".join(lines) + "\n"


CASES = {
    # SC305: is every commitment paid for?
    "no remedies": ("", [(5, 1, "SC305")]),
    "empty remedies": ("  remedies: []\n", [(14, 3, "SC305")]),
    "only termination": (
        "  remedies:\n    - type: termination\n      breaches: 3\n",
        [(14, 3, "SC305")],
    ),
    "credit for the commitment": (tiers("{below: 99.5%, credit: 10%}"), []),
    "unnamed credit pays for all": (
        LATENCY + "  remedies:\n"
        "    - type: serviceCredit\n"
        "      tiers:\n"
        "        - {below: 99.5%, credit: 10%}\n",
        [(23, 19, "SC309")],
    ),
    "second commitment unpaid": (
        LATENCY + "  remedies:\n"
        "    - type: serviceCredit\n"
        "      commitment: uptime\n"
        "      tiers:\n"
        "        - {below: 99.5%, credit: 10%}\n",
        [(14, 13, "SC305")],
    ),
    # SC306: gaps and overlaps between [atLeast, below) ranges.
    "contiguous tiers": (
        tiers(
            "{below: 99.5%, atLeast: 99%, credit: 10%}",
            "{below: 99%, atLeast: 95%, credit: 25%}",
            "{below: 95%, credit: 100%}",
        ),
        [],
    ),
    "implied floors": (
        tiers(
            "{below: 99.5%, credit: 10%}",
            "{below: 99%, credit: 25%}",
            "{below: 95%, credit: 100%}",
        ),
        [],
    ),
    "gap between tiers": (
        tiers("{below: 99.5%, atLeast: 99%, credit: 10%}", "{below: 98%, credit: 25%}"),
        [(18, 19, "SC306")],
    ),
    "overlap between tiers": (
        tiers("{below: 99.5%, atLeast: 98%, credit: 10%}", "{below: 99%, credit: 25%}"),
        [(18, 19, "SC306")],
    ),
    "lowest tier stops above zero": (
        tiers(
            "{below: 99.5%, atLeast: 99%, credit: 10%}",
            "{below: 99%, atLeast: 95%, credit: 25%}",
        ),
        [(18, 33, "SC306")],
    ),
    "atLeast not below below": (
        tiers("{below: 99.5%, credit: 10%}", "{below: 99%, atLeast: 99%, credit: 25%}"),
        [(18, 33, "SC306")],
    ),
    "tiers listed upwards without atLeast": (
        tiers("{below: 99%, credit: 25%}", "{below: 99.5%, credit: 10%}"),
        [(17, 19, "SC306")],
    ),
    # Without 'atLeast' a tier reaches down to the 'below' of the tier listed
    # after it, here 99.5%, so the first tier is empty and nothing covers <99%.
    "tiers listed upwards, last with atLeast": (
        tiers(
            "{below: 99%, credit: 25%}",
            "{below: 99.5%, atLeast: 99%, credit: 10%}",
        ),
        [(17, 19, "SC306"), (18, 35, "SC306")],
    ),
    "tiers listed upwards, all with atLeast": (
        tiers(
            "{below: 99%, atLeast: 0%, credit: 25%}",
            "{below: 99.5%, atLeast: 99%, credit: 10%}",
        ),
        [],
    ),
    # SC307: credits grow as attainment falls.
    "credits shrink": (
        tiers("{below: 99.5%, atLeast: 99%, credit: 25%}", "{below: 99%, credit: 10%}"),
        [(18, 32, "SC307")],
    ),
    "equal credits": (
        tiers("{below: 99.5%, atLeast: 99%, credit: 10%}", "{below: 99%, credit: 10%}"),
        [],
    ),
    "step with zero credit": (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      step: {below: 99.5%, points: 0.5, credit: 0%, partialStep: full}\n",
        [(16, 49, "SC313")],
    ),
    # SC308: an uncapped step rule passes 100%.
    "uncapped step": (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      step: {below: 99.5%, points: 0.5, credit: 10%, partialStep: full}\n",
        [(16, 7, "SC308")],
    ),
    "capped step": (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      cap: 100%\n"
        "      step: {below: 99.5%, points: 0.5, credit: 10%, partialStep: full}\n",
        [],
    ),
    "uncapped step that stays small": (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      step: {below: 99.5%, points: 5, credit: 1%, partialStep: full}\n",
        [],
    ),
    "uncapped tiers": (tiers("{below: 99.5%, credit: 100%}"), []),
    # SC309: the schedule starts at the commitment's target, compared exactly.
    "tiers start below target": (
        tiers("{below: 99%, credit: 10%}"),
        [(17, 19, "SC309")],
    ),
    "tiers start above target": (
        tiers("{below: 99.9%, credit: 10%}"),
        [(17, 19, "SC309")],
    ),
    "target written as ratio": (tiers("{below: 0.995, credit: 10%}"), []),
    "target with trailing zero": (tiers("{below: 99.50%, credit: 10%}"), []),
    "first tier listed last": (
        tiers(
            "{below: 99%, atLeast: 0%, credit: 25%}",
            "{below: 99.9%, atLeast: 99%, credit: 10%}",
        ),
        [(18, 19, "SC309")],
    ),
    "step starts below target": (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      cap: 30%\n"
        "      step:\n"
        "        below: 99%\n"
        "        points: 0.5\n"
        "        credit: 10%\n"
        "        partialStep: full\n",
        [(18, 16, "SC309")],
    ),
    "named schedule wins over unnamed": (
        LATENCY + "  remedies:\n"
        "    - type: serviceCredit\n"
        "      tiers:\n"
        "        - {below: 99.5%, credit: 10%}\n"
        "    - type: serviceCredit\n"
        "      commitment: latency\n"
        "      tiers:\n"
        "        - {below: 95%, credit: 10%}\n",
        [],
    ),
    # SC312: a step rule must say how a partly used step counts.
    "step without partialStep": (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      cap: 30%\n"
        "      step:\n"
        "        below: 99.5%\n"
        "        points: 0.5\n"
        "        credit: 10%\n",
        [(17, 7, "SC312")],
    ),
}


@pytest.mark.parametrize(("body", "expected"), CASES.values(), ids=CASES.keys())
def test_remedy_rule_positions(
    tmp_path: Path, body: str, expected: list[tuple[int, int, str]]
) -> None:
    assert positions(tmp_path, HEAD + body) == expected


def test_internal_target_has_no_remedy_finding(tmp_path: Path) -> None:
    # No customer party and no remedies: SC403 reports it, SC305 stays silent.
    text = HEAD.replace("  customers: {party: Enterprise customers}\n", "")
    assert positions(tmp_path, text) == []


def messages(tmp_path: Path, body: str) -> list[str]:
    return [message for *_, message in run(tmp_path, HEAD + body)]


def test_gap_message_names_range(tmp_path: Path) -> None:
    body = tiers(
        "{below: 99.5%, atLeast: 99%, credit: 10%}", "{below: 98%, credit: 25%}"
    )
    assert messages(tmp_path, body) == [
        "no credit tier covers attainment from 98% up to 99%, between the tier "
        "below 98% and the tier below 99.5%, so a month there owes no credit; set "
        "this tier to 'below: 99%'"
    ]


def test_start_message_states_effect(tmp_path: Path) -> None:
    assert messages(tmp_path, tiers("{below: 99%, credit: 10%}")) == [
        "credits start below 99%, but commitment 'uptime' promises 99.5%: from "
        "99% up to 99.5% the SLA is breached, yet no credit is owed; set "
        "'below: 99.5%'"
    ]


def test_uncapped_step_message_gives_attainment(tmp_path: Path) -> None:
    body = (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      step: {below: 99.5%, points: 0.5, credit: 10%, partialStep: full}\n"
    )
    # Ten steps pay 100%; an eleventh starts just below 99.5 - 10 * 0.5 = 94.5%.
    assert messages(tmp_path, body) == [
        "step rule (10% per 0.5 points below 99.5%) has no 'cap', so below 94.5% "
        "the credit passes 100% of the fee; add a cap of at most 100%, such as "
        "'cap: 30%'"
    ]


def test_uncapped_step_counting_whole_steps(tmp_path: Path) -> None:
    body = (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      step: {below: 99.5%, points: 0.5, credit: 10%, partialStep: none}\n"
    )
    # Eleven completed steps need attainment of 99.5 - 11 * 0.5 = 94% or less.
    assert "so at or below 94% the credit passes" in messages(tmp_path, body)[0]


def test_partial_step_message_shows_both_readings(tmp_path: Path) -> None:
    body = (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      cap: 30%\n"
        "      step: {below: 99.5%, points: 0.5, credit: 10%}\n"
    )
    assert messages(tmp_path, body) == [
        "step rule (10% per 0.5 points below 99.5%) does not say whether a partly "
        "used step earns its credit, and the two readings differ by a whole step: "
        "at 98.75% the credit is 20% with 'partialStep: full' and 10% with "
        "'partialStep: none'; add 'partialStep: full' or 'partialStep: none'"
    ]


def test_partial_step_example_respects_cap(tmp_path: Path) -> None:
    # With a 10% cap, 1.5 steps pay 10% either way, so half a step is shown.
    body = (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      cap: 10%\n"
        "      step: {below: 99.5%, points: 0.5, credit: 10%}\n"
    )
    assert (
        "at 99.25% the credit is 10% with 'partialStep: full' and 0% with"
        in (messages(tmp_path, body)[0])
    )


def test_schema_rejects_credit_above_full_fee(tmp_path: Path) -> None:
    # SC308 relies on the schema for a cap or tier credit above 100%.
    body = (
        "  remedies:\n"
        "    - type: serviceCredit\n"
        "      cap: 150%\n"
        "      tiers:\n"
        "        - {below: 99.5%, credit: 1.5}\n"
    )
    path = tmp_path / "sla.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    result = lint(LintSettings(paths=[str(path)], select=["SC010", *CODES]))
    found = [(f.line, f.code, f.field_path) for f in result.findings]
    assert found == [
        (16, "SC010", "$.spec.remedies[0].cap"),
        (18, "SC010", "$.spec.remedies[0].tiers[0].credit"),
    ]
