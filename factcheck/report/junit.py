"""JUnit XML for CI test dashboards: one failing test case per finding."""
from __future__ import annotations

from xml.etree import ElementTree as ET

from . import Report
from .locations import claim_file


def render(report: Report) -> str:
    findings = report.findings
    suites = ET.Element("testsuites", name="factcheck", tests=str(max(1, len(findings))),
                        failures=str(len(findings)))
    suite = ET.SubElement(suites, "testsuite", name="factcheck", tests=str(max(1, len(findings))),
                          failures=str(len(findings)), errors="0")
    if not findings:
        ET.SubElement(suite, "testcase", classname="factcheck", name="no contradictions")
    for f in findings:
        case = ET.SubElement(suite, "testcase", classname=f.rule, name=f"{f.a.id} vs {f.b.id}",
                             file=claim_file(f.a), line=str(f.a.line or 1))
        fail = ET.SubElement(case, "failure", message=f.message, type=f.severity)
        fail.text = (f"A {claim_file(f.a)}:{f.a.line}: {f.a.text}\nB {claim_file(f.b)}:{f.b.line}: {f.b.text}\n"
                     f"confidence {f.confidence:.2f}, similarity {f.similarity:.2f}, {f.relation}")
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
