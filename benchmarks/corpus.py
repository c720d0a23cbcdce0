"""Generate a seeded corpus of realistic slacheck/v1 definition files.

The corpus is a definitions monorepo: teams own services, and each service
has one file per definition, in this mix of ten:

* a Service with its customer tiers;
* two SLIs (availability as a ratio of events, latency as a threshold);
* two SLOs, over a rolling 28-day window or (a third of availability SLOs)
  the calendar month the SLAs use;
* two SLAs (enterprise with a step credit rule, standard with credit tiers),
  each with every contract clause: customers, commitments, measurement,
  exclusions, remedies, claims and escalation;
* three KPIs (restore time, change failure rate, deployment frequency).

About one SLA in fifty promises the same as its SLO (no margin) and about
one KPI in a hundred misspells a field, so the runs also exercise the paths
that report findings. The same seed always gives the same bytes.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEFINITIONS_PER_SERVICE = 10

_DOMAINS = ("payments", "identity", "search", "catalog", "billing", "messaging",
            "storage", "analytics", "checkout", "notifications", "reporting")
_REGIONS = ("eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2")
_ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Europe/London", "Asia/Tokyo")
_SLO_TARGETS = ("99.9%", "99.95%", "99.99%", "0.999", "99.9%")
_SLA_TARGETS = ("99.5%", "99%", "99.5%", "99.0%", "0.995")


_KINDS = {"service.yaml": "Service", "slis": "SLI", "slos": "SLO", "slas": "SLA",
          "kpis": "KPI"}


@dataclass(frozen=True)
class Corpus:
    root: Path
    files: list[Path]
    kinds: list[str]


def generate(root: Path, count: int, *, seed: int = 20260101) -> Corpus:
    """Write ``count`` definition files under ``root`` (emptied first)."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    files: list[Path] = []
    service = 0
    while len(files) < count:
        team = f"team-{service // 25:03d}"
        folder = root / "teams" / team / f"svc-{service:05d}"
        for name, text in _service_files(rng, service, team):
            if len(files) == count:
                break
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            files.append(path)
        service += 1
    # A definitions repo is a git repository; --changed-only loads the whole
    # repository it finds above the named files.
    subprocess.run(["git", "init", "--quiet", str(root)], check=True)
    kinds = [_KINDS.get(f.name) or _KINDS[f.parent.name] for f in files]
    return Corpus(root, files, kinds)


def write_snapshot(path: Path, corpus: Corpus, *, seed: int = 7) -> Path:
    """Write one month's measurements for every SLI of ``corpus``."""
    rng = random.Random(seed)
    lines = [
        "apiVersion: slacheck/v1",
        "kind: Snapshot",
        "metadata:",
        "  name: benchmark-march",
        "spec:",
        "  period:",
        '    start: "2026-03-01"',
        '    end: "2026-04-01"',
        "    timeZone: UTC",
        "  indicators:",
    ]
    for file, kind in zip(corpus.files, corpus.kinds):
        if kind != "SLI":
            continue
        name = f"{file.parent.parent.name}-{file.stem}"
        total = rng.randint(1_000_000, 50_000_000)
        bad = rng.randint(0, total // 200)
        lines += [f"    - sli: {name}"]
        if file.stem == "latency":
            lines += ["      threshold: 500ms"]
        lines += ["      events:", f"        good: {total - bad}", f"        total: {total}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _service_files(rng: random.Random, index: int, team: str) -> list[tuple[str, str]]:
    svc = f"svc-{index:05d}"
    domain = rng.choice(_DOMAINS)
    region = rng.choice(_REGIONS)
    zone = rng.choice(_ZONES)
    slo_target = rng.choice(_SLO_TARGETS)
    no_margin = rng.random() < 0.02
    enterprise_target = slo_target if no_margin else rng.choice(_SLA_TARGETS)
    latency_ms = rng.choice((200, 250, 300, 400, 500, 800))
    # A third of the teams judge availability over the SLA's calendar month.
    calendar_slo = rng.random() < 0.33
    return [
        ("service.yaml", _service(svc, team, domain)),
        ("slis/availability.yaml", _sli_availability(svc, team, domain)),
        ("slis/latency.yaml", _sli_latency(svc, team)),
        ("slos/availability.yaml",
         _slo_availability(svc, team, slo_target, zone, calendar_slo)),
        ("slos/latency.yaml", _slo_latency(svc, team, latency_ms)),
        ("slas/enterprise.yaml",
         _sla_enterprise(rng, svc, region, zone, enterprise_target, latency_ms)),
        ("slas/standard.yaml", _sla_standard(rng, svc, region, zone)),
        ("kpis/mttr.yaml", _kpi_mttr(rng, svc, team)),
        ("kpis/change-failure-rate.yaml", _kpi_cfr(rng, svc)),
        ("kpis/deployment-frequency.yaml", _kpi_deploys(rng, svc)),
    ]


def _service(svc: str, team: str, domain: str) -> str:
    return f"""\
apiVersion: slacheck/v1
kind: Service
metadata:
  name: {svc}
  displayName: {domain.title()} service {svc[4:]}
  owner: {team}
  labels:
    domain: {domain}
    tier: critical
spec:
  description: Handles {domain} requests from web, mobile and partner integrations.
  tiers: [enterprise, standard]
"""


def _sli_availability(svc: str, team: str, domain: str) -> str:
    return f"""\
apiVersion: slacheck/v1
kind: SLI
metadata:
  name: {svc}-availability
  owner: {team}
spec:
  service: {svc}
  description: Share of {domain} requests that do not fail with a server error.
  ratioMetric:
    good:
      source: prometheus
      query: sum(rate(http_requests_total{{job="{svc}",code!~"5.."}}[5m]))
    total:
      source: prometheus
      query: sum(rate(http_requests_total{{job="{svc}"}}[5m]))
  zeroTraffic: noData
"""


def _sli_latency(svc: str, team: str) -> str:
    return f"""\
apiVersion: slacheck/v1
kind: SLI
metadata:
  name: {svc}-latency
  owner: {team}
spec:
  service: {svc}
  description: Server-side response time measured at the load balancer.
  thresholdMetric:
    source: prometheus
    query: >-
      histogram_quantile(0.99, sum by (le)
      (rate(http_request_duration_seconds_bucket{{job="{svc}"}}[5m])))
    unit: ms
  zeroTraffic: noData
"""


def _slo_availability(svc: str, team: str, target: str, zone: str, calendar: bool) -> str:
    window = "    - duration: 28d\n      isRolling: true\n"
    if calendar:
        window = (
            "    - isRolling: false\n      calendar:\n        period: month\n"
            f"        timeZone: {zone}\n"
        )
    return f"""\
apiVersion: slacheck/v1
kind: SLO
metadata:
  name: {svc}-availability
  owner: {team}
  labels:
    reviewed: "2026-03"
spec:
  service: {svc}
  description: Internal availability objective, tighter than every customer SLA.
  indicatorRef: {svc}-availability
  budgetingMethod: Occurrences
  timeWindow:
{window}  objectives:
    - name: availability
      target: {target}
"""


def _slo_latency(svc: str, team: str, latency_ms: int) -> str:
    return f"""\
apiVersion: slacheck/v1
kind: SLO
metadata:
  name: {svc}-latency
  owner: {team}
spec:
  service: {svc}
  description: 99% of requests are served within {latency_ms} ms.
  indicatorRef: {svc}-latency
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - name: fast-requests
      op: lte
      value: {latency_ms}ms
      target: 99%
"""


def _sla_enterprise(
    rng: random.Random, svc: str, region: str, zone: str, target: str, latency_ms: int
) -> str:
    notice = rng.choice((24, 48, 72))
    within = rng.choice((15, 30, 45))
    return f"""\
# Enterprise terms: reviewed by legal before every change.
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: {svc}-enterprise
  version: {rng.randint(1, 4)}.{rng.randint(0, 9)}.0
  owner: legal-commercial
  labels:
    tier: enterprise
spec:
  service: {svc}
  description: Service level agreement attached to the Enterprise order form.
  customers:
    party: Customers on an Enterprise subscription under the Master Subscription Agreement
    tiers: [enterprise]
  effectiveDate: "2026-0{rng.randint(1, 9)}-01"
  commitments:
    - name: monthly-uptime
      description: The service is available at least {target} of each calendar month.
      sloRef: {svc}-availability
      target: {target}
      period: month
      timeZone: {zone}
    - name: response-time
      description: 95% of requests in each month complete within {latency_ms * 4} ms.
      sloRef: {svc}-latency
      op: lte
      value: {latency_ms * 4}ms
      target: 95%
      period: month
      timeZone: {zone}
  measurement:
    source: Load balancer access logs in the {region} region, kept for 13 months
    unit: event
    bad: A request answered with an HTTP 5xx status or not answered within 30 seconds
    lowTraffic:
      minimumEvents: 100
      treatAs: good
  exclusions:
    - type: scheduledMaintenance
      description: Maintenance announced at least {notice} hours ahead, at most 4 hours a month
      noticePeriod: {notice}h
      maxPerPeriod: 4h
    - type: forceMajeure
      description: Events beyond our reasonable control, such as natural disasters or war
    - type: customerCaused
      description: Failures caused by the customer's systems, credentials or misuse
  remedies:
    - type: serviceCredit
      commitment: monthly-uptime
      description: 10% of the monthly fee for every 0.5 points below the commitment, at most 30%
      base: monthlyFee
      cap: 30%
      step:
        below: {target}
        points: 0.5
        credit: 10%
        partialStep: full
    - type: serviceCredit
      commitment: response-time
      description: A credit on the monthly fee when responses are slow
      base: monthlyFee
      cap: 20%
      tiers:
        - below: 95%
          atLeast: 90%
          credit: 5%
        - below: 90%
          credit: 20%
    - type: termination
      commitment: monthly-uptime
      description: The customer may terminate after three breached months in any six
      breaches: 3
  claims:
    channel: Support ticket in the customer portal, category "SLA credit"
    deadline:
      within: {within}d
      after: periodEnd
    evidence:
      - Dates and times ({zone}) of the unavailability
      - Request IDs or logs showing the failed requests
    creditApplied: Next invoice
  escalation:
    - level: 1
      contact: Customer success manager
      within: 2d
    - level: 2
      contact: VP Customer Operations
      within: 5d
"""


def _sla_standard(rng: random.Random, svc: str, region: str, zone: str) -> str:
    return f"""\
apiVersion: slacheck/v1
kind: SLA
metadata:
  name: {svc}-standard
  version: {rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 4)}
  owner: legal-commercial
  labels:
    tier: standard
spec:
  service: {svc}
  description: Service level agreement in the Standard plan terms of service.
  customers:
    party: Customers on the Standard plan under the online terms of service
    tiers: [standard]
  effectiveDate: "2026-01-01"
  commitments:
    - name: monthly-uptime
      description: The service is available at least 99.0% of each calendar month.
      sloRef: {svc}-availability
      target: 99%
      period: month
      timeZone: {zone}
  measurement:
    source: Load balancer access logs in the {region} region
    unit: interval
    interval: 1m
    bad: A minute in which more than 5% of requests fail with HTTP 5xx
    lowTraffic:
      minimumEvents: 10
      treatAs: good
  exclusions:
    - type: scheduledMaintenance
      description: Maintenance announced on the status page at least 24 hours ahead
      noticePeriod: 24h
    - type: forceMajeure
      description: Events beyond our reasonable control
  remedies:
    - type: serviceCredit
      commitment: monthly-uptime
      description: A credit on the monthly fee by attainment band
      base: monthlyFee
      cap: 50%
      tiers:
        - below: 99%
          atLeast: 98%
          credit: 10%
        - below: 98%
          atLeast: 95%
          credit: 25%
        - below: 95%
          credit: 50%
  claims:
    channel: Email to billing@example.com with the subject "SLA credit request"
    deadline:
      within: 15d
      after: periodEnd
    evidence:
      - Dates and times of the unavailability
  escalation:
    - level: 1
      contact: Support team lead
      within: 3d
"""


def _kpi_mttr(rng: random.Random, svc: str, team: str) -> str:
    return f"""\
apiVersion: slacheck/v1
kind: KPI
metadata:
  name: {svc}-mttr-sev1
  owner: {team}
spec:
  service: {svc}
  description: Time to restore service after a severity-1 incident.
  metric: Mean time to restore for severity-1 incidents
  source: Incident tracker
  unit: minutes
  target: {rng.choice((30, 45, 60, 90))}
  direction: lowerIsBetter
  reviewCadence: monthly
  leadingIndicatorFor: [{svc}-enterprise, {svc}-standard]
"""


def _kpi_cfr(rng: random.Random, svc: str) -> str:
    # A misspelt field in about one KPI in a hundred: a schema finding.
    field = "reviewCadance" if rng.random() < 0.01 else "reviewCadence"
    return f"""\
apiVersion: slacheck/v1
kind: KPI
metadata:
  name: {svc}-change-failure-rate
  owner: engineering-manager
spec:
  service: {svc}
  description: Share of production deployments that cause an incident or a rollback.
  metric: Failed deployments divided by all deployments
  source: Deployment pipeline and incident tracker
  unit: percent
  target: {rng.choice((10, 15, 20))}%
  direction: lowerIsBetter
  {field}: monthly
  leadingIndicatorFor: [{svc}-enterprise]
"""


def _kpi_deploys(rng: random.Random, svc: str) -> str:
    return f"""\
apiVersion: slacheck/v1
kind: KPI
metadata:
  name: {svc}-deployment-frequency
  owner: engineering-manager
spec:
  service: {svc}
  metric: Production deployments per week
  source: Deployment pipeline
  unit: perWeek
  target: {rng.choice((5, 10, 20))}
  direction: higherIsBetter
  reviewCadence: weekly
"""
