"""Read OpenSLO v1 documents: references, duration shorthand, SLIs and units.

OpenSLO documents load into the same catalogue as slacheck's own kinds. This
module adds what the generic model cannot know about them:

* the references each document makes (``indicatorRef``, ``metricSourceRef``,
  ``alertPolicyRef``, ``conditionRef``, ``targetRef``, ``service``), found
  anywhere in the document, inline objects included;
* the duration shorthand (``30m``, ``4w``, ``1M``), whose units are case
  sensitive: ``m`` is minutes and ``M`` months;
* the SLI behind an SLO or a composite objective, inline or referenced;
* the unit of objective ``value`` fields, which OpenSLO leaves unitless. A
  team declares it with the annotation ``slacheck.dev/unit`` on the SLI, so
  an SLA latency threshold such as ``300ms`` can be compared with it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slacheck.findings import format_field
from slacheck.model import Catalog, Document
from slacheck.yamlload import FieldPath

log = logging.getLogger(__name__)

UNIT_ANNOTATION = "slacheck.dev/unit"
SLA_OBJECTIVE_ANNOTATION = "slacheck.dev/sla-objective"

# Calendar units of the duration shorthand and the contract period each is.
CALENDAR_UNITS = {"M": "month", "Q": "quarter", "Y": "year"}
_FIXED_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}
_SHORTHAND = re.compile(r"([0-9]+)([mhdwMQY])\Z")
_RATIO_PARTS = ("good", "bad", "total", "raw")
# A displayName such as "SLA", "SLA: enterprise" or "sla (contract)".
_SLA_DISPLAY_NAME = re.compile(r"\s*sla\b", re.IGNORECASE)
_UNIT_WORDS = {
    "m": "minute",
    "h": "hour",
    "d": "day",
    "w": "week",
    "M": "month",
    "Q": "quarter",
    "Y": "year",
}

Reference = tuple[FieldPath, str, str]


@dataclass(frozen=True)
class Shorthand:
    """A parsed duration shorthand such as ``4w`` or ``1M``."""

    count: int
    unit: str

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"

    @property
    def seconds(self) -> Decimal | None:
        """Return the length in seconds; None for months, quarters and years."""
        per_unit = _FIXED_UNIT_SECONDS.get(self.unit)
        return None if per_unit is None else Decimal(self.count * per_unit)

    @property
    def period(self) -> str | None:
        """Return ``month``, ``quarter`` or ``year`` for 1M, 1Q and 1Y."""
        return CALENDAR_UNITS.get(self.unit) if self.count == 1 else None


def parse_shorthand(text: Any) -> Shorthand | None:
    """Read ``<whole number><unit>`` with a unit of m h d w M Q Y."""
    if not isinstance(text, str):
        return None
    match = _SHORTHAND.match(text)
    if match is None:
        return None
    return Shorthand(int(match.group(1)), match.group(2))


def spelled(shorthand: Shorthand) -> str:
    """Return ``1 minute``, ``4 weeks`` and so on, for messages."""
    word = _UNIT_WORDS[shorthand.unit]
    return f"{shorthand.count} {word}{'' if shorthand.count == 1 else 's'}"


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def dict_items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (index, item) for the mappings in a list; skip anything else."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def objective_items(document: Document) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (index, objective) for an OpenSLO SLO; nothing for other documents."""
    if document.is_openslo:
        yield from dict_items(document.spec.get("objectives"))


def objective_label(objective: dict[str, Any], index: int) -> str:
    """Name an objective in messages by its displayName, else by its index."""
    name = objective.get("displayName")
    return f"objective {name!r}" if isinstance(name, str) else f"objectives[{index}]"


def references(document: Document) -> list[Reference]:
    """List (field path, kind referred to, name) for every reference made."""
    if not document.is_openslo:
        return []
    spec = document.spec
    if document.kind == "SLO":
        return list(_slo_references(spec))
    if document.kind == "SLI":
        return list(_metric_source_references(spec, ("spec",)))
    if document.kind == "AlertPolicy":
        return list(_policy_references(spec, ("spec",)))
    return []


def _slo_references(spec: dict[str, Any]) -> Iterator[Reference]:
    if isinstance(spec.get("service"), str):
        yield ("spec", "service"), "Service", spec["service"]
    yield from _indicator_references(spec, ("spec",))
    for index, objective in dict_items(spec.get("objectives")):
        yield from _indicator_references(objective, ("spec", "objectives", index))
    for index, policy in dict_items(spec.get("alertPolicies")):
        where: FieldPath = ("spec", "alertPolicies", index)
        if isinstance(policy.get("alertPolicyRef"), str):
            yield (*where, "alertPolicyRef"), "AlertPolicy", policy["alertPolicyRef"]
        yield from _policy_references(_mapping(policy.get("spec")), (*where, "spec"))


def _indicator_references(
    owner: dict[str, Any], where: FieldPath
) -> Iterator[Reference]:
    """Yield the SLI an SLO or objective names, or the sources of its inline SLI."""
    if isinstance(owner.get("indicatorRef"), str):
        yield (*where, "indicatorRef"), "SLI", owner["indicatorRef"]
    inline = _mapping(owner.get("indicator"))
    yield from _metric_source_references(
        _mapping(inline.get("spec")), (*where, "indicator", "spec")
    )


def _metric_source_references(
    sli_spec: dict[str, Any], where: FieldPath
) -> Iterator[Reference]:
    metrics: list[tuple[FieldPath, Any]] = [
        ((*where, "thresholdMetric"), sli_spec.get("thresholdMetric"))
    ]
    ratio = _mapping(sli_spec.get("ratioMetric"))
    metrics.extend(
        ((*where, "ratioMetric", part), ratio.get(part)) for part in _RATIO_PARTS
    )
    for metric_where, metric in metrics:
        source = _mapping(_mapping(metric).get("metricSource"))
        name = source.get("metricSourceRef")
        if isinstance(name, str):
            yield (*metric_where, "metricSource", "metricSourceRef"), "DataSource", name


def _policy_references(
    policy_spec: dict[str, Any], where: FieldPath
) -> Iterator[Reference]:
    for index, condition in dict_items(policy_spec.get("conditions")):
        if isinstance(condition.get("conditionRef"), str):
            field = (*where, "conditions", index, "conditionRef")
            yield field, "AlertCondition", condition["conditionRef"]
    for index, target in dict_items(policy_spec.get("notificationTargets")):
        if isinstance(target.get("targetRef"), str):
            field = (*where, "notificationTargets", index, "targetRef")
            yield field, "AlertNotificationTarget", target["targetRef"]


@dataclass(frozen=True)
class Indicator:
    """The SLI behind an SLO or objective: written inline or found by name."""

    spec: dict[str, Any]
    metadata: dict[str, Any]
    inline: bool

    @property
    def metric_type(self) -> str:
        """Return ``threshold``, ``ratio`` or ``''`` when the SLI sets neither."""
        if isinstance(self.spec.get("thresholdMetric"), dict):
            return "threshold"
        if isinstance(self.spec.get("ratioMetric"), dict):
            return "ratio"
        return ""

    @property
    def label(self) -> str:
        name = self.metadata.get("name", "")
        return f"inline SLI {name!r}" if self.inline else f"SLI {name!r}"

    @property
    def unit(self) -> str:
        annotations = _mapping(self.metadata.get("annotations"))
        unit = annotations.get(UNIT_ANNOTATION)
        return unit if isinstance(unit, str) else ""


def indicator_for(
    document: Document, catalog: Catalog, objective_index: int | None = None
) -> Indicator | None:
    """Find the SLI an SLO measures, or the one a composite objective names.

    Returns None when the SLI is missing, ambiguous or referenced by a name
    no file defines (the reference rules report those).
    """
    owner = document.spec
    if objective_index is not None:
        objectives = owner.get("objectives")
        objective = objectives[objective_index] if isinstance(objectives, list) else {}
        if "indicator" in _mapping(objective) or "indicatorRef" in _mapping(objective):
            owner = objective
    inline = owner.get("indicator")
    if isinstance(inline, dict):
        return Indicator(
            _mapping(inline.get("spec")), _mapping(inline.get("metadata")), True
        )
    name = owner.get("indicatorRef")
    if not isinstance(name, str):
        return None
    target = catalog.resolve("SLI", name).target
    if target is None:
        return None
    return Indicator(target.spec, target.metadata, False)


def sla_objective_indexes(document: Document) -> list[int]:
    """Return the indexes of the objectives that state the customer contract.

    OpenSLO has no SLA kind, so a team marks the contract objective inside
    the SLO. The annotation ``slacheck.dev/sla-objective`` names its
    ``displayName``. Without that annotation, every objective whose
    ``displayName`` starts with the word "SLA" is a contract objective.
    """
    objectives = list(dict_items(document.spec.get("objectives")))
    chosen = _mapping(document.metadata.get("annotations")).get(
        SLA_OBJECTIVE_ANNOTATION
    )
    if isinstance(chosen, str):
        return [i for i, item in objectives if item.get("displayName") == chosen]
    return [
        index
        for index, item in objectives
        if isinstance(item.get("displayName"), str)
        and _SLA_DISPLAY_NAME.match(item["displayName"])
    ]


def annotate(document: Document) -> None:
    """Attach what the reference rules read to a freshly classified document."""
    if document.is_openslo:
        document.notes["references"] = references(document)


def link(catalog: Catalog) -> None:
    """Attach facts that need other files: units of objective values.

    Runs once every file is loaded, so an SLI in another file counts.
    ``notes["value_units"]`` maps an objective index to the unit its
    ``value`` is in; :func:`slacheck.objectives.slo_objectives` reads it.
    """
    for document in catalog.of_kind("SLO"):
        if not document.is_openslo:
            continue
        units = _value_units(document, catalog)
        document.notes["value_units"] = units
        document.derived.pop("objectives", None)  # read again with the units
        document.notes["conversions"] = conversion_notes(document, units)
        for where, note in document.notes["conversions"]:
            line, column = document.position(where)
            field_path = format_field(where)
            log.debug("%s:%d:%d: %s: %s", document.path, line, column, field_path, note)


def _value_units(document: Document, catalog: Catalog) -> dict[int, str]:
    units: dict[int, str] = {}
    for index, _ in dict_items(document.spec.get("objectives")):
        indicator = indicator_for(document, catalog, index)
        if indicator is not None and indicator.unit:
            units[index] = indicator.unit
    return units


def conversion_notes(
    document: Document, units: dict[int, str] | None = None
) -> list[tuple[FieldPath, str]]:
    """Describe how slacheck reads the SLO's window and objective values.

    Each note is (field path, sentence); ``slacheck -vv lint`` logs them, so
    a reader can check that a window or threshold means what they intended.
    """
    notes: list[tuple[FieldPath, str]] = []
    for index, window in dict_items(document.spec.get("timeWindow")):
        shorthand = parse_shorthand(window.get("duration"))
        if shorthand is not None:
            where: FieldPath = ("spec", "timeWindow", index, "duration")
            notes.append((where, _window_note(shorthand, window)))
    for index, objective in dict_items(document.spec.get("objectives")):
        unit = (units or {}).get(index, "")
        if "value" in objective:
            reading = (
                f"{objective['value']}{unit}" if unit else "a number without a unit"
            )
            where = ("spec", "objectives", index, "value")
            notes.append((where, f"threshold read as {reading}"))
    return notes


def _window_note(shorthand: Shorthand, window: dict[str, Any]) -> str:
    if window.get("isRolling") is True:
        return f"rolling window of {spelled(shorthand)}"
    zone = _mapping(window.get("calendar")).get("timeZone", "")
    zone_text = f" in {zone}" if zone else ""
    if shorthand.period:
        return f"calendar {shorthand.period}{zone_text}"
    return f"calendar-aligned window of {spelled(shorthand)}{zone_text}"
