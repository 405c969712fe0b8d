"""Comparison of several reports, requirement by requirement, with unverified reports flagged."""

from __future__ import annotations

import copy

from report_factory import make_report

from reports import trust
from reports.compare import column_key, compare, render_compare_html, render_compare_markdown
from reports.digest import generate_keypair, seal
from reports.trust import TrustStore, fingerprint


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
    assert cmp["columns"][1]["state"] == "invalid"
    assert "**検証失敗 / Verification failed**" in render_compare_markdown(cmp)
    html = render_compare_html(cmp)
    assert 'class="state-invalid">検証失敗' in html and "⚠" in html


def test_compare_renderings() -> None:
    cmp = compare(list(two_reports()))
    html = render_compare_html(cmp)
    assert '<html lang="ja">' in html and "システムA" in html and "記載なし" in html
    assert 'class="differs"' in html
    md = render_compare_markdown(cmp)
    assert "| JUKI-002 | 実装必須 / Must | **不合格 / Failed** | **記載なし / Absent** |" in md
    # differences only, unless the full table is asked for
    assert "| JUKI-001 |" not in md and "`--all`" in md
    assert "| JUKI-001 | 実装必須 / Must | 合格 / Passed | 合格 / Passed |" in render_compare_markdown(
        cmp, full=True
    )


def test_columns_tell_vendors_apart_and_name_the_signer() -> None:
    private, public = generate_keypair()
    a = seal(make_report({"JUKI-001": ["passed"]}, system="住民情報システム"), private)
    b = copy.deepcopy(a)
    b["target"]["system"]["vendor"] = "別の社"
    b["run"]["seed"] = 8
    b = seal(b)
    store = TrustStore()
    store.add_key(public, "テスト社")
    cmp = compare([a, b, a], store)
    first, second, third = cmp["columns"]
    assert [c["key"] for c in cmp["columns"]] == ["A", "B", "C"]
    assert (first["vendor"], second["vendor"]) == ("テスト社", "別の社")
    assert first["profile"] == "quick" and first["seed"] == 7 and second["seed"] == 8
    assert first["suite_version"] == "0.1.0" and first["standards"] == [{"id": "juki", "version": "1.0.0"}]
    assert first["run_at_wareki"] == ("令和8年11月26日 09:59", "2026-11-26 09:59 JST")
    assert first["state"] == "trusted" and first["signer"] == fingerprint(public)
    assert first["signer_name"] == "テスト社"
    assert second["state"] == "unsigned" and second["signer"] is None
    assert compare([a, b])["columns"][0]["state"] == "unknown_signer"  # no keys given
    html = render_compare_html(cmp)
    assert "署名者を確認済み" in html and trust.short(fingerprint(public)) in html


def test_per_operation_summary() -> None:
    a = make_report({"JUKI-001": ["passed"], "JUKI-002": ["failed"], "INKAN-001": ["skipped"]})
    b = make_report({"JUKI-001": ["passed"], "JUKI-002": ["passed"]})
    cmp = compare([seal(a), seal(b)])
    summary = {row["operation"]: row["cells"] for row in cmp["summary"]}
    assert summary["juki"][0] == {
        "passed": 1,
        "failed": 1,
        "error": 0,
        "not_verified": 0,
        "not_run": 0,
        "not_claimed": 0,
    }
    assert summary["juki"][1]["passed"] == 2
    assert summary["inkan"] == [
        {"passed": 0, "failed": 0, "error": 0, "not_verified": 1, "not_run": 0, "not_claimed": 0},
        None,
    ]
    assert [r["id"] for r in cmp["differences"]] == ["INKAN-001", "JUKI-002"]


def test_column_keys() -> None:
    assert [column_key(i) for i in (0, 9, 25, 26, 27)] == ["A", "J", "Z", "A2", "B2"]


def test_every_status_has_a_label_in_the_comparison() -> None:
    from reports.compare import SHORT_STATUS
    from reports.render.view import STATUS_ORDER

    html = render_compare_html(compare(list(two_reports())))
    for state in STATUS_ORDER:
        ja, en = SHORT_STATUS[state]
        assert ja and en and f"{ja} / {en}</span>" in html  # the legend names it
