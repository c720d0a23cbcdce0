"""`slacheck evaluate` on the example snapshots of examples/b2b-api, with exact figures."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from conftest import CliRunner

SNAPSHOTS = "examples/snapshots"
GOOD = f"{SNAPSHOTS}/2026-03-good.yaml"
MISSED = f"{SNAPSHOTS}/2026-04-slo-missed.yaml"
BREACH = f"{SNAPSHOTS}/2026-05-breach.yaml"
MIDMONTH = f"{SNAPSHOTS}/2026-06-midmonth.yaml"


def evaluate_json(cli: CliRunner, *snapshots: str) -> tuple[int, dict[str, Any]]:
    args = [arg for snapshot in snapshots for arg in ("--snapshot", snapshot)]
    result = cli("evaluate", "--format", "json", *args, "examples/b2b-api/")
    return result.returncode, json.loads(result.stdout)


def slo(report: dict[str, Any], name: str, index: int = -1) -> dict[str, Any]:
    return next(
        r for r in report["evaluation"]["snapshots"][index]["slos"] if r["slo"] == name
    )


def sla(
    report: dict[str, Any], name: str, commitment: str, index: int = -1
) -> dict[str, Any]:
    results = report["evaluation"]["snapshots"][index]["slas"]
    return next(
        r for r in results if r["sla"] == name and r["commitment"] == commitment
    )


def kpi(report: dict[str, Any], name: str, index: int = -1) -> dict[str, Any]:
    return next(
        r for r in report["evaluation"]["snapshots"][index]["kpis"] if r["kpi"] == name
    )


def codes(report: dict[str, Any]) -> list[str]:
    return sorted(f["code"] for f in report["findings"])


def test_good_month_enterprise_headroom(cli: CliRunner) -> None:
    code, report = evaluate_json(cli, GOOD)
    uptime = sla(report, "b2b-api-enterprise", "monthly-uptime")
    assert code == 0
    assert uptime["status"] == "met"
    assert uptime["attainment"] == "0.9994"
    assert uptime["headroomPoints"] == "0.44"
    assert uptime["budgetUsed"] == "0.12"
    assert uptime["credit"]["share"] == "0"
    assert codes(report) == []


def test_good_month_slo_budget(cli: CliRunner) -> None:
    _, report = evaluate_json(cli, GOOD)
    availability = slo(report, "api-availability")
    budget = availability["budget"]
    assert availability["status"] == "met"
    assert availability["attainment"] == "0.9994"
    assert budget["allowed"] == "12000"
    assert budget["consumed"] == "7200"
    assert budget["remaining"] == "4800"
    assert budget["consumedShare"] == "0.6"
    assert budget["burnRate"] == "0.6"
    assert budget["pace"] == "0.6"
    assert (
        "rolling 28d window judged over the snapshot's 31-day period"
        in availability["windowNote"]
    )


def test_good_month_latency_thresholds(cli: CliRunner) -> None:
    _, report = evaluate_json(cli, GOOD)
    latency = slo(report, "api-latency")
    response = sla(report, "b2b-api-enterprise", "response-time")
    assert latency["attainment"] == "0.995"
    assert latency["budget"]["consumedShare"] == "0.5"
    assert response["attainment"] == "0.999"
    assert response["headroomPoints"] == "4.9"


def test_good_month_standard_time_slices(cli: CliRunner) -> None:
    _, report = evaluate_json(cli, GOOD)
    standard = sla(report, "b2b-api-standard", "monthly-uptime")
    assert standard["status"] == "met"
    # 44,625 good one-minute slices of the 44,640 in March.
    assert standard["attainment"] == str(Decimal(44625) / 44640)


def test_slo_missed_month_keeps_sla(cli: CliRunner) -> None:
    code, report = evaluate_json(cli, MISSED)
    availability = slo(report, "api-availability")
    uptime = sla(report, "b2b-api-enterprise", "monthly-uptime")
    assert code == 0
    assert availability["status"] == "missed"
    assert availability["attainment"] == "0.998"
    assert availability["budget"]["consumedShare"] == "2"
    assert availability["budget"]["remaining"] == "-10000"
    assert uptime["status"] == "met"
    assert uptime["headroomPoints"] == "0.3"
    assert uptime["budgetUsed"] == "0.4"
    assert "POL002" in codes(report)
    assert "SC710" not in codes(report)


def test_breach_month_step_credit(cli: CliRunner) -> None:
    code, report = evaluate_json(cli, BREACH)
    uptime = sla(report, "b2b-api-enterprise", "monthly-uptime")
    assert code == 1
    assert uptime["status"] == "breached"
    assert uptime["attainment"] == "0.987"
    assert uptime["headroomPoints"] == "-0.8"
    assert uptime["budgetUsed"] == "2.6"
    assert uptime["excludedMinutes"] == "90"
    # 0.8 points short is 1.6 steps of 0.5; a partly used step counts in full.
    assert uptime["credit"]["share"] == "0.2"
    assert uptime["credit"]["alternative"] is None
    assert uptime["credit"]["text"] == "20% of the monthly fee"
    assert uptime["claimDeadline"] == "2026-06-30"


def test_breach_month_tier_credit(cli: CliRunner) -> None:
    _, report = evaluate_json(cli, BREACH)
    standard = sla(report, "b2b-api-standard", "monthly-uptime")
    assert standard["status"] == "breached"
    # 90 excluded minutes leave 44,550 slices, 44,060 of them good: the 98-99% tier.
    assert standard["attainment"] == str(Decimal(44060) / 44550)
    assert standard["credit"]["share"] == "0.1"
    assert standard["claimDeadline"] == "2026-06-15"


def test_breach_month_findings(cli: CliRunner) -> None:
    _, report = evaluate_json(cli, BREACH)
    breaches = [f for f in report["findings"] if f["code"] == "SC710"]
    assert [f["severity"] for f in breaches] == ["error", "error"]
    assert breaches[0]["message"] == (
        "SLA commitment 'b2b-api-enterprise/monthly-uptime' breached: 98.7% against 99.5% "
        "(0.8 points short); credit owed: 20% of the monthly fee, claims due by 2026-06-30"
    )
    assert (breaches[0]["path"], breaches[0]["line"]) == (BREACH, 16)
    assert codes(report).count("POL004") == 2


def test_midmonth_budget_burns_too_fast(cli: CliRunner) -> None:
    code, report = evaluate_json(cli, MIDMONTH)
    availability = slo(report, "api-availability")
    period = report["evaluation"]["snapshots"][0]["period"]
    assert code == 0
    assert period["running"] is True
    assert period["elapsed"] == "0.4"
    assert availability["budget"]["consumedShare"] == "0.8"
    assert availability["budget"]["pace"] == "2"
    assert availability["budget"]["burnRate"] == "2"
    burning = [f for f in report["findings"] if f["code"] == "POL001"]
    assert [f["message"] for f in burning] == [
        "SLO api-availability objective availability has used 80% of its error budget "
        "with 40% of the period gone (pace 2); at this rate the budget runs out before "
        "the period ends"
    ]


def test_consecutive_months_trends(cli: CliRunner) -> None:
    code, report = evaluate_json(cli, BREACH, GOOD, MISSED)
    assert code == 1
    april = sla(report, "b2b-api-enterprise", "monthly-uptime", index=1)
    may = sla(report, "b2b-api-enterprise", "monthly-uptime", index=2)
    assert april["risk"] == {
        "level": "elevated",
        "worseningKpis": ["alert-noise-ratio", "change-failure-rate", "mttr-sev1"],
    }
    assert may["history"]["breachRate"] == str(Decimal(1) / 3)
    assert may["history"]["headroomPoints"] == ["0.44", "0.3", "-0.8"]
    mttr = kpi(report, "mttr-sev1", index=1)
    assert (mttr["previous"], mttr["value"], mttr["trend"]) == ("45", "75", "worse")
    rate = kpi(report, "b2b-api-enterprise/monthly-uptime:breach-rate", index=2)
    assert rate["derived"] is True


def test_snapshots_sorted_by_period(cli: CliRunner) -> None:
    _, report = evaluate_json(cli, MIDMONTH, GOOD)
    names = [s["name"] for s in report["evaluation"]["snapshots"]]
    assert names == ["b2b-api-2026-03", "b2b-api-2026-06-mid"]


GOOD_TEXT = """\
Snapshot b2b-api-2026-03 (examples/snapshots/2026-03-good.yaml): 2026-03-01 to 2026-04-01 (UTC), complete

Service b2b-api

  SLO                            target         measured  status  budget used  budget left   burn rate  pace
  api-availability/availability  99.9%          99.94%    met     60%          4800 events   0.6        0.6
  api-latency/fast-requests      99% lte 500ms  99.5%     met     50%          60000 events  0.5        0.5

  SLA commitment                     target      measured  status  headroom     budget used  risk    credit  claim by
  b2b-api-enterprise/monthly-uptime  99.5%       99.94%    met     0.44 points  12%          normal  none    -
  b2b-api-enterprise/response-time   95% lte 1s  99.9%     met     4.9 points   2%           normal  none    -
  b2b-api-standard/monthly-uptime    99%         99.97%    met     0.97 points  3.36%        normal  none    -

  KPI                   target               measured     status     previous  trend
  change-failure-rate   15% (lower)          12%          on target  -         -
  deployment-frequency  10 perWeek (higher)  14 perWeek   on target  -         -
  alert-noise-ratio     20% (lower)          18%          on target  -         -
  mttr-sev1             60 minutes (lower)   45 minutes   on target  -         -
  mttr-sev2             240 minutes (lower)  180 minutes  on target  -         -
  Notes:
    api-availability/availability: rolling 28d window judged over the snapshot's 31-day period, so the error budget of 0.1% is scaled from 40.3 min to 44.6 min
    api-latency/fast-requests: rolling 28d window judged over the snapshot's 31-day period, so the error budget of 1% is scaled from 6 h 43.2 min to 7 h 26.4 min
"""


def test_good_month_text_output(cli: CliRunner) -> None:
    result = cli("evaluate", "--snapshot", GOOD, "examples/b2b-api/")
    assert result.returncode == 0
    assert result.stdout == GOOD_TEXT
    assert result.stderr == "No findings in 10 files.\n"


def test_breach_month_text_findings(cli: CliRunner) -> None:
    result = cli(
        "evaluate", "--snapshot", BREACH, "--select", "SC710", "examples/b2b-api/"
    )
    findings = result.stdout.split("Findings:\n", 1)[1]
    assert result.returncode == 1
    assert findings == (
        f"{BREACH}:16:7: SC710 SLA commitment 'b2b-api-enterprise/monthly-uptime' breached: "
        "98.7% against 99.5% (0.8 points short); credit owed: 20% of the monthly fee, "
        "claims due by 2026-06-30\n"
        f"{BREACH}:16:7: SC710 SLA commitment 'b2b-api-standard/monthly-uptime' breached: "
        "98.9% against 99% (0.1 points short); credit owed: 10% of the monthly fee, "
        "claims due by 2026-06-15\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["examples/b2b-api/"], "slacheck: error: give at least one --snapshot FILE"),
        (
            ["--snapshot", "nope.yaml", "examples/b2b-api/"],
            "slacheck: error: --snapshot 'nope.yaml' does not exist\n",
        ),
        (
            ["--snapshot", "examples/b2b-api/service.yaml", "examples/b2b-api/"],
            "slacheck: error: --snapshot 'examples/b2b-api/service.yaml' contains no "
            "'kind: Snapshot' document",
        ),
        (
            ["--snapshot", GOOD, "--format", "xml", "examples/b2b-api/"],
            "slacheck: error: --format 'xml' is invalid",
        ),
        (
            ["--snapshot", GOOD, "--fail-on", "bogus", "examples/b2b-api/"],
            "slacheck: error: --fail-on 'bogus' is invalid",
        ),
    ],
)
def test_usage_errors_exit_2(cli: CliRunner, args: list[str], message: str) -> None:
    result = cli("evaluate", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert result.stdout == ""


def test_fail_on_warning(cli: CliRunner) -> None:
    assert cli("evaluate", "--snapshot", MISSED, "examples/b2b-api/").returncode == 0
    result = cli(
        "evaluate", "--fail-on", "warning", "--snapshot", MISSED, "examples/b2b-api/"
    )
    assert result.returncode == 1


def test_no_default_policies(cli: CliRunner) -> None:
    code, report = evaluate_json(cli, MISSED)
    assert "POL002" in codes(report)
    result = cli(
        "evaluate",
        "--format",
        "json",
        "--no-default-policies",
        "--snapshot",
        MISSED,
        "examples/b2b-api/",
    )
    assert codes(json.loads(result.stdout)) == []
