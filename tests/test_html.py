"""The HTML report: structure checked with an HTML parser; then loaded in headless Chromium (when
installed; CI installs it) to see that the page's script draws the links, and saved as a screenshot."""
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli

A = str(EXAMPLES / "moscow_briefing.md")
B = str(EXAMPLES / "washington_briefing.txt")


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.scripts = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append([dict(attrs), ""])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self.scripts[-1][1] += data


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    res = run_cli("compare", A, B, "--format", "html", "-o", str(out))
    assert res.returncode == 1, res.stderr
    return out


def test_structure(report: Path):
    page = Collector()
    page.feed(report.read_text(encoding="utf-8"))
    ids = {a.get("id") for _, a in page.tags}
    assert {"article-a", "article-b", "findings", "links", "rule-filter", "sev-filter"} <= ids
    findings = [a for t, a in page.tags if t == "div" and "finding" in a.get("class", "").split()]
    marks = [a for t, a in page.tags if t == "mark"]
    data = json.loads(next(body for attrs, body in page.scripts if attrs.get("id") == "findings-data"))
    assert len(findings) == len(data) >= 5
    for f in data:  # each finding highlights its claim in both articles
        assert f["mark_a"] in ids and f["mark_b"] in ids
        assert f["mark_a"].startswith("ma-") and f["mark_b"].startswith("mb-")
    assert {m["class"] for m in marks} <= {"error", "warning", "info"} and "error" in {m["class"] for m in marks}
    # Self-contained: no external scripts, styles, images or fonts.
    for tag, attrs in page.tags:
        for key in ("src", "href"):
            assert not str(attrs.get(key, "")).startswith(("http:", "https:", "//")), (tag, attrs)
    assert not any(t == "link" for t, _ in page.tags)
    rule_options = [a.get("value") for t, a in page.tags if t == "option"]
    assert "conflict.withdrawal-vs-repositioning" in rule_options


def test_highlights_carry_original_text(report: Path):
    text = report.read_text(encoding="utf-8")
    assert "Russian forces are withdrawing from positions around Kyiv" in text
    assert "a repositioning, not a real" in text


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="no Chromium installed")
@pytest.mark.slow
def test_renders_in_headless_chromium(report: Path, tmp_path: Path):
    flags = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000", "--virtual-time-budget=3000"]
    dom = subprocess.run(flags + ["--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<line") == 1  # only the selected finding's link is drawn
    assert 'data-layout="columns"' in dom.stdout
    shot = Path("bench/results/report.png") if Path("bench").is_dir() else tmp_path / "report.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    res = subprocess.run(flags + [f"--screenshot={shot.resolve()}", report.as_uri()], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0 and shot.exists() and shot.stat().st_size > 10_000


MOJIBAKE_B = ("Pentagon sees repositioning, not retreat\n\nPentagon spokesman John Kirby told reporters that the "
              "movement was a repositioning, not a real withdrawal from positions around the Ukrainian capital. "
              "It’s not a withdrawal, he said.\n").encode("utf-8").decode("cp1252")


@pytest.fixture(scope="module")
def mojibake_report(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("moj")
    (d / "b.txt").write_text(MOJIBAKE_B, encoding="utf-8")
    out = d / "report.html"
    res = run_cli("compare", A, str(d / "b.txt"), "--format", "html", "-o", str(out), "--no-db")
    assert res.returncode == 1, res.stderr
    return out


def _panes(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index('<section class="article"')
    return text[start:text.index("<aside")]


def test_panes_show_repaired_text_without_front_matter_or_markup(mojibake_report: Path):
    panes = _panes(mojibake_report)
    assert "It’s not a withdrawal" in panes and "â€" not in panes
    assert "title:" not in panes and "---" not in panes  # front matter hidden
    assert "# Moscow" not in panes and "Moscow says it will scale back near Kyiv" in panes
    # hard-wrapped lines are joined: the claim reads as one sentence
    assert "withdrawing from positions around Kyiv" in panes


def test_findings_numbered_on_highlights_and_cards(report: Path):
    page = Collector()
    page.feed(report.read_text(encoding="utf-8"))
    data = json.loads(next(body for attrs, body in page.scripts if attrs.get("id") == "findings-data"))
    badges = [a.get("data-n") for t, a in page.tags if t == "a" and a.get("data-n")]
    for f in data:  # each finding's number sits on both of its highlights
        assert badges.count(str(f["n"])) == 2
    cards = report.read_text(encoding="utf-8")
    for f in data:
        assert f'<span class="no">{f["n"]}</span>' in cards
    # rule ids may wrap only after a dot or hyphen
    assert "conflict.<wbr>withdrawal-<wbr>vs-<wbr>repositioning" in cards


@pytest.mark.skipif(_chromium() is None, reason="no Chromium installed")
def test_narrow_layout_stacks_and_counts_follow_filters(report: Path, tmp_path: Path):
    flags = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000"]
    narrow = subprocess.run(flags + ["--window-size=800,900", "--dump-dom", report.as_uri()], capture_output=True,
                            text=True, timeout=120)
    assert 'data-layout="stacked"' in narrow.stdout and "<line" not in narrow.stdout
    errors_only = subprocess.run(flags + ["--window-size=1400,900", "--dump-dom", report.as_uri() + "#severity=error"],
                                 capture_output=True, text=True, timeout=120)
    assert 'data-count="total">1 finding<' in errors_only.stdout
    assert 'data-count="warning">0 warning<' in errors_only.stdout
