"""The renderers: HTML (failures first, escaped, self-contained), JUnit XML, Markdown, write_all."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from report_factory import make_report

from reports.digest import generate_keypair, seal
from reports.render import render_html, render_junit, render_markdown, write_all
from reports.sample import build_sample_report

SCRIPT = "<script>alert('x')</script>"


def sample():
    return seal(
        make_report(
            {
                "JUKI-001": ["passed"],
                "JUKI-002": ["failed"],
                "JUKI-003": ["skipped"],
                "JUKI-004": ["error"],
                "INKAN-001": ["passed"],
                "INKAN-002": ["failed", "passed"],
            },
            evidence_body=f"<html>{SCRIPT}</html>",
        )
    )


def test_html_shows_failures_before_passes() -> None:
    page = render_html(sample())
    failed = page.index('id="req-JUKI-002"')
    errored = page.index('id="req-JUKI-004"')
    unverified = page.index('id="req-JUKI-003"')
    passed = page.index('id="req-JUKI-001"')
    assert failed < errored < unverified < passed
    assert page.index('id="req-INKAN-002"') < passed


def test_html_escapes_vendor_evidence() -> None:
    page = render_html(sample())
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<script" not in page.lower()


def test_html_is_self_contained_and_japanese_first() -> None:
    page = render_html(sample())
    assert '<html lang="ja">' in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "@import" not in page and "url(" not in page
    assert "不適合" in page and "Not conformant" in page
    assert '不合格 <span class="en">/ Failed</span>' in page
    assert "curl -X POST http://127.0.0.1:8765/juki/v1/commands/tennyu # JUKI-002" in page
    assert "<details>" in page


def test_html_shows_digest_and_signature_state() -> None:
    private_pem, _ = generate_keypair()
    report = seal(make_report({"JUKI-001": ["passed"]}), private_pem)
    page = render_html(report)
    assert report["digest"]["value"] in page
    assert "署名有効" in page and "適合" in page
    report["requirements"][0]["text"]["ja"] = "改ざん"
    assert "検証に失敗しました / Verification failed" in render_html(report)


def test_junit_parses_with_one_suite_per_operation() -> None:
    root = ET.fromstring(render_junit(sample()).encode("utf-8"))
    suites = root.findall("testsuite")
    assert [s.get("name").split()[0] for s in suites] == ["inkan", "juki"]
    assert root.get("tests") == "7" and root.get("failures") == "2" and root.get("errors") == "1"
    assert root.get("skipped") == "1"
    juki = suites[1]
    cases = juki.findall("testcase")
    failing = [c for c in cases if c.find("failure") is not None]
    assert len(failing) == 1
    failure = failing[0].find("failure")
    assert "curl -X POST" in failure.text and "JUKI-002" in failure.get("message")
    props = {p.get("name"): p.get("value") for p in failing[0].find("properties")}
    assert props["requirement"] == "JUKI-002"


def test_junit_survives_control_characters() -> None:
    root = ET.fromstring(render_junit(make_report({"JUKI-001": ["failed"]}, evidence_body="a\x00b")).encode())
    assert root.get("failures") == "1"


def test_markdown_has_the_table_and_the_reproductions() -> None:
    text = render_markdown(sample())
    assert "| 業務 / Operation | 合格 / Passed | 不合格 / Failed |" in text
    assert re.search(r"^\| 業務juki / Operation juki \| 1 \| 1 \| 1 \| 1 \| 0 \| 0 \|$", text, re.M), text
    assert "### JUKI-002" in text and "### INKAN-002" in text and "### JUKI-001" not in text
    assert "```sh\ncurl -X POST http://127.0.0.1:8765/juki/v1/commands/tennyu # JUKI-002\n```" in text


def test_write_all_writes_four_files(tmp_path) -> None:
    report = build_sample_report()
    written = write_all(report, tmp_path / "out")
    assert {p.name for p in written.values()} == {"report.json", "report.html", "junit.xml", "summary.md"}
    text = written["json"].read_text(encoding="utf-8")
    assert "住民基本台帳" in text  # UTF-8, not \u escapes
    assert json.loads(text) == report
    ET.parse(written["junit"])


def test_renderers_tolerate_a_report_missing_optional_members() -> None:
    report = make_report({"JUKI-001": ["failed"]})
    for member in ("duration_s", "command"):
        report["run"].pop(member)
    report["target"]["system"].pop("version")
    report["tests"][0]["failure"] = {"title": {"ja": "失敗", "en": "Failed"}, "message": "only a message"}
    page = render_html(report)
    assert "only a message" in page and "再現コマンド" not in page
    ET.fromstring(render_junit(report).encode())
    assert "### JUKI-001" in render_markdown(report)


def test_html_shows_a_transport_error_in_evidence() -> None:
    report = make_report({"JUKI-001": ["error"]})
    report["tests"][0]["failure"]["evidence"] = [
        {
            "request": {
                "method": "GET",
                "url": "http://127.0.0.1:8765/juki/v1/residents",
                "headers": {},
                "body": None,
            },
            "error": "ReadTimeout <after 30 s>",
        }
    ]
    page = render_html(seal(report))
    assert "通信エラー / Transport error: ReadTimeout &lt;after 30 s&gt;" in page
    assert "応答なし / no response" in page
