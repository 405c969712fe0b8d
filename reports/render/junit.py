"""JUnit XML of a report, for CI systems: one testsuite per operation, one testcase per test."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from reports.render import view

#: characters XML 1.0 cannot carry at all (vendor bodies may contain them)
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: Any) -> str:
    """``value`` as text XML can carry: characters XML forbids become U+FFFD."""
    return _INVALID_XML.sub("\ufffd", str(value))


def _failure_text(failure: Mapping[str, Any]) -> str:
    lines = [
        f"{failure['title']['ja']} / {failure['title']['en']}",
        str(failure.get("message", "")),
    ]
    if failure.get("check"):
        lines.append(f"check: {failure['check']}")
    example = view.example_text(failure.get("minimal_example"))
    if example:
        lines += ["minimal example:", example]
    curl = (failure.get("reproduction") or {}).get("curl")
    if curl:
        lines += ["reproduction:", curl]
    return "\n".join(lines)


def render_junit(report: Mapping[str, Any]) -> str:
    """JUnit XML (the common Jenkins/GitLab dialect) of the report's tests.

    Each testcase carries the requirement ids it verifies as ``<property name="requirement">``;
    failures and errors carry the check's title and message, the minimal example and the curl line.
    """
    names = view.operation_names(report)
    tests = list(report.get("tests") or ())
    run = report.get("run") or {}
    root = ET.Element("testsuites", name=f"kikan-conformance seed={run.get('seed', '')}")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "time": 0.0}
    for op in view.operations(report):
        members = [t for t in tests if t.get("operation") == op]
        if not members:
            continue
        suite = ET.SubElement(root, "testsuite", name=f"{op} {names[op]['ja']} / {names[op]['en']}")
        counts = {"tests": len(members), "failures": 0, "errors": 0, "skipped": 0, "time": 0.0}
        for test in members:
            case = ET.SubElement(
                suite,
                "testcase",
                name=str(test.get("name", test["id"])),
                classname=test["id"].rsplit("::", 1)[0].replace("/", ".").removesuffix(".py"),
                time=f"{float(test.get('duration_s') or 0):.3f}",
            )
            counts["time"] += float(test.get("duration_s") or 0)
            props = ET.SubElement(case, "properties")
            ET.SubElement(props, "property", name="test_id", value=test["id"])
            for rid in test.get("requirements") or ():
                ET.SubElement(props, "property", name="requirement", value=rid)
            outcome = test.get("outcome")
            failure = test.get("failure") or {}
            if outcome in ("failed", "error") and failure:
                tag = "failure" if outcome == "failed" else "error"
                counts["failures" if tag == "failure" else "errors"] += 1
                element = ET.SubElement(
                    case,
                    tag,
                    message=xml_text(failure.get("message", "")),
                    type=str(failure.get("check") or tag),
                )
                element.text = xml_text(_failure_text(failure))
            elif outcome in ("failed", "error"):
                counts["failures" if outcome == "failed" else "errors"] += 1
                ET.SubElement(case, "failure" if outcome == "failed" else "error", message=outcome)
            elif outcome == "skipped":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=xml_text(test.get("skip_reason") or "skipped"))
        for key, value in counts.items():
            suite.set(key, f"{value:.3f}" if key == "time" else str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, f"{value:.3f}" if key == "time" else str(int(value)))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
