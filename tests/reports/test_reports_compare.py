"""Comparison of several reports, requirement by requirement, with unverified reports flagged."""

from __future__ import annotations

import copy

from report_factory import make_report

from reports.compare import compare, render_compare_html, render_compare_markdown
from reports.digest import seal


def two_reports():
    a = seal(make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"]}, system="システムA"))
    b = seal(make_report({"JUKI-001": ["passed"], "JUKI-003": ["passed"]}, system="システムB"))
    return a, b


def test_compare_side_by_side() -> None:
    cmp = compare(list(two_reports()))
    assert [c["system"] for c in cmp["columns"]] == ["システムA", "システムB"]
    assert [c["verified"] for c in cmp["columns"]] == [True, True]
    rows = {r["id"]: r for r in cmp["rows"]}
    assert rows["JUKI-001"]["statuses"] == ["passed", "passed"] and not rows["JUKI-001"]["differs"]
    assert rows["JUKI-002"]["statuses"] == ["failed", "absent"] and rows["JUKI-002"]["differs"]
    assert rows["JUKI-003"]["statuses"] == ["absent", "passed"]
    assert [r["id"] for r in cmp["rows"]] == ["JUKI-001", "JUKI-002", "JUKI-003"]


def test_a_tampered_report_is_flagged() -> None:
    a, b = two_reports()
    b = copy.deepcopy(b)
    b["requirements"][0]["status"] = "failed"
    cmp = compare([a, b])
    assert cmp["columns"][1]["verified"] is False
    assert any(p.startswith("/digest/value") for p in cmp["columns"][1]["problems"])
    assert "検証失敗 / FAILED" in render_compare_markdown(cmp)
    assert "⚠ 検証失敗 / verification failed" in render_compare_html(cmp)


def test_compare_renderings() -> None:
    cmp = compare(list(two_reports()))
    html = render_compare_html(cmp)
    assert '<html lang="ja">' in html and "システムA" in html and "記載なし" in html
    assert 'class="differs"' in html
    md = render_compare_markdown(cmp)
    assert "| JUKI-002 | 実装必須 / Must | **不合格 / Failed** | **記載なし / Absent** |" in md
