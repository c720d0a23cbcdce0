"""Built-in evaluation of SLOs, SLA commitments and KPIs over measured snapshots.

Core API::

    from slacheck.evaluation import evaluate
    evaluation = evaluate(catalog, snapshot_documents)

``catalog`` is a :class:`slacheck.model.Catalog` of definitions (for example
``slacheck.lint.load_definitions(paths).catalog``) and ``snapshot_documents``
are ``kind: Snapshot`` documents. The result is an :class:`Evaluation`:

* ``snapshots``: one :class:`SnapshotEvaluation` per snapshot, oldest first,
  each with ``slos``, ``slas`` and ``kpis``;
* ``findings``: problems met while judging (SC7xx: breaches, snapshots
  that do not cover a contract period, missing measurements, exclusions not
  applied), plus SC101 for a snapshot naming an unknown SLI or KPI.

Every figure is a :class:`decimal.Decimal`; ratios are shares of 1.

:class:`SLOResult` (one per SLO objective): ``status`` (met, missed,
noData, notJudged), ``attainment``, ``met``, ``budget`` (a :class:`Budget`:
``ratio`` = 1 - target, ``allowed``, ``consumed`` and ``remaining`` bad
events or time slices over the whole period, ``consumed_share``,
``remaining_share``, ``burn_rate`` = error ratio / budget ratio, ``pace`` =
consumed share / elapsed share, ``allowed_minutes`` for time slices), and
``window_note`` when a rolling window is judged over the snapshot's period
with its budget scaled to that length.

:class:`SLAResult` (one per commitment): ``status`` (met, breached, noData,
notJudged), ``attainment`` after exclusions, ``headroom_points`` (99.94%
against 99.5% is 0.44), ``budget_used`` (share of the SLA's error budget
used), ``credit`` (a :class:`slacheck.credits.Credit`, cap applied),
``credit_base``, ``claim_deadline`` (last day to file, for deadlines
anchored at the period end), ``excluded_minutes``, ``risk`` (leading KPIs
that got worse since the previous snapshot) and ``history`` (periods,
breaches, breach rate and headroom over the snapshots so far).

:class:`KPIResult`: ``value``, ``target``, ``on_target``, ``status``,
``previous``, ``change`` and ``trend`` (worse, better, flat, unknown).
Each commitment's breach rate and headroom also appear as derived KPIs
named ``<sla>/<commitment>:breach-rate`` and ``...:headroom``.
"""

from __future__ import annotations

from slacheck.evaluation.engine import evaluate
from slacheck.evaluation.results import (
    Budget,
    CommitmentHistory,
    Evaluation,
    KPIResult,
    Risk,
    SLAResult,
    SLOResult,
    SnapshotEvaluation,
)

__all__ = [
    "Budget",
    "CommitmentHistory",
    "Evaluation",
    "KPIResult",
    "Risk",
    "SLAResult",
    "SLOResult",
    "SnapshotEvaluation",
    "evaluate",
]
