"""The report, the comparison (2, 4 and 10 reports) and the results site in a real headless Chromium.

They must render, their links must work, no column may be cut off or squeezed, and the Japanese
text must be there. A full-page screenshot of each is written to ``build/screenshots/`` for a person
to look at. Debian's ``chromium`` is driven by Playwright (never ``playwright install``); without
either the tests skip, unless ``KIKAN_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from reports.compare import compare, render_compare_html
from reports.digest import generate_keypair, seal
from reports.fleet import build_fleet
from reports.render import write_all
from reports.sample import build_sample_report
from reports.site import Entry, build_site
from reports.trust import TrustStore

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = os.environ.get("KIKAN_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: a common office laptop's width, and a narrow window
WIDE, NARROW = 1366, 1024


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("KIKAN_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": WIDE, "height": 900}, locale="ja-JP")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    yield tab
    context.close()
    assert not errors, errors


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def assert_no_horizontal_overflow(page) -> None:
    """Nothing sticks out of the window: the page is no wider than the viewport."""
    widths = page.evaluate(
        "() => ({page: document.scrollingElement.scrollWidth, viewport: window.innerWidth})"
    )
    assert widths["page"] <= widths["viewport"], widths


def assert_cells_fit(page, selector: str) -> None:
    """Every cell matched is inside the viewport and shows all its content (nothing clipped)."""
    bad = page.evaluate(
        """(selector) => {
          const out = [];
          for (const el of document.querySelectorAll(selector)) {
            if (!el.getClientRects().length) continue;  // inside a closed <details>
            const r = el.getBoundingClientRect();
            if (r.right > window.innerWidth + 0.5 || r.left < -0.5)
              out.push(`${el.textContent.trim().slice(0, 30)}: ${r.left}..${r.right} of ${window.innerWidth}`);
            else if (el.scrollWidth > el.clientWidth + 1)
              out.push(`${el.textContent.trim().slice(0, 30)}: content ${el.scrollWidth} > ${el.clientWidth}`);
          }
          return out;
        }""",
        selector,
    )
    assert not bad, bad[:10]


def assert_local_links_work(page, base: Path) -> int:
    """Every ``#fragment`` link has its target, every relative link names an existing file."""
    links = page.evaluate(
        "() => [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.href])"
    )
    checked = 0
    for raw, absolute in links:
        url = urlparse(absolute)
        if raw.startswith("#"):
            assert page.locator(f"[id='{raw[1:]}']").count() == 1, raw
        else:
            assert url.scheme == "file", f"a link leaves the page's folder: {raw}"
            assert Path(unquote(url.path)).is_file(), raw
        checked += 1
    return checked


@pytest.fixture(scope="module")
def fleet():
    return build_fleet(10, history=2)


def test_report_page(page, tmp_path) -> None:
    report = build_sample_report()
    report["tests"][next(i for i, t in enumerate(report["tests"]) if t["outcome"] == "failed")]["failure"][
        "message_ja"
    ] = "検査数字の誤った個人番号で転入届が受理された"
    private, _ = generate_keypair()
    written = write_all(seal(report, private), tmp_path)
    page.goto(written["html"].as_uri())
    assert page.evaluate("document.documentElement.lang") == "ja"
    text = page.inner_text("body")
    for expected in (
        "適合性試験報告書",
        "凡例と判定の規則",
        "令和8年11月26日",
        "標準オプション",
        "署名した鍵の指紋",
    ):
        assert expected in text, expected
    assert "conformance/suites/" not in text  # test ids stay in the closed details
    assert page.locator("#legend").is_visible()
    assert assert_local_links_work(page, tmp_path) > 10
    # a summary count links into a folded group: following it opens the group and shows the rows
    link = page.locator("table.levels a.count[href^='#g-passed-']").first
    target = link.get_attribute("href")
    assert not page.locator(target).is_visible()
    link.click()
    page.wait_for_timeout(200)
    assert page.locator(target).is_visible()
    assert_no_horizontal_overflow(page)
    assert_cells_fit(page, "table.levels th, table.levels td, table.meta td")
    shoot(page, "report")
    page.set_viewport_size({"width": NARROW, "height": 900})
    assert_no_horizontal_overflow(page)


@pytest.mark.parametrize("count", [2, 4, 10])
def test_comparison(page, tmp_path, fleet, count) -> None:
    private, public = generate_keypair()
    reports = [seal(r, private) if i == 0 else r for i, r in enumerate(fleet[:count])]
    store = TrustStore()
    store.add_key(public, "サンプル情報株式会社")
    cmp = compare(reports, store)
    path = tmp_path / "compare.html"
    path.write_text(render_compare_html(cmp), encoding="utf-8")
    page.goto(path.as_uri())
    text = page.inner_text("body")
    assert "適合性試験報告書の比較" in text and "業務ごとの結果" in text and "結果が異なる要件" in text
    assert "署名者を確認済み" in text
    for column in cmp["columns"]:
        assert column["vendor"] in text
    assert page.locator("table.runs tbody tr").count() == count
    assert_local_links_work(page, tmp_path)
    for width in (WIDE, NARROW) if count <= 4 else (WIDE,):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_horizontal_overflow(page)
        assert_cells_fit(page, "table.matrix th, table.matrix td, table.runs th, table.runs td")
    # the requirement column keeps room for its text: not squeezed to a word a line
    squeezed = page.evaluate(
        """() => [...document.querySelectorAll('td.req')].filter(el => el.getClientRects().length)
                 .map(el => el.getBoundingClientRect().width / parseFloat(getComputedStyle(el).fontSize))
                 .filter(em => em < 15)"""
    )
    assert not squeezed, squeezed[:5]
    assert page.evaluate("getComputedStyle(document.querySelector('td.req')).position") == "sticky"
    page.set_viewport_size({"width": WIDE, "height": 900})
    shoot(page, f"compare-{count}")
    # the full table on demand
    page.locator("details#all > summary").click()
    visible = page.locator("details#all tbody tr").count()
    assert visible == len(cmp["rows"]) and page.locator("details#all tbody tr").first.is_visible()
    assert_cells_fit(page, "details#all td")


def test_site(page, tmp_path, fleet) -> None:
    entries = [
        Entry(r, json.dumps(r, ensure_ascii=False).encode("utf-8"), f"{i}.json") for i, r in enumerate(fleet)
    ]
    built = build_site(entries, tmp_path / "site")
    index = tmp_path / "site" / "index.html"
    page.goto(index.as_uri())
    text = page.inner_text("body")
    assert "適合性試験結果一覧" in text and "退行" in text and "住民基本台帳" in text
    assert page.locator("table.site-matrix tbody tr").count() == len(built["systems"])
    assert assert_local_links_work(page, tmp_path / "site") >= len(built["runs"])
    assert_no_horizontal_overflow(page)
    assert_cells_fit(page, "table.site-matrix th, table.site-matrix td, table.history td")
    shoot(page, "site-index")
    # a cell opens that run's report; a system opens its history, which links back
    page.locator("table.site-matrix td.cell a").first.click()
    page.wait_for_load_state()
    assert "適合性試験報告書" in page.title()
    page.go_back()
    page.locator("table.site-matrix td.sys a").first.click()
    page.wait_for_load_state()
    assert "実行の履歴" in page.inner_text("body") and page.locator("tr.regressed").count() >= 1
    assert_local_links_work(page, tmp_path / "site")
    assert_no_horizontal_overflow(page)
    shoot(page, "site-system")
    page.locator("nav.crumbs a").click()
    page.wait_for_load_state()
    assert page.url == index.as_uri()


def test_the_layout_checks_catch_a_faulty_page(page, tmp_path) -> None:
    """The checks above have teeth: a cut-off column, clipped text, a dead link and a squeezed page fail."""
    wide = "".join(
        f"<th style='white-space:nowrap'>列の見出し {n} / column heading {n}</th>" for n in range(12)
    )
    faulty = (
        "<!DOCTYPE html><html lang='ja'><body>"
        f"<div style='overflow-x:auto'><table class='matrix'><tr>{wide}</tr></table></div>"
        "<table class='clip'><tr><td style='max-width:40px;overflow:hidden;white-space:nowrap'>"
        "切り取られる長い文章 / text that is cut</td></tr></table>"
        "<a href='#nowhere'>壊れたリンク</a> <a href='missing.html'>存在しないページ</a>"
        "<div style='width:3000px'>広すぎる / too wide</div></body></html>"
    )
    path = tmp_path / "faulty.html"
    path.write_text(faulty, encoding="utf-8")
    page.goto(path.as_uri())
    with pytest.raises(AssertionError, match="of 1366"):
        assert_cells_fit(page, "table.matrix th")
    with pytest.raises(AssertionError, match="content"):
        assert_cells_fit(page, "table.clip td")
    with pytest.raises(AssertionError, match="#nowhere"):
        assert_local_links_work(page, tmp_path)
    with pytest.raises(AssertionError):
        assert_no_horizontal_overflow(page)
