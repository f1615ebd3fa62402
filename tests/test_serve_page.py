"""The web page in headless Chromium (Playwright driving Debian's chromium; never a downloaded
browser): paste the two example articles, see the withdrawal/repositioning finding highlighted
in both, filter, click to jump, search the archive. Skipped cleanly without Chromium."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from serve_helpers import LiveServer

from factcheck.service.app import create_app
from factcheck.service.engine import Engine

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser")
                             or "") if p and Path(p).exists()), None)
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")
WITHDRAWAL = "conflict.withdrawal-vs-repositioning"


@pytest.fixture(scope="module")
def live(checker, tmp_path_factory):
    with LiveServer(create_app(Engine(checker, tmp_path_factory.mktemp("page") / "claims_db"))) as server:
        yield server


@pytest.fixture()
def page(live):
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        pg = browser.new_page(viewport={"width": 1500, "height": 1000})
        outside = []
        pg.on("request", lambda r: None if r.url.startswith((live.url, "about:", "data:")) else outside.append(r.url))
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
        browser.close()
    assert outside == [], outside   # every asset came from this server
    assert errors == [], errors     # and no script failed


def test_paste_two_articles_and_see_the_finding(live, page, tmp_path):
    page.goto(live.url + "/")
    page.fill("#text-a", (EXAMPLES / "moscow_briefing.md").read_text(encoding="utf-8"))
    page.fill("#text-b", (EXAMPLES / "washington_briefing.txt").read_text(encoding="utf-8"))
    # Live mode: no button press, the report appears after typing stops.
    report = page.frame_locator("#report")
    card = report.locator(f'.finding[data-rule="{WITHDRAWAL}"]')
    card.first.wait_for(timeout=60_000)
    assert "checked in" in page.inner_text("#status")
    marks = report.locator("mark.error")
    assert marks.count() >= 2
    frame = next(f for f in page.frames if f != page.main_frame)
    ids = frame.evaluate(f"""() => {{const d=JSON.parse(document.getElementById('findings-data').textContent);
        const f=d.find(x=>x.rule==='{WITHDRAWAL}');return [f.n,f.mark_a,f.mark_b];}}""")
    n, mark_a, mark_b = ids
    assert "withdrawing" in report.locator(f"#{mark_a}").inner_text()
    assert "repositioning" in report.locator(f"#{mark_b}").inner_text()
    # Click the finding: both claims are marked active and scrolled into their column's view.
    card.first.click()
    for m in (mark_a, mark_b):
        assert "active" in report.locator(f"#{m}").get_attribute("class")
        assert frame.evaluate(f"""() => {{const m=document.getElementById('{m}'),c=m.closest('.article');
            const r=m.getBoundingClientRect(),b=c.getBoundingClientRect();return r.top>=b.top&&r.bottom<=b.bottom;}}""")
    assert frame.locator("svg#links line.active").count() == 1  # the pair is linked
    shot = tmp_path / "serve-page.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 20_000
    if Path("bench").is_dir():
        Path("bench/results").mkdir(exist_ok=True)
        shutil.copy(shot, "bench/results/serve-page.png")
    # Filters: by severity, by rule, by relation.
    total = frame.locator(".finding").count()
    frame.select_option("#sev-filter", "info")
    assert frame.locator(f'#f{n}').is_hidden()
    frame.select_option("#sev-filter", "*")
    frame.select_option("#rule-filter", WITHDRAWAL)
    visible = frame.locator(".finding:visible")
    assert 1 <= visible.count() < total and all(
        visible.nth(i).get_attribute("data-rule") == WITHDRAWAL for i in range(visible.count()))
    frame.select_option("#rule-filter", "*")
    frame.select_option("#rel-filter", "dispute")
    assert all(frame.locator(".finding:visible").nth(i).get_attribute("data-relation") == "dispute"
               for i in range(frame.locator(".finding:visible").count()))


def test_draft_against_archive_and_search(live, page):
    import httpx

    httpx.post(live.url + "/v1/claims", json={"claims": [{
        "id": "kyiv-withdrawal", "text": "Russian forces are withdrawing from positions around Kyiv.",
        "source": "desk/kyiv.md", "date": "2022-03-29", "speaker": "Russian defence ministry"}]}, timeout=60)
    page.goto(live.url + "/")
    page.click("#tab-draft")
    page.fill("#text-draft", "The Pentagon said the movement near Kyiv was a repositioning, not a real withdrawal.")
    report = page.frame_locator("#report")
    report.locator("#mb-kyiv-withdrawal").wait_for(timeout=60_000)
    assert "error" in report.locator("#mb-kyiv-withdrawal").get_attribute("class")
    assert "desk/kyiv.md" in report.locator("#article-b").inner_text()
    page.click("#tab-search")
    page.fill("#q", "troops leaving Kyiv")
    page.click("#run-search")
    page.locator("#results li").first.wait_for(timeout=30_000)
    assert "Russian forces are withdrawing" in page.inner_text("#results")
    assert page.locator("#report").is_hidden()


def test_errors_show_on_the_page(live, page):
    page.goto(live.url + "/")
    page.uncheck("#live-compare")
    page.fill("#text-a", "A short article about nothing at all.")
    page.fill("#text-b", "x y z")
    page.fill("#source-b", "a.md")
    page.click("#run-compare")
    page.wait_for_function("document.getElementById('status').classList.contains('error')", timeout=30_000)
    assert "source_a and source_b must differ" in page.inner_text("#status")
