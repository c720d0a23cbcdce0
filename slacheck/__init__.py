"""slacheck: lint and evaluate SLA, SLO, SLI and KPI definitions kept as code."""

__version__ = "0.1.0"
