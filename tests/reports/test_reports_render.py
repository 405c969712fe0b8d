"""The renderers: HTML (failures first, escaped, self-contained), JUnit XML, Markdown, write_all."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from report_factory import make_report

from reports import labels
from reports.digest import generate_keypair, seal
from reports.render import render_html, render_junit, render_markdown, write_all
from reports.sample import build_sample_report
from reports.trust import fingerprint

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
    assert "適合" in page
    # the page cannot know whom its reader trusts: it names the signing key, never "signature valid"
    assert "署名有効" not in page and "署名者はこのページでは確認できません" in page
    assert fingerprint(report["signature"]["public_key"]) in page
    report["requirements"][0]["text"]["ja"] = "改ざん"
    assert "検証に失敗しました / Verification failed" in render_html(report)


def test_html_of_an_unsigned_report_does_not_claim_it_is_intact() -> None:
    page = render_html(seal(make_report({"JUKI-001": ["passed"]})))
    assert "改ざんなし" not in page and "intact" not in page
    assert "署名なし：ダイジェストは一致しますが、作成者も手による書き換えの有無も証明しません" in page


def test_html_for_an_officer() -> None:
    report = make_report(
        {
            "JUKI-001": ["passed"],
            "JUKI-002": ["failed"],
            "JUKI-003": ["passed", "skipped"],
            "JUKI-092": ["passed"],
        },
        options=("JUKI-092",),
        claimed_options=("JUKI-092",),
    )
    report["tests"][1]["failure"]["message_ja"] = "検査数字の誤った個人番号で転入届が受理された"
    page = render_html(seal(report))
    # a legend of the statuses and the verdict rule
    assert 'id="legend"' in page and "凡例と判定の規則" in page and labels.VERDICT_RULE[0] in page
    for meaning in labels.STATUS_MEANING.values():
        assert meaning[0] in page
    # dates in 和暦 with 西暦 beside (2026-11-26T10:00+09:00)
    assert '令和8年11月26日 10:00 <span class="en">(2026-11-26 10:00 JST)</span>' in page
    # options with their names
    assert "JUKI-092</span> JUKI-092 の要件。" in page
    # the suite's message in Japanese first, English beside
    assert '検査数字の誤った個人番号で転入届が受理された<br><span class="en">JUKI-002: POST' in page
    # summary rows link to their sections, and the sections exist
    for anchor in re.findall(r'href="#(g-[a-z_]+-[a-z_]+)"', page):
        assert f'id="{anchor}"' in page
    assert 'href="#g-failed-juki"' in page
    # test ids and check names only inside the technical details
    main_view = re.sub(
        r'<details class="tech[^"]*">.*?</details>\s*(</div>|</article>)', "", page, flags=re.S
    )
    assert '合格した試験 <span class="en">/ Passed tests</span> (1)' in page
    assert "conformance/suites/" in page and "conformance/suites/" not in main_view
    assert "invalid_check_digit_rejected" not in main_view


def test_wareki_dates() -> None:
    assert labels.wareki_datetime("2019-05-01T00:00:00+09:00")[0] == "令和元年5月1日 00:00"
    assert labels.wareki_datetime("2019-04-30T15:00:00Z") == ("令和元年5月1日 00:00", "2019-05-01 00:00 JST")
    assert labels.wareki_datetime("1989-01-07T12:00:00+09:00")[0] == "昭和64年1月7日 12:00"
    assert labels.wareki_datetime("not a date") == ("not a date", "not a date")


def test_the_era_table_is_the_standards_one() -> None:
    import yaml

    from standards.common.wareki import ERAS_FILE

    eras = yaml.safe_load(ERAS_FILE.read_text(encoding="utf-8"))["eras"]
    expected = sorted(
        ((e["label"]["ja"], e["label"]["en"], e["start"], e["first_year"]) for e in eras),
        key=lambda e: e[2],
        reverse=True,
    )
    assert list(labels.ERAS) == expected


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
    assert re.search(r"^\| 業務juki / Operation juki \| 1 \| 1 \| 1 \| 1 \| 0 \| 0 \| 0 \|$", text, re.M), (
        text
    )
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
