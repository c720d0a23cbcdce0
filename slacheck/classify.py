"""Tell slacheck and OpenSLO definitions apart from other YAML.

A repository contains Kubernetes manifests, CI workflows and Helm values next
to definitions. Folder scans skip files whose bytes name none of our
apiVersions; after parsing, each document is a definition, a misspelt
definition (SC009), or another tool's document, which is left alone.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from slacheck.display import close_matches, describe_value, quote
from slacheck.findings import Finding
from slacheck.model import (
    OPENSLO_KINDS,
    OPENSLO_V1,
    SLACHECK_KINDS,
    SLACHECK_V1,
    Document,
)
from slacheck.yamlload import LoadedFile, SourceDocument

SUPPORTED = {SLACHECK_V1: SLACHECK_KINDS, OPENSLO_V1: OPENSLO_KINDS}
_OUR_KINDS = frozenset((*SLACHECK_KINDS, *OPENSLO_KINDS))

# Kinds that few other tools use, so that a document whose apiVersion is
# left empty or out still passes the folder pre-filter and gets reported.
# Service and Policy are left out: Kubernetes and policy engines use them.
_OUR_KIND_BYTES = re.compile(rb"\bkind:[ \t]*[\"']?(SLA|SLO|SLI|KPI|Snapshot)\b")
_WIDE_BOMS = {
    codecs.BOM_UTF32_LE: "utf-32",
    codecs.BOM_UTF32_BE: "utf-32",
    codecs.BOM_UTF16_LE: "utf-16",
    codecs.BOM_UTF16_BE: "utf-16",
}


def looks_like_definitions(raw: bytes) -> bool:
    """Tell cheaply whether a file may hold definitions, before parsing it.

    True when the bytes name ``apiVersion`` and ``slacheck/`` or
    ``openslo/`` in any letter case, so that ``apiversion:`` or
    ``SLACHECK/v1`` is reported rather than skipped, or name a kind that is
    almost surely ours. UTF-16 and UTF-32 files are decoded first, so that
    they are reported as not UTF-8.
    """
    for bom, encoding in _WIDE_BOMS.items():
        if raw.startswith(bom):
            raw = raw.decode(encoding, "ignore").encode("utf-8", "ignore")
            break
    lowered = raw.lower()
    if b"apiversion" in lowered and (b"slacheck/" in lowered or b"openslo/" in lowered):
        return True
    return _OUR_KIND_BYTES.search(raw) is not None


def classify_file(
    parsed: LoadedFile, *, explicit: bool
) -> tuple[list[Document], list[Finding]]:
    """Keep the definition documents of a file and the findings that matter.

    Reading problems are reported when the file has a definition, or when
    its text names one of our apiVersions, because a document that failed
    to load then probably was a definition. A named file without either is
    another tool's YAML and stays quiet, so that a pre-commit hook can pass
    every YAML file of a commit. YAML 1.1 warnings (SC007) count only in
    files with definitions. A scanned file passed the same test before
    parsing, so only a named file is tested here.
    """
    documents: list[Document] = []
    findings: list[Finding] = []
    foreign: list[SourceDocument] = []
    for source in parsed.documents:
        result = _classify(source)
        if isinstance(result, Document):
            documents.append(result)
        elif isinstance(result, Finding):
            findings.append(result)
        else:
            foreign.append(source)
    if documents or findings:
        findings.extend(_untyped(foreign))
        findings.extend(parsed.findings)
        return documents, findings
    errors = [f for f in parsed.findings if f.code != "SC007"]
    # Binary or unopenable content cannot show whose file it is, so a named
    # file with such a problem is reported rather than taken as foreign.
    opaque = any(f.code in ("SC003", "SC011") for f in errors)
    if errors and (not explicit or opaque or _names_our_api(parsed)):
        findings.extend(_untyped(foreign))
        findings.extend(errors)
    return documents, findings


def _names_our_api(parsed: LoadedFile) -> bool:
    if parsed.text:
        return looks_like_definitions(parsed.text.encode("utf-8", "surrogatepass"))
    if parsed.raw:
        return looks_like_definitions(parsed.raw)
    return True  # nothing was read, as for a file without permission


def _untyped(sources: list[SourceDocument]) -> list[Finding]:
    """Report documents that are not definitions among definitions."""
    out = []
    for source in sources:
        data = source.data
        if isinstance(data, dict) and "apiVersion" in data:
            continue  # another tool's document, such as a Kubernetes manifest
        if isinstance(data, dict):
            message = (
                "document has no apiVersion; add 'apiVersion: slacheck/v1' and a kind"
            )
        else:
            message = (
                f"document is {describe_value(data)}, not a definition; remove it "
                "or write a mapping with apiVersion, kind, metadata and spec"
            )
        out.append(Finding(source.path, source.line, source.column, "SC009", message))
    return out


def _classify(source: SourceDocument) -> Document | Finding | None:
    """Return the document as a definition, a finding, or None for foreign YAML."""
    data = source.data
    if not isinstance(data, dict):
        return None
    api_version = data.get("apiVersion")
    if not isinstance(api_version, str):
        return _no_api_version(source, data)
    family = api_version.split("/", 1)[0].lower()
    if family not in ("slacheck", "openslo"):
        return _misspelt_api_version(source, data, api_version)
    if api_version not in SUPPORTED:
        return _unsupported_api_version(source, api_version)
    kind = data.get("kind")
    kinds = SUPPORTED[api_version]
    if kind not in kinds:
        return _unknown_kind(source, data, api_version, kind)
    metadata = data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    name = name if isinstance(name, str) else ""
    return Document(source, api_version, str(kind), name)


def _looks_ours(data: dict[str, Any]) -> bool:
    """Tell whether a document without a valid apiVersion was meant as ours."""
    return data.get("kind") in _OUR_KINDS and "metadata" in data


def _api_version_for(kind: Any) -> str:
    return SLACHECK_V1 if kind in SLACHECK_KINDS else OPENSLO_V1


def _no_api_version(source: SourceDocument, data: dict[str, Any]) -> Finding | None:
    """Report a definition whose apiVersion is missing, misspelt or not a string."""
    if not _looks_ours(data):
        return None
    wanted = _api_version_for(data.get("kind"))
    keys = [key for key in data if isinstance(key, str) and key != "apiVersion"]
    misspelt = [key for key in keys if key.lower() == "apiversion"]
    if not misspelt:
        misspelt = close_matches("apiVersion", keys, n=1, cutoff=0.8)
    if misspelt:
        line, column = source.key_position((misspelt[0],))
        why = "keys are case-sensitive" if misspelt[0].lower() == "apiversion" else ""
        message = f"key {quote(misspelt[0])} should be 'apiVersion'" + (
            f" ({why})" if why else ""
        )
        message += f"; write 'apiVersion: {wanted}'"
        return Finding(source.path, line, column, "SC009", message, key=misspelt[0])
    if "apiVersion" in data:
        line, column = source.position(("apiVersion",))
        value = data["apiVersion"]
        shown = "empty" if value is None else f"{describe_value(value)}, not a string"
        message = f"apiVersion is {shown}; write 'apiVersion: {wanted}'"
        return Finding(source.path, line, column, "SC009", message, key="apiVersion")
    message = (
        f"document has kind {quote(str(data['kind']))} and metadata but no "
        f"apiVersion; add 'apiVersion: {wanted}'"
    )
    return Finding(source.path, source.line, source.column, "SC009", message)


def _misspelt_api_version(
    source: SourceDocument, data: dict[str, Any], api_version: str
) -> Finding | None:
    """Report an apiVersion close to ours, such as 'slachek/v1', on a kind of ours."""
    close = close_matches(api_version, list(SUPPORTED), n=1, cutoff=0.8)
    if not close or not _looks_ours(data):
        return None  # another tool's document, such as a Kubernetes Service
    message = f"unknown apiVersion {quote(api_version)}; did you mean {close[0]!r}?"
    line, column = source.position(("apiVersion",))
    return Finding(source.path, line, column, "SC009", message, key=api_version[:80])


def _unsupported_api_version(source: SourceDocument, api_version: str) -> Finding:
    supported = ", ".join(sorted(SUPPORTED))
    message = f"unsupported apiVersion {quote(api_version)}; slacheck reads {supported}"
    same_letters = [v for v in SUPPORTED if v.lower() == api_version.lower()]
    if same_letters:
        message += f" (apiVersion is case-sensitive: write {same_letters[0]!r})"
    line, column = source.position(("apiVersion",))
    return Finding(source.path, line, column, "SC009", message, key=api_version[:80])


def _unknown_kind(
    source: SourceDocument, data: dict[str, Any], api_version: str, kind: Any
) -> Finding:
    kinds = SUPPORTED[api_version]
    choices = ", ".join(kinds)
    if kind is None:
        message = f"document has no kind; add 'kind:' with one of {choices}"
    elif not isinstance(kind, str):
        message = f"kind is {describe_value(kind)}, not a string; use one of {choices}"
    else:
        message = f"unknown kind {quote(kind)} for {api_version}; use one of {choices}"
        close = close_matches(kind, kinds, n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
    line, column = source.position(("kind",) if "kind" in data else ())
    return Finding(source.path, line, column, "SC009", message, key=str(kind)[:80])
