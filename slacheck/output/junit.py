"""JUnit XML, the test report format GitLab, Jenkins and most CI servers read.

Each file is a test suite. Each code with findings in that file is a test
case, which fails when one of its findings is at least as severe as
``--fail-on``. Findings below that level pass and are listed in the case's
output, and a case whose findings are all suppressed (waived or in the
baseline) is skipped. A file without findings gets one passing case, so the
report shows what was checked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from slacheck.findings import Finding
from slacheck.output import Report
from slacheck.output.ci import rule_docs

CLEAN_CASE = "no findings"


def render(report: Report) -> str:
    docs = rule_docs(report.findings, report.policy_paths, report.default_policies)
    names = {doc.code: doc.name for doc in docs}
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.path].append(finding)
    paths = sorted(set(report.files) | set(by_file))
    root = ET.Element("testsuites", name=f"slacheck {report.tool}")
    for path in paths:
        root.append(_suite(path, by_file.get(path, []), report, names))
    _count(root, root.findall("testsuite"))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _suite(
    path: str, findings: list[Finding], report: Report, names: dict[str, str]
) -> ET.Element:
    suite = ET.Element("testsuite", name=path)
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_code[finding.code].append(finding)
    for code in sorted(by_code):
        suite.append(_case(path, code, names.get(code, code), by_code[code], report))
    if not by_code:
        ET.SubElement(
            suite, "testcase", name=CLEAN_CASE, classname=path, file=path, time="0"
        )
    _count(suite, [suite])
    return suite


def _case(
    path: str, code: str, name: str, findings: list[Finding], report: Report
) -> ET.Element:
    case = ET.Element(
        "testcase", name=f"{code} {name}", classname=path, file=path, time="0"
    )
    failing = [f for f in findings if not f.suppressed and f.severity >= report.fail_on]
    open_ = [f for f in findings if not f.suppressed]
    text = "\n".join(_line(f) for f in findings)
    if failing:
        first = failing[0]
        message = first.message if len(failing) == 1 else f"{len(failing)} findings"
        failure = ET.SubElement(case, "failure", message=message, type=code)
        failure.text = text
    elif not open_:
        reason = findings[0].suppression.reason if findings[0].suppression else ""
        ET.SubElement(case, "skipped", message=f"suppressed: {reason}")
        ET.SubElement(case, "system-out").text = text
    else:
        ET.SubElement(case, "system-out").text = text
    return case


def _line(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}:{finding.column}"
    text = f"{where}: {finding.severity}: {finding.message}"
    if finding.suppression is not None:
        text += f" [suppressed: {finding.suppression.reason}]"
    return text


def _count(element: ET.Element, suites: Sequence[ET.Element]) -> None:
    cases = [case for suite in suites for case in suite.iter("testcase")]
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    element.set("errors", "0")
    element.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    element.set("time", "0")
