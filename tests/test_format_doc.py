"""docs/format.md documents every field and value of the slacheck/v1 schemas."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
SCHEMAS = sorted((REPO / "schemas" / "v1").glob("*.json"))

# The envelope fields of every kind are documented once, in their own section.
ENVELOPE = frozenset({"apiVersion", "kind", "metadata", "spec"})
# Kinds whose fields docs/format.md leaves to docs/policies.md.
POLICY_DOC = REPO / "docs" / "policies.md"
POLICY_SCHEMAS = frozenset({"snapshot.json", "policy.json"})

# Section of docs/format.md that documents each schema file's own fields.
SECTIONS = {
    "service.json": "Service",
    "sli.json": "SLI",
    "slo.json": "SLO",
    "sla.json": "SLA",
    "kpi.json": "KPI",
}


def walk(node: Any) -> Iterator[tuple[str, str]]:
    """Yield ("property", name) and ("enum", value) for every place in a schema."""
    if isinstance(node, dict):
        for name in node.get("properties") or {}:
            yield "property", name
        for value in node.get("enum") or []:
            yield "enum", str(value)
        for child in node.values():
            yield from walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from walk(child)


def section(title: str) -> str:
    """Return the text under ``## title`` up to the next second-level heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", DOC, re.M | re.S)
    assert match, f"docs/format.md has no '## {title}' section"
    return match.group(1)


def documented(name: str, text: str) -> bool:
    """Tell whether ``name`` appears as code: `name`, `spec.name`, `name[].x`."""
    return (
        re.search(rf"`([\w.\[\]]*\.)?{re.escape(name)}([.\[][^`]*)?`", text) is not None
    )


def schema_terms() -> list[tuple[str, str, str]]:
    terms = set()
    for path in SCHEMAS:
        for what, name in walk(json.loads(path.read_text(encoding="utf-8"))):
            terms.add((path.name, what, name))
    return sorted(terms)


def documentation_for(schema: str, name: str) -> tuple[str, str]:
    """Return the text that must document ``name`` of ``schema``, and its label."""
    title = SECTIONS.get(schema)
    if title and name in ENVELOPE:
        return section("The envelope") + section(title), f"the '## {title}' section"
    if title:
        return section(title), f"the '## {title}' section"
    if schema in POLICY_SCHEMAS:
        policies = (
            POLICY_DOC.read_text(encoding="utf-8") if POLICY_DOC.is_file() else ""
        )
        return section("Snapshot and Policy") + policies, "docs/policies.md"
    return DOC, "docs/format.md"


@pytest.mark.parametrize(("schema", "what", "name"), schema_terms())
def test_schema_term_is_documented(schema: str, what: str, name: str) -> None:
    text, where = documentation_for(schema, name)
    assert documented(name, text), f"{what} {name!r} of {schema} is not in {where}"


def test_every_kind_has_a_section() -> None:
    for title in [*SECTIONS.values(), "The envelope", "Snapshot and Policy"]:
        assert section(title).strip()


def test_schemas_were_found() -> None:
    assert {path.name for path in SCHEMAS} >= {"common.json", *SECTIONS}


def yaml_examples() -> list[str]:
    """Return the fenced YAML blocks of docs/format.md that are whole documents."""
    blocks = re.findall(r"^```yaml\n(.*?)^```", DOC, re.M | re.S)
    return [block for block in blocks if re.search(r"^-? ?apiVersion:", block, re.M)]


@pytest.mark.parametrize("example", yaml_examples())
def test_document_example_is_valid(example: str) -> None:
    from slacheck import schema
    from slacheck.lint import classify_file
    from slacheck.yamlload import load_text

    loaded = load_text("example.yaml", example)
    documents, findings = classify_file(loaded, explicit=True)
    assert documents
    for document in documents:
        findings += schema.validate(document.source, document.api_version, document.kind)
    assert [(f.line, f.code, f.message) for f in findings] == []


def test_document_examples_were_found() -> None:
    assert len(yaml_examples()) >= 8
